/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-explicit-any -- the simulated API handles Kubernetes wire JSON, whose shapes vary by kind */
import { formatAge } from '../sim-clock.js';
import type { KubeObject } from '../types.js';

export const tableContentType = 'application/json;as=Table;v=v1;g=meta.k8s.io';

interface Column {
  name: string;
  type?: string;
  format?: string;
  priority?: number;
  description?: string;
}

type Cells = (string | number)[];

const col = (name: string, priority = 0, type = 'string', format = ''): Column => ({ name, type, format, priority });
const nameCol = (): Column => ({ name: 'Name', type: 'string', format: 'name', priority: 0, description: 'Name must be unique within a namespace. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names' });

const none = '<none>';
const images = (o: KubeObject) => (o.spec?.template?.spec?.containers ?? []).map((c: any) => c.image).join(',');
const containers = (o: KubeObject) => (o.spec?.template?.spec?.containers ?? []).map((c: any) => c.name).join(',');
const selector = (o: KubeObject) => Object.entries(o.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(',') || none;

function podRow(p: KubeObject, age: (t?: string) => string): Cells {
  const statuses: any[] = p.status?.containerStatuses ?? [];
  let reason: string = p.status?.reason ?? p.status?.phase ?? 'Pending';
  let restarts = 0;
  let readyCount = 0;
  let lastRestart = 0;
  for (const cs of [...statuses].reverse()) {
    restarts += cs.restartCount ?? 0;
    const finished = cs.lastState?.terminated?.finishedAt;
    if (finished) lastRestart = Math.max(lastRestart, Date.parse(finished));
    if (cs.state?.waiting?.reason) reason = cs.state.waiting.reason;
    else if (cs.state?.terminated?.reason) reason = cs.state.terminated.reason;
    else if (cs.state?.terminated) reason = `ExitCode:${cs.state.terminated.exitCode}`;
    else if (cs.ready && cs.state?.running) readyCount++;
  }
  if (p.metadata.deletionTimestamp) reason = 'Terminating';
  const total = (p.spec?.containers ?? []).length;
  const restartCell = lastRestart ? `${restarts} (${age(new Date(lastRestart).toISOString())} ago)` : String(restarts);
  return [p.metadata.name, `${readyCount}/${total}`, reason, restartCell, age(p.metadata.creationTimestamp), p.status?.podIP ?? none, p.spec?.nodeName ?? none, none, none];
}

function eventRow(e: KubeObject, age: (t?: string) => string): Cells {
  const first = e.firstTimestamp ? age(e.firstTimestamp) : age(e.eventTime);
  let last = e.lastTimestamp ? age(e.lastTimestamp) : first;
  let count: number = e.count ?? 1;
  if (e.series) {
    last = age(e.series.lastObservedTime);
    count = e.series.count;
  }
  const io = e.involvedObject ?? {};
  const target = io.name ? `${String(io.kind).toLowerCase()}/${io.name}` : String(io.kind ?? '').toLowerCase();
  const source = e.source?.component ? `${e.source.component}${e.source.host ? `, ${e.source.host}` : ''}` : `${e.reportingComponent ?? ''}${e.reportingInstance ? `, ${e.reportingInstance}` : ''}`;
  return [last, e.type ?? '', e.reason ?? '', target, io.fieldPath ?? '', source, String(e.message ?? '').trim(), first, count, e.metadata.name];
}

function nodeRow(n: KubeObject, age: (t?: string) => string): Cells {
  const ready = (n.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
  const states = [ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown'];
  if (n.spec?.unschedulable) states.push('SchedulingDisabled');
  const roles = Object.keys(n.metadata.labels ?? {}).filter((l) => l.startsWith('node-role.kubernetes.io/')).map((l) => l.slice('node-role.kubernetes.io/'.length));
  const address = (type: string) => (n.status?.addresses ?? []).find((a: any) => a.type === type)?.address ?? none;
  const info = n.status?.nodeInfo ?? {};
  return [n.metadata.name, states.join(','), roles.join(',') || none, age(n.metadata.creationTimestamp), info.kubeletVersion ?? '', address('InternalIP'), address('ExternalIP'), info.osImage ?? '', info.kernelVersion ?? '', info.containerRuntimeVersion ?? ''];
}

function hpaRow(h: KubeObject, age: (t?: string) => string): Cells {
  const ref = h.spec?.scaleTargetRef ?? {};
  const targets = (h.spec?.metrics ?? []).map((m: any) => {
    const name = m.resource?.name ?? 'metric';
    const cur = (h.status?.currentMetrics ?? []).find((c: any) => c.resource?.name === name)?.resource?.current?.averageUtilization;
    return `${name}: ${cur === undefined ? '<unknown>' : `${cur}%`}/${m.resource?.target?.averageUtilization ?? '?'}%`;
  });
  return [h.metadata.name, `${ref.kind}/${ref.name}`, targets.join(', ') || none, h.spec?.minReplicas ?? 1, h.spec?.maxReplicas ?? 0, h.status?.currentReplicas ?? 0, age(h.metadata.creationTimestamp)];
}

interface TableSpec {
  columns: Column[];
  row: (o: KubeObject, age: (t?: string) => string) => Cells;
}

const specs: Record<string, TableSpec> = {
  pods: { columns: [nameCol(), col('Ready'), col('Status'), col('Restarts'), col('Age'), col('IP', 1), col('Node', 1), col('Nominated Node', 1), col('Readiness Gates', 1)], row: podRow },
  deployments: {
    columns: [nameCol(), col('Ready'), col('Up-to-date', 0, 'integer'), col('Available', 0, 'integer'), col('Age'), col('Containers', 1), col('Images', 1), col('Selector', 1)],
    row: (d, age) => [d.metadata.name, `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`, d.status?.updatedReplicas ?? 0, d.status?.availableReplicas ?? 0, age(d.metadata.creationTimestamp), containers(d), images(d), selector(d)],
  },
  replicasets: {
    columns: [nameCol(), col('Desired', 0, 'integer'), col('Current', 0, 'integer'), col('Ready', 0, 'integer'), col('Age'), col('Containers', 1), col('Images', 1), col('Selector', 1)],
    row: (r, age) => [r.metadata.name, r.spec?.replicas ?? 0, r.status?.replicas ?? 0, r.status?.readyReplicas ?? 0, age(r.metadata.creationTimestamp), containers(r), images(r), selector(r)],
  },
  statefulsets: {
    columns: [nameCol(), col('Ready'), col('Age'), col('Containers', 1), col('Images', 1)],
    row: (s, age) => [s.metadata.name, `${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 0}`, age(s.metadata.creationTimestamp), containers(s), images(s)],
  },
  daemonsets: {
    columns: [nameCol(), col('Desired', 0, 'integer'), col('Current', 0, 'integer'), col('Ready', 0, 'integer'), col('Up-to-date', 0, 'integer'), col('Available', 0, 'integer'), col('Node Selector'), col('Age'), col('Containers', 1), col('Images', 1), col('Selector', 1)],
    row: (s, age) => [s.metadata.name, s.status?.desiredNumberScheduled ?? 0, s.status?.currentNumberScheduled ?? 0, s.status?.numberReady ?? 0, s.status?.updatedNumberScheduled ?? 0, s.status?.numberAvailable ?? 0, Object.entries(s.spec?.template?.spec?.nodeSelector ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(',') || none, age(s.metadata.creationTimestamp), containers(s), images(s), selector(s)],
  },
  events: { columns: [col('Last Seen'), col('Type'), col('Reason'), col('Object'), col('Subobject', 1), col('Source', 1), col('Message'), col('First Seen', 1), col('Count', 1, 'integer'), col('Name', 1)], row: eventRow },
  nodes: { columns: [nameCol(), col('Status'), col('Roles'), col('Age'), col('Version'), col('Internal-IP', 1), col('External-IP', 1), col('OS-Image', 1), col('Kernel-Version', 1), col('Container-Runtime', 1)], row: nodeRow },
  namespaces: { columns: [nameCol(), col('Status'), col('Age')], row: (n, age) => [n.metadata.name, n.status?.phase ?? 'Active', age(n.metadata.creationTimestamp)] },
  horizontalpodautoscalers: { columns: [nameCol(), col('Reference'), col('Targets'), col('MinPods', 0, 'integer'), col('MaxPods', 0, 'integer'), col('Replicas', 0, 'integer'), col('Age')], row: hpaRow },
};

const fallback: TableSpec = { columns: [nameCol(), col('Created At', 0, 'date')], row: (o) => [o.metadata.name, o.metadata.creationTimestamp] };

/** A meta.k8s.io/v1 Table, computed the way the API server's printers do. */
export function buildTable(resource: string, objects: KubeObject[], resourceVersion: string, now: number, includeObject: string | null) {
  const spec = specs[resource] ?? fallback;
  const age = (t?: string) => (t ? formatAge(now - Date.parse(t)) : '<unknown>');
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: spec.columns.map((c) => ({ description: '', ...c })),
    rows: objects.map((o) => ({
      cells: spec.row(o, age),
      object:
        includeObject === 'Object'
          ? o
          : includeObject === 'None'
            ? null
            : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
