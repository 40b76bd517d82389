import { PatchStrategy, setHeaderOptions, type AppsV1Api, type V1PodTemplateSpec, type V1ReplicaSet } from '@kubernetes/client-node';
import { isNotFound, toKubeError, type KubeErrorContext } from '../../kube/errors.js';
import { ownedReplicaSets } from '../../kube/read/cluster-reader.js';
import { labelSelectorOf, revisionAnnotation, revisionOf } from '../../kube/selectors.js';
import { dryRunParam, failed, prefixOf, succeeded, type ExecutionResult } from './result.js';

const podTemplateHash = 'pod-template-hash';

/** Annotations that belong to the deployment itself and survive a rollback (kubectl's annotationsToSkip). */
const deploymentOwnAnnotations = [
  'kubectl.kubernetes.io/last-applied-configuration',
  revisionAnnotation,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
];

export interface UndoTarget {
  namespace: string;
  name: string;
  toRevision?: number | undefined;
}

/** The RS to roll back to, by kubectl's rule: the exact revision, or the second-highest one. */
export function pickRollbackTarget(replicaSets: readonly V1ReplicaSet[], deployment: string, toRevision: number | undefined): V1ReplicaSet | string {
  const withRevision = replicaSets.filter((rs) => revisionOf(rs.metadata) > 0);
  if (toRevision !== undefined) {
    return withRevision.find((rs) => revisionOf(rs.metadata) === toRevision) ?? `unable to find specified revision ${toRevision} in history`;
  }
  const sorted = [...withRevision].sort((a, b) => revisionOf(b.metadata) - revisionOf(a.metadata));
  return sorted[1] ?? `no rollout history found for deployment "${deployment}"`;
}

/** The RS's pod template as the deployment should carry it: no pod-template-hash, no creationTimestamp. */
export function templateForDeployment(template: V1PodTemplateSpec | undefined): V1PodTemplateSpec {
  const copy = JSON.parse(JSON.stringify(template ?? {})) as V1PodTemplateSpec & { metadata?: Record<string, unknown> };
  const labels = copy.metadata?.labels as Record<string, string> | undefined;
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a constant key: the controller's own label
  if (labels) delete labels[podTemplateHash];
  if (copy.metadata) delete copy.metadata.creationTimestamp;
  return copy;
}

/** Key-order-independent JSON with empty values dropped, for comparing templates as kubectl does. */
function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = canonical((value as Record<string, unknown>)[key]);
      if (v !== undefined && v !== null) out[key] = v;
    }
    return out;
  }
  return value;
}

export function templatesEqual(a: V1PodTemplateSpec | undefined, b: V1PodTemplateSpec | undefined): boolean {
  return JSON.stringify(canonical(templateForDeployment(a))) === JSON.stringify(canonical(templateForDeployment(b)));
}

/**
 * `kubectl rollout undo deployment/<name> [--to-revision=N]`: find the owned ReplicaSet of the
 * target revision and JSON-patch its template (and annotations) into the deployment. There
 * is no API verb for it; the deployment controller then reuses that ReplicaSet.
 */
export async function undoRollout(
  apps: AppsV1Api,
  target: UndoTarget,
  options: { dryRun: boolean; fieldManager: string; cluster?: string | undefined },
): Promise<ExecutionResult> {
  const { namespace, name } = target;
  const ctx = (verb: string, resource: string): KubeErrorContext => ({ verb, resource, namespace, name, cluster: options.cluster });
  let deployment;
  try {
    deployment = await apps.readNamespacedDeployment({ namespace, name });
  } catch (err) {
    if (isNotFound(err)) return failed('not_found', `deployment "${name}" not found in namespace ${namespace}`);
    throw toKubeError(err, ctx('get', 'deployments'));
  }
  if (deployment.spec?.paused) {
    return failed('conflict', `you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/${name}' and try again`);
  }
  const selector = labelSelectorOf(deployment.spec?.selector);
  let list;
  try {
    list = await apps.listNamespacedReplicaSet({ namespace, labelSelector: selector });
  } catch (err) {
    throw toKubeError(err, { ...ctx('list', 'replicasets'), name: undefined });
  }
  const picked = pickRollbackTarget(ownedReplicaSets(list.items, deployment.metadata?.uid), name, target.toRevision);
  if (typeof picked === 'string') return failed('not_found', picked);
  const revision = revisionOf(picked.metadata);
  if (templatesEqual(picked.spec?.template, deployment.spec?.template)) {
    return succeeded(`skipped rollback (current template already matches revision ${revision})`);
  }
  const annotations: Record<string, string> = {};
  for (const key of deploymentOwnAnnotations) {
    const value = deployment.metadata?.annotations?.[key];
    if (value !== undefined) annotations[key] = value;
  }
  for (const [key, value] of Object.entries(picked.metadata?.annotations ?? {})) {
    if (!deploymentOwnAnnotations.includes(key)) annotations[key] = value;
  }
  const body = [
    { op: 'replace', path: '/spec/template', value: templateForDeployment(picked.spec?.template) },
    { op: 'replace', path: '/metadata/annotations', value: annotations },
  ];
  try {
    await apps.patchNamespacedDeployment(
      { namespace, name, body, fieldManager: options.fieldManager, ...dryRunParam(options.dryRun) },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
  } catch (err) {
    throw toKubeError(err, ctx('patch', 'deployments'));
  }
  const current = revisionOf(deployment.metadata);
  return succeeded(`${prefixOf(options.dryRun)}rolled back deployment ${namespace}/${name} from revision ${current || '?'} to revision ${revision}`);
}
