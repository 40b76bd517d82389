/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-explicit-any -- pods are wire JSON */
import type { ObjectStore } from '../store.js';
import type { KubeObject } from '../types.js';

/**
 * What the kubelet reads from other objects before it can run a pod: the ConfigMaps and
 * Secrets its volumes, environment and image pull secrets name. Messages are the kubelet's
 * (pkg/kubelet/kubelet_pods.go makeEnvironmentVariables, pkg/volume/configmap and secret).
 */

/** The kubelet retries a container whose environment it cannot build on every pod sync, about every 10s. */
export const configRetryMs = 10_000;

const lookup = (store: ObjectStore, resource: 'configmaps' | 'secrets', namespace: string, name: string) => store.get(resource, namespace, name);
const notFound = (resource: 'configmaps' | 'secrets', name: string) => `${resource === 'configmaps' ? 'configmap' : 'secret'} "${name}" not found`;
const hasKey = (o: KubeObject, key: string) => Object.hasOwn(o.data ?? {}, key) || Object.hasOwn(o.binaryData ?? {}, key);

/**
 * Why a container's environment cannot be built (CreateContainerConfigError), or undefined.
 * envFrom first, then env in order, as the kubelet resolves them; `optional` references may miss.
 */
export function containerConfigError(store: ObjectStore, pod: KubeObject, container: any): string | undefined {
  const ns = pod.metadata.namespace ?? 'default';
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref?.name) continue;
    const resource = from.configMapRef ? 'configmaps' : 'secrets';
    if (!lookup(store, resource, ns, ref.name) && ref.optional !== true) return notFound(resource, ref.name);
  }
  for (const env of container.env ?? []) {
    if (env.value) continue;
    const ref = env.valueFrom?.configMapKeyRef ?? env.valueFrom?.secretKeyRef;
    if (!ref?.name) continue;
    const configMap = Boolean(env.valueFrom.configMapKeyRef);
    const resource = configMap ? 'configmaps' : 'secrets';
    const o = lookup(store, resource, ns, ref.name);
    if (ref.optional === true) continue;
    if (!o) return notFound(resource, ref.name);
    if (!hasKey(o, String(ref.key))) return `couldn't find key ${String(ref.key)} in ${configMap ? 'ConfigMap' : 'Secret'} ${ns}/${ref.name}`;
  }
  return undefined;
}

/** Each volume the kubelet cannot set up, with the FailedMount message (`MountVolume.SetUp failed for volume …`). */
export function mountErrors(store: ObjectStore, pod: KubeObject): string[] {
  const ns = pod.metadata.namespace ?? 'default';
  const errors: string[] = [];
  for (const volume of pod.spec?.volumes ?? []) {
    const sources: { resource: 'configmaps' | 'secrets'; name: string; optional: boolean; items: any[] }[] = [];
    if (volume.configMap?.name) sources.push({ resource: 'configmaps', name: volume.configMap.name, optional: volume.configMap.optional === true, items: volume.configMap.items ?? [] });
    if (volume.secret?.secretName) sources.push({ resource: 'secrets', name: volume.secret.secretName, optional: volume.secret.optional === true, items: volume.secret.items ?? [] });
    for (const p of volume.projected?.sources ?? []) {
      if (p.configMap?.name) sources.push({ resource: 'configmaps', name: p.configMap.name, optional: p.configMap.optional === true, items: p.configMap.items ?? [] });
      if (p.secret?.name) sources.push({ resource: 'secrets', name: p.secret.name, optional: p.secret.optional === true, items: p.secret.items ?? [] });
    }
    for (const s of sources) {
      const o = lookup(store, s.resource, ns, s.name);
      let why: string | undefined;
      if (!o) why = s.optional ? undefined : notFound(s.resource, s.name);
      else {
        const missing = s.items.find((item) => !hasKey(o, String(item.key)));
        if (missing && !s.optional) why = s.resource === 'configmaps' ? `configmap references non-existent config key: ${String(missing.key)}` : `references non-existent secret key: ${String(missing.key)}`;
      }
      if (why) {
        errors.push(`MountVolume.SetUp failed for volume "${String(volume.name)}" : ${why}`);
        break;
      }
    }
  }
  return errors;
}

/** The image pull secrets the pod names that do not exist (the kubelet warns and pulls anyway). */
export function missingPullSecrets(store: ObjectStore, pod: KubeObject): string[] {
  const ns = pod.metadata.namespace ?? 'default';
  return (pod.spec?.imagePullSecrets ?? []).map((r: any) => String(r?.name ?? '')).filter((name: string) => name && !lookup(store, 'secrets', ns, name));
}
