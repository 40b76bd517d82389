import * as k8s from '@kubernetes/client-node';
import type { GatherTarget } from '../../src/analysis/gather.js';
import type { SandboxCluster } from '../../sandbox/cluster/index.js';

/** What a diagnosis case builds with: the API as a cluster admin would use it, and settle. */
export interface World {
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
  batch: k8s.BatchV1Api;
  policy: k8s.PolicyV1Api;
  autoscaling: k8s.AutoscalingV2Api;
  storage: k8s.StorageV1Api;
  cluster: SandboxCluster;
  /** Creates a one-container Deployment in `shop` (as `kubectl create -f` would). */
  deploy(name: string, replicas: number, spec?: DeploySpec): Promise<GatherTarget>;
}

export interface DeploySpec {
  pod?: Partial<k8s.V1PodSpec>;
  container?: Partial<k8s.V1Container>;
  resources?: k8s.V1ResourceRequirements;
  annotations?: Record<string, string>;
}

export const ns = 'shop';

export const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

/** The admin context of the sandbox's kubeconfig: builds what a user would build. */
export async function worldFor(cluster: SandboxCluster): Promise<World> {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(cluster.kubeconfigYaml());
  kc.setCurrentContext('sandbox-admin');
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  await core.createNamespace({ body: { metadata: { name: ns } } });
  const world: World = {
    core,
    apps,
    batch: kc.makeApiClient(k8s.BatchV1Api),
    policy: kc.makeApiClient(k8s.PolicyV1Api),
    autoscaling: kc.makeApiClient(k8s.AutoscalingV2Api),
    storage: kc.makeApiClient(k8s.StorageV1Api),
    cluster,
    async deploy(name, replicas, spec = {}) {
      const container: k8s.V1Container = {
        name,
        image: `registry.example.com/team/${name}:1.0`,
        resources: spec.resources ?? { requests: { cpu: '100m', memory: '128Mi' } },
        ...spec.container,
      };
      await apps.createNamespacedDeployment({
        namespace: ns,
        body: {
          metadata: { name },
          spec: {
            replicas,
            selector: { matchLabels: { app: name } },
            template: { metadata: { labels: { app: name }, ...(spec.annotations ? { annotations: spec.annotations } : {}) }, spec: { ...spec.pod, containers: [container] } },
          },
        },
      });
      return { namespace: ns, deployment: name };
    },
  };
  return world;
}
