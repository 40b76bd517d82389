import type { V1Pod } from '@kubernetes/client-node';
import type { Action } from '../actions/catalog.js';
import type { TargetSnapshot } from '../actions/proposal.js';
import { systemClock, type Clock } from '../../shared/clock.js';
import { formatNode } from '../../kube/format/node.js';
import { readWorkload } from '../../kube/read/workload.js';
import type { ClusterReader, WorkloadRef } from '../../kube/reader.js';
import { gatherEvidence } from './evidence.js';
import { createReplacementLook, originalPodOf } from './pod-replacement.js';
import { fail, holdUntil, lookUntil, pass, realSleep, wait, type Look, type Timing } from './poll.js';
import { createRolloutLook } from './workload.js';

/** The outcome of verifying an executed action, with what was observed. */
export interface Verdict {
  ok: boolean;
  summary: string;
  evidence: string[];
}

export interface VerifyOptions {
  /** How long the effect may take to show (rollout complete, replacement Ready…). */
  timeoutMs: number;
  /** After success, how long pods must stay Ready without a new restart. */
  settleMs: number;
  /** Time between looks. Default 1000 ms. */
  pollMs?: number;
  /** When the action ran (shown in the evidence). */
  since?: Date;
  /** The target as snapshotted at proposal time (restart_pod uses the pod's uid and owner). */
  target?: TargetSnapshot;
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`;
}

/**
 * Checks that an executed action had its effect, polling with a deadline (never a fixed
 * sleep): restart_pod → a replacement pod Ready; rollout_restart / rollout_undo /
 * set_resources → rollout complete by kubectl's rules, pods Ready, no new crash during
 * the settle window; scale → ready replicas equal the request; cordon/uncordon → node
 * (un)schedulable. A failed verdict carries evidence: pod statuses, events, last log lines.
 */
export async function verifyAction(reader: ClusterReader, action: Action, options: VerifyOptions): Promise<Verdict> {
  const timing: Timing = { clock: options.clock ?? systemClock, sleep: options.sleep ?? realSleep, pollMs: options.pollMs ?? 1000 };
  const start = timing.clock();
  const deadline = start + options.timeoutMs;
  const timedOut = `not done after ${seconds(options.timeoutMs)}`;
  const header = options.since ? [`action ran at ${options.since.toISOString()}`] : [];

  async function verdict(look: Look, evidenceFor: () => Promise<string[]>): Promise<Verdict> {
    if (look.state === 'pass') return { ok: true, summary: look.message, evidence: [...header] };
    return { ok: false, summary: look.message, evidence: [...header, ...(await evidenceFor())] };
  }

  switch (action.type) {
    case 'restart_pod': {
      const { namespace, pod } = action;
      const original = await originalPodOf(reader, namespace, pod, options.target);
      const replacement = createReplacementLook(reader, namespace, pod, original);
      let result = await lookUntil(replacement.look, deadline, timing, timedOut);
      if (result.state === 'pass' && options.settleMs > 0) {
        const settled = await holdUntil(replacement.look, timing.clock() + options.settleMs, timing);
        result = settled.state === 'pass' ? pass(`${result.message}; stayed Ready for ${seconds(options.settleMs)}`) : settled;
      }
      return verdict(result, () => gatherEvidence(reader, { namespace, pods: replacement.pods() }));
    }
    case 'rollout_restart':
    case 'rollout_undo':
    case 'set_resources': {
      const ref: WorkloadRef =
        action.type === 'rollout_undo' ? { kind: 'Deployment', namespace: action.namespace, name: action.name } : { kind: action.kind, namespace: action.namespace, name: action.name };
      const rollout = createRolloutLook(reader, ref);
      let result = await lookUntil(rollout.look, deadline, timing, timedOut);
      if (result.state === 'pass') {
        rollout.startSettling();
        const settled = await holdUntil(rollout.settleLook, timing.clock() + options.settleMs, timing);
        result =
          settled.state === 'pass'
            ? pass(`${result.message}; no restart during the ${seconds(options.settleMs)} settle window`)
            : settled;
      }
      return verdict(result, () => gatherEvidence(reader, { namespace: ref.namespace, kind: ref.kind, name: ref.name, pods: rollout.pods(), focus: rollout.culprits() }));
    }
    case 'scale': {
      const ref: WorkloadRef = { kind: action.kind, namespace: action.namespace, name: action.name };
      let pods: V1Pod[] = [];
      const look = async (): Promise<Look> => {
        const workload = await readWorkload(reader, ref);
        if (!workload) return fail(`${ref.kind} ${ref.namespace}/${ref.name} not found`);
        const status = workload.status as { readyReplicas?: number; replicas?: number; observedGeneration?: number } | undefined;
        const ready = status?.readyReplicas ?? 0;
        const total = status?.replicas ?? 0;
        const observed = (workload.metadata?.generation ?? 0) <= (status?.observedGeneration ?? 0);
        if (observed && ready === action.replicas && total === action.replicas) {
          return pass(`${ref.kind} ${ref.namespace}/${ref.name} has ${ready}/${action.replicas} replicas ready`);
        }
        return wait(`${ref.kind} ${ref.namespace}/${ref.name}: ${ready} ready, ${total} total, want ${action.replicas}`);
      };
      const result = await lookUntil(look, deadline, timing, timedOut);
      return verdict(result, async () => {
        pods = await reader.listWorkloadPods(ref).catch(() => []);
        return gatherEvidence(reader, { namespace: ref.namespace, kind: ref.kind, name: ref.name, pods });
      });
    }
    case 'cordon_node':
    case 'uncordon_node': {
      const want = action.type === 'cordon_node';
      const look = async (): Promise<Look> => {
        const node = await reader.getNode(action.node);
        if (!node) return fail(`node ${action.node} not found`);
        const unschedulable = node.spec?.unschedulable === true;
        if (unschedulable === want) return pass(`node ${action.node} is ${want ? 'unschedulable (cordoned)' : 'schedulable (uncordoned)'}`);
        return wait(`node ${action.node} is still ${unschedulable ? 'unschedulable' : 'schedulable'}`);
      };
      const result = await lookUntil(look, deadline, timing, timedOut);
      return verdict(result, async () => {
        const node = await reader.getNode(action.node).catch(() => undefined);
        return node ? [formatNode(node, { maxChars: 1500 })] : [];
      });
    }
  }
}
