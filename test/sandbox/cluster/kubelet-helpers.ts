/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- pods and events are wire JSON */
import { afterAll, beforeAll } from 'vitest';
import { startSandboxCluster, type SandboxCluster } from '../../../sandbox/cluster/index.js';
import { waitFor } from '../../../sandbox/shared/wait.js';
import { adminToken, call } from './wire.js';

/** Writes and reads as the admin user: these tests build workloads, they do not test RBAC. */
export const admin = { token: adminToken };

/** A sandbox with only the base scenario and one empty namespace, started for the file's tests. */
export function useKubeletSandbox(namespace: string): { cluster: () => SandboxCluster } {
  let cluster: SandboxCluster | undefined;
  beforeAll(async () => {
    cluster = await startSandboxCluster({ scenarios: [], timeScale: 100 });
    await call(cluster, 'POST', '/api/v1/namespaces', { metadata: { name: namespace } }, admin);
  });
  afterAll(async () => {
    await cluster?.close();
  });
  return {
    cluster: () => {
      if (!cluster) throw new Error('the sandbox starts in beforeAll');
      return cluster;
    },
  };
}

export const prefix = 'sandbox.deckhand.dev/';

/** The program annotations, keys without the prefix. */
export function program(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`${prefix}${k}`, v]));
}

export interface Workload {
  annotations?: Record<string, string>;
  /** The main container, merged over `{ name, image }`. */
  container?: Record<string, unknown>;
  /** More containers after the main one. */
  sidecars?: Record<string, unknown>[];
  /** Pod spec fields beside the containers (volumes, imagePullSecrets, restartPolicy…). */
  spec?: Record<string, unknown>;
}

const image = 'registry.example.com/tests/app:1.0';

/** POSTs a one-replica Deployment `name` (label app=name) as a user would. */
export async function deploy(cluster: SandboxCluster, namespace: string, name: string, w: Workload = {}): Promise<void> {
  const res = await call(cluster, 'POST', `/apis/apps/v1/namespaces/${namespace}/deployments`, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, ...(w.annotations ? { annotations: w.annotations } : {}) },
        spec: { containers: [{ name, image, ...w.container }, ...(w.sidecars ?? [])], ...w.spec },
      },
    },
  }, admin);
  if (res.status !== 201) throw new Error(`create deployment ${name}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** POSTs a bare Pod `name`. */
export async function createPod(cluster: SandboxCluster, namespace: string, name: string, w: Workload = {}): Promise<void> {
  const res = await call(cluster, 'POST', `/api/v1/namespaces/${namespace}/pods`, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: name }, ...(w.annotations ? { annotations: w.annotations } : {}) },
    spec: { containers: [{ name, image, ...w.container }, ...(w.sidecars ?? [])], ...w.spec },
  }, admin);
  if (res.status !== 201) throw new Error(`create pod ${name}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Creates a ConfigMap or Secret (as the admin: Deckhand's identity may not touch Secrets). */
export async function createObject(cluster: SandboxCluster, namespace: string, resource: 'configmaps' | 'secrets', body: Record<string, unknown>): Promise<void> {
  const res = await call(cluster, 'POST', `/api/v1/namespaces/${namespace}/${resource}`, body, admin);
  if (res.status !== 201) throw new Error(`create ${resource}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** The first pod of app `name` as the API shows it. */
export async function podOf(cluster: SandboxCluster, namespace: string, name: string): Promise<any> {
  const res = await call(cluster, 'GET', `/api/v1/namespaces/${namespace}/pods?labelSelector=app%3D${name}`, undefined, admin);
  return res.body.items[0];
}

/** Waits until the app's pod passes `test`, and returns it. */
export function waitForPod(cluster: SandboxCluster, namespace: string, name: string, test: (pod: any) => boolean, timeoutMs = 10_000): Promise<any> {
  return waitFor(
    async () => {
      const pod = await podOf(cluster, namespace, name);
      return pod && test(pod) ? pod : undefined;
    },
    { timeoutMs, message: `pod of ${name} never reached the expected state` },
  );
}

/** The events about a pod, as `kubectl describe` reads them. */
export async function eventsOf(cluster: SandboxCluster, namespace: string, pod: string): Promise<any[]> {
  return (await call(cluster, 'GET', `/api/v1/namespaces/${namespace}/events?fieldSelector=involvedObject.name%3D${pod}`, undefined, admin)).body.items;
}

/** Waits for an event about the pod with that reason whose message passes `match`. */
export function waitForEvent(cluster: SandboxCluster, namespace: string, pod: string, reason: string, match: (message: string) => boolean = () => true): Promise<any> {
  return waitFor(async () => (await eventsOf(cluster, namespace, pod)).find((e) => e.reason === reason && match(String(e.message))), { message: `no ${reason} event for ${pod}` });
}

export const main = (pod: any): any => pod.status?.containerStatuses?.[0];
export const readyCondition = (pod: any): any => pod.status?.conditions?.find((c: any) => c.type === 'Ready');
