import {
  AppsV1Api,
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type V1Container,
  type V1DaemonSet,
  type V1Deployment,
  type V1StatefulSet,
} from '@kubernetes/client-node';
import type { Action, RolloutKind } from '../actions/catalog.js';
import { systemClock, type Clock } from '../../shared/clock.js';
import { isNotFound, toKubeError } from '../../kube/errors.js';
import { dryRunParam, failed, failureOf, prefixOf, succeeded, type ExecutionResult } from './result.js';
import { undoRollout } from './rollout-undo.js';
import { formatResourceList } from '../../kube/format/container.js';

export type { ExecutionResult } from './result.js';

export interface ExecuteOptions {
  /** Server-side dry run (`dryRun=All`): validated and admitted by the API server, nothing persisted. */
  dryRun: boolean;
  fieldManager?: string;
  /** Cluster name, for error messages. */
  cluster?: string;
  /** For the restartedAt annotation. */
  clock?: Clock;
}

const strategicMerge = () => setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
const mergePatch = () => setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const resourceOf: Record<RolloutKind, string> = { Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets' };

/**
 * Runs one catalog action through client-node (never a shell). Callers run it twice: first
 * with `dryRun: true`, then for real; both go through here so they send the same request.
 * API failures come back as `{ ok: false }` values with a clear message (403 names the verb
 * and resource the service account lacks).
 */
export async function executeAction(kc: KubeConfig, action: Action, options: ExecuteOptions): Promise<ExecutionResult> {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const fieldManager = options.fieldManager ?? 'deckhand';
  const dry = dryRunParam(options.dryRun);
  const prefix = prefixOf(options.dryRun);
  const cluster = options.cluster;
  const clock = options.clock ?? systemClock;

  async function step<T>(verb: string, resource: string, ns: string | undefined, name: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toKubeError(err, { verb, resource, namespace: ns, name, cluster });
    }
  }

  async function readWorkload(kind: RolloutKind, namespace: string, name: string): Promise<V1Deployment | V1StatefulSet | V1DaemonSet | undefined> {
    try {
      if (kind === 'Deployment') return await apps.readNamespacedDeployment({ namespace, name });
      if (kind === 'StatefulSet') return await apps.readNamespacedStatefulSet({ namespace, name });
      return await apps.readNamespacedDaemonSet({ namespace, name });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw toKubeError(err, { verb: 'get', resource: resourceOf[kind], namespace, name, cluster });
    }
  }

  async function patchWorkload(kind: RolloutKind, namespace: string, name: string, body: object): Promise<void> {
    const params = { namespace, name, body, fieldManager, ...dry };
    await step('patch', resourceOf[kind], namespace, name, async () => {
      if (kind === 'Deployment') await apps.patchNamespacedDeployment(params, strategicMerge());
      else if (kind === 'StatefulSet') await apps.patchNamespacedStatefulSet(params, strategicMerge());
      else await apps.patchNamespacedDaemonSet(params, strategicMerge());
    });
  }

  const missing = (kind: string, namespace: string | undefined, name: string) =>
    failed('not_found', `${kind} "${name}" not found${namespace ? ` in namespace ${namespace}` : ''}`);

  try {
    switch (action.type) {
      case 'restart_pod': {
        const { namespace, pod } = action;
        try {
          await core.deleteNamespacedPod({ namespace, name: pod, propagationPolicy: 'Background', ...dry });
        } catch (err) {
          if (isNotFound(err)) return missing('pod', namespace, pod);
          throw toKubeError(err, { verb: 'delete', resource: 'pods', namespace, name: pod, cluster });
        }
        return succeeded(`${prefix}deleted pod ${namespace}/${pod}; its controller will create a replacement`);
      }
      case 'rollout_restart': {
        const { kind, namespace, name } = action;
        const workload = await readWorkload(kind, namespace, name);
        if (!workload) return missing(kind, namespace, name);
        if (kind === 'Deployment' && isPaused(workload)) {
          return failed('conflict', `can't restart paused deployment (run rollout resume first)`);
        }
        const restartedAt = new Date(clock()).toISOString().replace(/\.\d{3}Z$/, 'Z');
        await patchWorkload(kind, namespace, name, {
          spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': restartedAt } } } },
        });
        return succeeded(`${prefix}restarted ${kind} ${namespace}/${name} (restartedAt ${restartedAt})`);
      }
      case 'scale': {
        const { kind, namespace, name, replicas } = action;
        const resource = kind === 'Deployment' ? 'deployments/scale' : 'statefulsets/scale';
        let before: number | undefined;
        try {
          const scale = kind === 'Deployment' ? await apps.readNamespacedDeploymentScale({ namespace, name }) : await apps.readNamespacedStatefulSetScale({ namespace, name });
          before = scale.spec?.replicas;
        } catch (err) {
          if (isNotFound(err)) return missing(kind, namespace, name);
          throw toKubeError(err, { verb: 'get', resource, namespace, name, cluster });
        }
        const params = { namespace, name, body: { spec: { replicas } }, fieldManager, ...dry };
        await step('patch', resource, namespace, name, async () => {
          if (kind === 'Deployment') await apps.patchNamespacedDeploymentScale(params, mergePatch());
          else await apps.patchNamespacedStatefulSetScale(params, mergePatch());
        });
        return succeeded(`${prefix}scaled ${kind} ${namespace}/${name} from ${before ?? '?'} to ${replicas} replicas`);
      }
      case 'rollout_undo':
        return await undoRollout(apps, action, { dryRun: options.dryRun, fieldManager, cluster });
      case 'set_resources': {
        const { kind, namespace, name, container } = action;
        const workload = await readWorkload(kind, namespace, name);
        if (!workload) return missing(kind, namespace, name);
        const containers: V1Container[] = workload.spec?.template.spec?.containers ?? [];
        const current = containers.find((c) => c.name === container);
        if (!current) {
          return failed('not_found', `container "${container}" not found in ${kind} ${namespace}/${name} (containers: ${containers.map((c) => c.name).join(', ') || 'none'})`);
        }
        const resources: { limits?: Record<string, string>; requests?: Record<string, string> } = {};
        if (action.limits) resources.limits = { ...action.limits } as Record<string, string>;
        if (action.requests) resources.requests = { ...action.requests } as Record<string, string>;
        await patchWorkload(kind, namespace, name, {
          spec: {
            template: {
              // As kubectl sends it: the element order keeps the container list as it is.
              spec: { '$setElementOrder/containers': containers.map((c) => ({ name: c.name })), containers: [{ name: container, resources }] },
            },
          },
        });
        const change = (['limits', 'requests'] as const)
          .filter((part) => resources[part])
          .map((part) => `${part} ${formatResourceList(resources[part])} (was ${formatResourceList(current.resources?.[part])})`)
          .join('; ');
        return succeeded(`${prefix}set resources of container ${container} in ${kind} ${namespace}/${name}: ${change}`);
      }
      case 'cordon_node':
      case 'uncordon_node': {
        const { node } = action;
        const cordon = action.type === 'cordon_node';
        let current;
        try {
          current = await core.readNode({ name: node });
        } catch (err) {
          if (isNotFound(err)) return missing('node', undefined, node);
          throw toKubeError(err, { verb: 'get', resource: 'nodes', name: node, cluster });
        }
        if ((current.spec?.unschedulable === true) === cordon) return succeeded(`node ${node} already ${cordon ? 'cordoned' : 'uncordoned'}`);
        // kubectl uncordon sends null (the field is omitempty); the API server treats it as false.
        const body = { spec: { unschedulable: cordon ? true : null } };
        await step('patch', 'nodes', undefined, node, () => core.patchNode({ name: node, body, fieldManager, ...dry }, strategicMerge()));
        return succeeded(`${prefix}${cordon ? 'cordoned' : 'uncordoned'} node ${node}`);
      }
    }
  } catch (err) {
    return failureOf(err);
  }
}

function isPaused(workload: V1Deployment | V1StatefulSet | V1DaemonSet): boolean {
  return 'paused' in (workload.spec ?? {}) && (workload.spec as { paused?: boolean }).paused === true;
}
