import type { V1Pod } from '@kubernetes/client-node';
import type { TargetSnapshot } from '../actions/proposal.js';
import type { ClusterReader } from '../../kube/reader.js';
import { controllerOf } from '../../kube/selectors.js';
import { fail, pass, wait, type Look } from './poll.js';
import { fatalReasonOf, isPodReady, isTerminating } from './rollout-status.js';

/** What we know of the deleted pod: its uid (to tell it from a same-name replacement) and its controller. */
export interface OriginalPod {
  uid?: string | undefined;
  ownerKind?: string | undefined;
  ownerName?: string | undefined;
}

/**
 * From the snapshot taken when the action was proposed, or, failing that, from the pod
 * if it is still terminating, or from its name (`<replicaset>-<suffix>`).
 */
export async function originalPodOf(reader: ClusterReader, namespace: string, name: string, target?: TargetSnapshot): Promise<OriginalPod> {
  const current = target?.current ?? {};
  const owner = typeof current.owner === 'string' ? current.owner.split('/') : [];
  if (typeof current.uid === 'string' && owner.length === 2) return { uid: current.uid, ownerKind: owner[0], ownerName: owner[1] };
  const pod = await reader.getPod(namespace, name);
  const ref = controllerOf(pod?.metadata);
  if (pod && ref) {
    // A StatefulSet pod that is not terminating is already the replacement (same name, new uid).
    const isReplacement = ref.kind === 'StatefulSet' && !isTerminating(pod);
    return { uid: isReplacement ? undefined : pod.metadata?.uid, ownerKind: ref.kind, ownerName: ref.name };
  }
  const cut = name.lastIndexOf('-');
  return cut > 0 ? { ownerKind: 'ReplicaSet', ownerName: name.slice(0, cut) } : {};
}

async function desiredOfReplicaSet(reader: ClusterReader, namespace: string, replicaSet: string): Promise<number | undefined> {
  const cut = replicaSet.lastIndexOf('-');
  if (cut <= 0) return undefined;
  const sets = await reader.listDeploymentReplicaSets(namespace, replicaSet.slice(0, cut));
  return sets.find((rs) => rs.metadata?.name === replicaSet)?.spec?.replicas;
}

const newest = (pods: V1Pod[]) =>
  [...pods].sort((a, b) => new Date(b.metadata?.creationTimestamp ?? 0).getTime() - new Date(a.metadata?.creationTimestamp ?? 0).getTime())[0];

/**
 * restart_pod is done when the deleted pod's controller again has its pods Ready without
 * it: for a StatefulSet, the same-name pod with a new uid; otherwise as many Ready pods
 * (other than the deleted one) as the ReplicaSet wants.
 */
export function createReplacementLook(reader: ClusterReader, namespace: string, name: string, original: OriginalPod) {
  let seen: V1Pod[] = [];
  async function look(): Promise<Look> {
    if (original.ownerKind === undefined || original.ownerName === undefined) {
      return fail(`pod ${namespace}/${name} has no controller: nothing will replace it`);
    }
    if (original.ownerKind === 'StatefulSet') {
      const pod = await reader.getPod(namespace, name);
      seen = pod ? [pod] : [];
      if (!pod) return wait(`pod ${name} not recreated yet`);
      if (isTerminating(pod) || (original.uid !== undefined && pod.metadata?.uid === original.uid)) return wait(`pod ${name} is still the old one`);
      const fatal = fatalReasonOf(pod);
      if (fatal) return fail(`replacement pod ${name}: ${fatal}`);
      return isPodReady(pod) ? pass(`replacement pod ${name} is Ready`) : wait(`replacement pod ${name} not Ready yet`);
    }
    const all = await reader.listPods(namespace);
    seen = all.filter((p) => controllerOf(p.metadata)?.name === original.ownerName && !isTerminating(p));
    const isOriginal = (p: V1Pod) => (original.uid !== undefined ? p.metadata?.uid === original.uid : p.metadata?.name === name);
    if (seen.some(isOriginal)) return wait(`pod ${name} is not deleted yet`);
    const others = seen.filter((p) => !isOriginal(p));
    const desired = original.ownerKind === 'ReplicaSet' ? await desiredOfReplicaSet(reader, namespace, original.ownerName) : undefined;
    const ready = others.filter(isPodReady);
    const want = desired ?? Math.max(1, others.length);
    if (others.length >= want) {
      const latest = newest(others);
      const fatal = latest ? fatalReasonOf(latest) : undefined;
      if (latest && fatal) return fail(`replacement pod ${latest.metadata?.name ?? '?'}: ${fatal}`);
    }
    if (ready.length >= want && want > 0) return pass(`${original.ownerKind} ${original.ownerName} has ${ready.length}/${want} pods Ready without ${name}`);
    return wait(`${original.ownerKind} ${original.ownerName}: ${ready.length}/${want} pods Ready without ${name}`);
  }
  return { look, pods: () => seen };
}
