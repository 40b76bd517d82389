/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-explicit-any -- DaemonSets and pods are wire JSON */
import type { KubeObject } from '../types.js';
import { createPod, type ClusterContext } from './context.js';
import { deletePodGracefully, isPodReady, podsOf, refusedCreate, write } from './replicas.js';
import { matchesNodeAffinity, tolerates } from './scheduler.js';
import { hashOfTemplate } from './templates.js';

const component = 'daemonset-controller';

/** What the DaemonSet controller adds to every daemon pod (util.AddOrUpdateDaemonPodTolerations): they tolerate these forever. */
const daemonTolerations = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

function daemonTemplate(ds: KubeObject): any {
  const template = structuredClone(ds.spec.template);
  const own: any[] = template.spec?.tolerations ?? [];
  template.spec = { ...template.spec, tolerations: [...own, ...daemonTolerations.filter((d) => !own.some((t) => t.key === d.key && t.effect === d.effect))] };
  return template;
}

/**
 * NodeShouldRunDaemonPod: whether the node takes a new daemon pod (its selector and affinity
 * match, every NoSchedule/NoExecute taint is tolerated), and whether a pod already there may
 * stay (only an untolerated NoExecute taint drives it off).
 */
function placement(template: any, node: KubeObject): { shouldRun: boolean; shouldContinue: boolean } {
  if (!matchesNodeAffinity({ apiVersion: 'v1', kind: 'Pod', metadata: { name: '', uid: '', resourceVersion: '', creationTimestamp: '' }, spec: template.spec }, node)) return { shouldRun: false, shouldContinue: false };
  const tolerations: any[] = template.spec?.tolerations ?? [];
  const untolerated = (node.spec?.taints ?? []).filter((t: any) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tolerations, t));
  return { shouldRun: untolerated.length === 0, shouldContinue: !untolerated.some((t: any) => t.effect === 'NoExecute') };
}

/**
 * The DaemonSet controller: one pod on every node it should run on (taints, cordons and node
 * selectors decide, as NodeShouldRunDaemonPod does), none elsewhere; pods left on nodes they
 * should not run on count as misscheduled; outdated pods are replaced one at a time.
 */
export function syncDaemonSet(ctx: ClusterContext, ds: KubeObject): boolean {
  let changed = false;
  const hash = hashOfTemplate(ds.spec.template);
  const template = daemonTemplate(ds);
  const { active, terminating } = podsOf(ctx, ds);
  const nodes = ctx.store.scan('nodes');
  let desired = 0;
  let misscheduled = 0;
  const wanted: KubeObject[] = [];
  for (const node of nodes) {
    const { shouldRun, shouldContinue } = placement(template, node);
    const here = active.filter((p) => p.spec.nodeName === node.metadata.name);
    if (shouldRun) {
      desired += 1;
      wanted.push(...here);
      if (here.length || terminating.some((p) => p.spec.nodeName === node.metadata.name)) continue;
      if (refusedCreate(ctx, ds, component)) continue;
      const pod = createPod(ctx, { owner: ds, template, nodeName: node.metadata.name, extraLabels: { 'controller-revision-hash': hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) } });
      active.push(pod);
      wanted.push(pod);
      ctx.events.record({ involved: ds, reason: 'SuccessfulCreate', message: `Created pod: ${pod.metadata.name}`, type: 'Normal', component });
      changed = true;
      continue;
    }
    if (!here.length) continue;
    if (shouldContinue) {
      misscheduled += 1;
      continue;
    }
    for (const pod of here) {
      deletePodGracefully(ctx, pod);
      ctx.events.record({ involved: ds, reason: 'SuccessfulDelete', message: `Deleted pod: ${pod.metadata.name}`, type: 'Normal', component });
      active.splice(active.indexOf(pod), 1);
      changed = true;
    }
  }
  const outdated = wanted.filter((p) => p.metadata.labels?.['controller-revision-hash'] !== hash);
  const victim = terminating.length === 0 && wanted.every(isPodReady) ? outdated[0] : undefined;
  if (victim) {
    deletePodGracefully(ctx, victim);
    ctx.events.record({ involved: ds, reason: 'SuccessfulDelete', message: `Deleted pod: ${victim.metadata.name}`, type: 'Normal', component });
    changed = true;
  }
  const live = wanted.filter((p) => p !== victim);
  const ready = live.filter(isPodReady).length;
  ds.status = {
    currentNumberScheduled: live.length,
    numberMisscheduled: misscheduled,
    desiredNumberScheduled: desired,
    numberReady: ready,
    observedGeneration: ds.metadata.generation,
    updatedNumberScheduled: live.filter((p) => p.metadata.labels?.['controller-revision-hash'] === hash).length,
    numberAvailable: ready,
    ...(desired - ready > 0 ? { numberUnavailable: desired - ready } : {}),
  };
  return write(ctx, 'daemonsets', ds) || changed;
}
