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

/** "a,b,c + 2 more...", or `empty` when there is nothing: the printers' short lists. */
function listWithMore(list: string[], empty: string, max = 3): string {
  if (list.length > max) return `${list.slice(0, max).join(',')} + ${list.length - max} more...`;
  return list.length ? list.join(',') : empty;
}

function endpointsCell(e: KubeObject): string {
  const subsets: any[] = e.subsets ?? [];
  if (subsets.length === 0) return none;
  const list: string[] = subsets.flatMap((ss) => {
    const ips: string[] = (ss.addresses ?? []).map((a: any) => String(a.ip));
    if (!ss.ports?.length) return ips;
    return (ss.ports as any[]).flatMap((port) => ips.map((ip) => `${ip}:${String(port.port)}`));
  });
  return listWithMore(list, '');
}

const accessModes = (modes: string[] | undefined): string =>
  ([['ReadWriteOnce', 'RWO'], ['ReadOnlyMany', 'ROX'], ['ReadWriteMany', 'RWX'], ['ReadWriteOncePod', 'RWOP']] as const)
    .filter(([mode]) => (modes ?? []).includes(mode))
    .map(([, short]) => short)
    .join(',');

function servicePorts(s: KubeObject): string {
  const ports = (s.spec?.ports ?? []).map((p: any) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`));
  return ports.join(',') || none;
}

function serviceExternalIP(s: KubeObject): string {
  const external: string[] = s.spec?.externalIPs ?? [];
  switch (s.spec?.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : none;
    case 'LoadBalancer': {
      const ingress = (s.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip || i.hostname).filter(Boolean);
      const all = [...ingress, ...external];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return s.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

const hasCondition = (o: KubeObject, type: string): boolean => (o.status?.conditions ?? []).some((c: any) => c.type === type && c.status === 'True');

function jobRow(j: KubeObject, age: (t?: string) => string): Cells {
  const succeeded = j.status?.succeeded ?? 0;
  const parallelism = j.spec?.parallelism ?? 0;
  const completions = j.spec?.completions !== undefined && j.spec?.completions !== null ? `${succeeded}/${j.spec.completions}` : parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
  const start = j.status?.startTime ? Date.parse(j.status.startTime) : undefined;
  const end = j.status?.completionTime ? Date.parse(j.status.completionTime) : undefined;
  const duration = start === undefined ? '' : end === undefined ? age(j.status.startTime) : formatAge(end - start);
  const status = hasCondition(j, 'Complete') ? 'Complete' : hasCondition(j, 'Failed') ? 'Failed' : j.metadata.deletionTimestamp ? 'Terminating' : hasCondition(j, 'Suspended') ? 'Suspended' : hasCondition(j, 'FailureTarget') ? 'FailureTarget' : 'Running';
  return [j.metadata.name, status, completions, duration, age(j.metadata.creationTimestamp), containers(j), images(j), selector(j)];
}

function cronJobRow(c: KubeObject, age: (t?: string) => string): Cells {
  const jobTemplate = { spec: c.spec?.jobTemplate?.spec } as KubeObject;
  const suspend = c.spec?.suspend === undefined || c.spec?.suspend === null ? '<unset>' : c.spec.suspend ? 'True' : 'False';
  const last = c.status?.lastScheduleTime ? age(c.status.lastScheduleTime) : none;
  return [c.metadata.name, c.spec?.schedule ?? '', c.spec?.timeZone ?? none, suspend, (c.status?.active ?? []).length, last, age(c.metadata.creationTimestamp), containers(jobTemplate), images(jobTemplate), selector(jobTemplate)];
}

function pvcRow(c: KubeObject, age: (t?: string) => string): Cells {
  const bound = Boolean(c.spec?.volumeName);
  const phase = c.metadata.deletionTimestamp ? 'Terminating' : (c.status?.phase ?? '');
  return [c.metadata.name, phase, c.spec?.volumeName ?? '', bound ? (c.status?.capacity?.storage ?? '') : '', bound ? accessModes(c.status?.accessModes) : '', c.spec?.storageClassName ?? '', c.spec?.volumeAttributesClassName ?? '<unset>', age(c.metadata.creationTimestamp), c.spec?.volumeMode ?? '<unset>'];
}

function pvRow(v: KubeObject, age: (t?: string) => string): Cells {
  const ref = v.spec?.claimRef;
  const phase = v.metadata.deletionTimestamp ? 'Terminating' : (v.status?.phase ?? '');
  return [v.metadata.name, v.spec?.capacity?.storage ?? '', accessModes(v.spec?.accessModes), v.spec?.persistentVolumeReclaimPolicy ?? '', phase, ref ? `${ref.namespace ?? ''}/${ref.name ?? ''}` : '', v.spec?.storageClassName ?? '', v.spec?.volumeAttributesClassName ?? '<unset>', v.status?.reason ?? '', age(v.metadata.creationTimestamp), v.spec?.volumeMode ?? '<unset>'];
}

function quotaRow(q: KubeObject, age: (t?: string) => string): Cells {
  const hard: Record<string, string> = q.status?.hard ?? {};
  const used: Record<string, string> = q.status?.used ?? {};
  const request: string[] = [];
  const limit: string[] = [];
  for (const resource of Object.keys(hard).sort()) {
    (resource.startsWith('limits.') ? limit : request).push(`${resource}: ${used[resource] ?? '0'}/${hard[resource]}`);
  }
  return [q.metadata.name, request.join(', '), limit.join(', '), age(q.metadata.creationTimestamp)];
}

function storageClassRow(c: KubeObject, age: (t?: string) => string): Cells {
  const annotations = c.metadata.annotations ?? {};
  const isDefault = annotations['storageclass.kubernetes.io/is-default-class'] === 'true' || annotations['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
  return [isDefault ? `${c.metadata.name} (default)` : c.metadata.name, c.provisioner ?? '', c.reclaimPolicy ?? 'Delete', c.volumeBindingMode ?? 'Immediate', c.allowVolumeExpansion ?? false, age(c.metadata.creationTimestamp)];
}

const intOrNA = (v: unknown): string => (typeof v === 'number' || typeof v === 'string' ? String(v) : 'N/A');
const count = (v: unknown): number => (v && typeof v === 'object' ? Object.keys(v).length : 0);

const bindingTable: TableSpec = {
  columns: [nameCol(), col('Role'), col('Age'), col('Users', 1), col('Groups', 1), col('ServiceAccounts', 1)],
  row: (b, age) => [b.metadata.name, `${String(b.roleRef?.kind)}/${String(b.roleRef?.name)}`, age(b.metadata.creationTimestamp), subjectsOf(b, 'User'), subjectsOf(b, 'Group'), subjectsOf(b, 'ServiceAccount')],
};

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
  services: {
    columns: [nameCol(), col('Type'), col('Cluster-IP'), col('External-IP'), col('Port(s)'), col('Age'), col('Selector', 1)],
    row: (s, age) => [s.metadata.name, s.spec?.type ?? 'ClusterIP', s.spec?.clusterIPs?.[0] ?? none, serviceExternalIP(s), servicePorts(s), age(s.metadata.creationTimestamp), Object.entries(s.spec?.selector ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(',') || none],
  },
  endpoints: { columns: [nameCol(), col('Endpoints'), col('Age')], row: (e, age) => [e.metadata.name, endpointsCell(e), age(e.metadata.creationTimestamp)] },
  endpointslices: {
    columns: [nameCol(), col('AddressType'), col('Ports'), col('Endpoints'), col('Age')],
    row: (e, age) => [
      e.metadata.name,
      e.addressType ?? '',
      listWithMore((e.ports ?? []).map((p: any) => String(p.port ?? p.name ?? '*')), '<unset>'),
      listWithMore((e.endpoints ?? []).flatMap((x: any) => x.addresses ?? []), '<unset>'),
      age(e.metadata.creationTimestamp),
    ],
  },
  configmaps: { columns: [nameCol(), col('Data'), col('Age')], row: (c, age) => [c.metadata.name, count(c.data) + count(c.binaryData), age(c.metadata.creationTimestamp)] },
  secrets: { columns: [nameCol(), col('Type'), col('Data'), col('Age')], row: (s, age) => [s.metadata.name, s.type ?? 'Opaque', count(s.data), age(s.metadata.creationTimestamp)] },
  serviceaccounts: { columns: [nameCol(), col('Secrets'), col('Age')], row: (s, age) => [s.metadata.name, (s.secrets ?? []).length, age(s.metadata.creationTimestamp)] },
  persistentvolumeclaims: { columns: [nameCol(), col('Status'), col('Volume'), col('Capacity'), col('Access Modes'), col('StorageClass'), col('VolumeAttributesClass'), col('Age'), col('VolumeMode', 1)], row: pvcRow },
  persistentvolumes: {
    columns: [nameCol(), col('Capacity'), col('Access Modes'), col('Reclaim Policy'), col('Status'), col('Claim'), col('StorageClass'), col('VolumeAttributesClass'), col('Reason'), col('Age'), col('VolumeMode', 1)],
    row: pvRow,
  },
  storageclasses: { columns: [nameCol(), col('Provisioner'), col('ReclaimPolicy'), col('VolumeBindingMode'), col('AllowVolumeExpansion'), col('Age')], row: storageClassRow },
  resourcequotas: { columns: [nameCol(), col('Request'), col('Limit'), col('Age')], row: quotaRow },
  poddisruptionbudgets: {
    columns: [nameCol(), col('Min Available'), col('Max Unavailable'), col('Allowed Disruptions', 0, 'integer'), col('Age')],
    row: (p, age) => [p.metadata.name, intOrNA(p.spec?.minAvailable), intOrNA(p.spec?.maxUnavailable), p.status?.disruptionsAllowed ?? 0, age(p.metadata.creationTimestamp)],
  },
  jobs: { columns: [nameCol(), col('Status'), col('Completions'), col('Duration'), col('Age'), col('Containers', 1), col('Images', 1), col('Selector', 1)], row: jobRow },
  cronjobs: {
    columns: [nameCol(), col('Schedule'), col('Timezone'), col('Suspend', 0, 'boolean'), col('Active', 0, 'integer'), col('Last Schedule'), col('Age'), col('Containers', 1), col('Images', 1), col('Selector', 1)],
    row: cronJobRow,
  },
  leases: { columns: [nameCol(), col('Holder'), col('Age')], row: (l, age) => [l.metadata.name, l.spec?.holderIdentity ?? '', age(l.metadata.creationTimestamp)] },
  rolebindings: bindingTable,
  clusterrolebindings: bindingTable,
};

/** Subjects of one kind, as the RBAC printers list them (service accounts as namespace/name). */
function subjectsOf(b: KubeObject, kind: string): string {
  return (b.subjects ?? []).filter((x: any) => x.kind === kind).map((x: any) => (kind === 'ServiceAccount' ? `${x.namespace ?? ''}/${x.name}` : x.name)).join(', ');
}

const fallback: TableSpec = { columns: [nameCol(), col('Created At', 0, 'date')], row: (o) => [o.metadata.name, o.metadata.creationTimestamp] };

/** A meta.k8s.io/v1 Table, computed the way the API server's printers do. */
export function buildTable(resource: string, objects: KubeObject[], listMeta: string | { resourceVersion: string; continue?: string; remainingItemCount?: number }, now: number, includeObject: string | null) {
  const spec = specs[resource] ?? fallback;
  const age = (t?: string) => (t ? formatAge(now - Date.parse(t)) : '<unknown>');
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: typeof listMeta === 'string' ? { resourceVersion: listMeta } : listMeta,
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
