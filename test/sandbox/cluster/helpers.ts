import * as k8s from '@kubernetes/client-node';
import type { SandboxCluster } from '../../../src/sandbox/cluster/index.js';

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
