import * as k8s from '@kubernetes/client-node';
import type { SandboxCluster } from '../../../sandbox/cluster/index.js';

export interface Clients {
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
  autoscaling: k8s.AutoscalingV2Api;
  events: k8s.EventsV1Api;
}

export function clientsFor(cluster: SandboxCluster): Clients {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(cluster.kubeconfigYaml());
  return {
    core: kc.makeApiClient(k8s.CoreV1Api),
    apps: kc.makeApiClient(k8s.AppsV1Api),
    autoscaling: kc.makeApiClient(k8s.AutoscalingV2Api),
    events: kc.makeApiClient(k8s.EventsV1Api),
  };
}

/** The Status body of a failed client-node call. */
export async function statusOf(promise: Promise<unknown>): Promise<{ code: number; reason: string; message: string; details?: unknown }> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof k8s.ApiException) return JSON.parse(err.body as string) as { code: number; reason: string; message: string; details?: unknown };
    throw err;
  }
  throw new Error('expected the call to fail');
}

export const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
export const strategic = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);

/** What `kubectl rollout undo --to-revision` sends: a JSON patch of the template and annotations. */
export async function rollbackTo(c: Clients, namespace: string, name: string, revision: number): Promise<void> {
  const d = await c.apps.readNamespacedDeployment({ name, namespace });
  const sets = await c.apps.listNamespacedReplicaSet({ namespace, labelSelector: `app=${name}` });
  const rs = sets.items.find(
    (r) => r.metadata?.ownerReferences?.some((o) => o.uid === d.metadata?.uid) && r.metadata?.annotations?.['deployment.kubernetes.io/revision'] === String(revision),
  );
  if (!rs?.spec?.template) throw new Error(`no revision ${revision} for ${name}`);
  const template = structuredClone(rs.spec.template);
  delete template.metadata!.labels!['pod-template-hash'];
  await c.apps.patchNamespacedDeployment({
    name,
    namespace,
    body: [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': d.metadata?.annotations?.['deployment.kubernetes.io/revision'] } },
    ],
  });
}

/** What `kubectl rollout restart` sends. */
export async function restart(c: Clients, namespace: string, name: string): Promise<void> {
  await c.apps.patchNamespacedDeployment(
    { name, namespace, body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } } } }, fieldManager: 'kubectl-rollout' },
    strategic,
  );
}

/** What `kubectl set resources` sends. */
export async function setResources(c: Clients, namespace: string, name: string, resources: Record<string, Record<string, string>>): Promise<void> {
  await c.apps.patchNamespacedDeployment(
    { name, namespace, body: { spec: { template: { spec: { "$setElementOrder/containers": [{ name }], containers: [{ name, resources }] } } } }, fieldManager: 'kubectl-set' },
    strategic,
  );
}
