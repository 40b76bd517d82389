import type { Action, ResourceList } from './catalog.js';
import { type RiskLevel, riskRank } from '../../core/vocabulary.js';
import { namespaceOf } from './catalog.js';
import type { ChannelConfig, DenyRule } from '../../core/config/file.js';
import type { TargetSnapshot } from './proposal.js';

/**
 * Deterministic risk of a catalog action (contract: "Risk is computed by deterministic code
 * from the action and its target, never taken from the model").
 *
 * - low: restart_pod of a pod that is already failing (its snapshot says why: CrashLoopBackOff,
 *   an image pull or config error, a failed phase, not Ready after restarts) while its
 *   controller has at least one other Ready replica — it serves nothing now and its
 *   siblings carry the load, so deleting it cannot take anything down.
 * - medium: restart_pod otherwise, rollout_restart, scale within 2x (never to 0), set_resources within
 *   2x of every current value it changes.
 * - high: scale to 0 or beyond 2x either way, rollout_undo, cordon/uncordon, set_resources
 *   beyond 2x, any current value unknown (fail safe), anything in a protected namespace.
 * - forbidden: another cluster than the channel's, a namespace the channel may not touch, a
 *   deny rule (global or channel). Nodes are cluster-scoped: a node action is allowed only
 *   for a channel whose namespaces contain `*` (a channel scoped to some namespaces must not
 *   be able to take capacity away from everybody else).
 *
 * The target snapshot's `current` map carries the values compared against, under the keys
 * of `currentKeys` (B's snapshotTarget fills them in).
 */

export const builtinProtectedNamespaces = ['kube-system', 'kube-public', 'kube-node-lease'] as const;

/** Keys of TargetSnapshot.current that the rules read. */
export const currentKeys = {
  replicas: 'replicas',
  /** restart_pod: why the pod is failing now (absent when it is not). */
  failing: 'failing',
  /** restart_pod: Ready pods of the same controller, this one excluded. */
  readySiblings: 'readySiblings',
  resource: (kind: 'limits' | 'requests', resource: 'cpu' | 'memory') => `${kind}.${resource}`,
} as const;

export interface RiskContext {
  /** Cluster the action would run on. */
  cluster: string;
  channel: Pick<ChannelConfig, 'cluster' | 'namespaces' | 'protectedNamespaces' | 'deny'>;
  /** Global extra protected namespaces (policy.protectedNamespaces, cluster's list). */
  protectedNamespaces: readonly string[];
  /** Global deny rules (policy.deny). */
  deny: readonly DenyRule[];
  target?: TargetSnapshot | undefined;
}

export interface RiskResult {
  risk: RiskLevel;
  reasons: string[];
}

export function classifyRisk(action: Action, ctx: RiskContext): RiskResult {
  const forbidden = forbiddenReasons(action, ctx);
  if (forbidden.length > 0) return { risk: 'forbidden', reasons: forbidden };

  const found: RiskResult[] = [baseRisk(action, ctx.target)];
  const ns = namespaceOf(action);
  if (ns !== undefined) {
    const protectedSet = new Set<string>([...builtinProtectedNamespaces, ...ctx.protectedNamespaces, ...ctx.channel.protectedNamespaces]);
    if (protectedSet.has(ns)) found.push({ risk: 'high', reasons: [`namespace ${ns} is protected`] });
  }
  const risk = found.reduce<RiskLevel>((acc, r) => (riskRank(r.risk) > riskRank(acc) ? r.risk : acc), 'low');
  const reasons = found.filter((r) => r.risk === risk).flatMap((r) => r.reasons);
  return { risk, reasons };
}

function forbiddenReasons(action: Action, ctx: RiskContext): string[] {
  const reasons: string[] = [];
  if (ctx.cluster !== ctx.channel.cluster) {
    reasons.push(`cluster ${ctx.cluster} is not this channel's cluster (${ctx.channel.cluster})`);
  }
  const ns = namespaceOf(action);
  const allNamespaces = ctx.channel.namespaces.includes('*');
  if (ns === undefined) {
    if (!allNamespaces) reasons.push('node actions need a channel allowed on all namespaces (`*`)');
  } else if (!allNamespaces && !ctx.channel.namespaces.includes(ns)) {
    reasons.push(`namespace ${ns} is not allowed for this channel`);
  }
  for (const rule of [...ctx.deny, ...ctx.channel.deny]) {
    if (matchesDenyRule(action, rule)) reasons.push(`denied by rule ${describeRule(rule)}`);
  }
  return reasons;
}

/** A rule matches when every field it gives matches; `*` in a value is a wildcard. */
export function matchesDenyRule(action: Action, rule: DenyRule): boolean {
  const fields = Object.entries(rule).filter(([, v]) => v !== undefined) as [keyof DenyRule, string][];
  if (fields.length === 0) return false;
  return fields.every(([key, pattern]) => {
    const value = fieldOf(action, key);
    return value !== undefined && globMatch(pattern, value);
  });
}

function fieldOf(action: Action, key: keyof DenyRule): string | undefined {
  switch (key) {
    case 'type':
      return action.type;
    case 'namespace':
      return namespaceOf(action);
    case 'node':
      return 'node' in action ? action.node : undefined;
    case 'name':
      if ('name' in action) return action.name;
      if ('pod' in action) return action.pod;
      return 'node' in action ? action.node : undefined;
  }
}

function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
  return re.test(value);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function describeRule(rule: DenyRule): string {
  return Object.entries(rule)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',');
}

function baseRisk(action: Action, target: TargetSnapshot | undefined): RiskResult {
  switch (action.type) {
    case 'restart_pod':
      return restartRisk(target);
    case 'rollout_restart':
      return { risk: 'medium', reasons: [`rolling restart of ${action.kind}/${action.name}`] };
    case 'rollout_undo':
      return { risk: 'high', reasons: ['rolls the whole workload back to an older revision'] };
    case 'cordon_node':
    case 'uncordon_node':
      return { risk: 'high', reasons: ['changes scheduling for the whole node'] };
    case 'scale':
      return scaleRisk(action.replicas, currentNumber(target, currentKeys.replicas));
    case 'set_resources':
      return resourcesRisk(action.limits, action.requests, target);
  }
}

function restartRisk(target: TargetSnapshot | undefined): RiskResult {
  const failing = target?.current[currentKeys.failing];
  const siblings = currentNumber(target, currentKeys.readySiblings) ?? 0;
  const owner = target?.current.owner;
  if (failing !== undefined && owner !== undefined && siblings >= 1) {
    return { risk: 'low', reasons: [`the pod is already failing (${String(failing)}) and ${String(owner)} has ${siblings} other ready replica${siblings === 1 ? '' : 's'}`] };
  }
  return { risk: 'medium', reasons: ['deletes one pod; its controller recreates it'] };
}

function scaleRisk(replicas: number, current: number | undefined): RiskResult {
  if (replicas === 0) return { risk: 'high', reasons: ['scales to 0 replicas'] };
  if (current === undefined) return { risk: 'high', reasons: ['current replica count unknown'] };
  if (!withinTwice(replicas, current)) return { risk: 'high', reasons: [`scale from ${current} to ${replicas} is beyond 2x`] };
  return { risk: 'medium', reasons: [`scale from ${current} to ${replicas} is within 2x`] };
}

function resourcesRisk(limits: ResourceList | undefined, requests: ResourceList | undefined, target: TargetSnapshot | undefined): RiskResult {
  const high: string[] = [];
  const medium: string[] = [];
  for (const [kind, list] of [['limits', limits], ['requests', requests]] as const) {
    if (!list) continue;
    for (const resource of ['cpu', 'memory'] as const) {
      const wanted = list[resource];
      if (wanted === undefined) continue;
      const key = currentKeys.resource(kind, resource);
      const rawCurrent = target?.current[key];
      const current = rawCurrent === undefined ? undefined : parseQuantity(String(rawCurrent));
      const next = parseQuantity(wanted);
      if (current === undefined || next === undefined) {
        high.push(`current ${key} unknown`);
      } else if (!withinTwice(next, current)) {
        high.push(`${key} ${String(rawCurrent)} → ${wanted} is beyond 2x`);
      } else {
        medium.push(`${key} ${String(rawCurrent)} → ${wanted} is within 2x`);
      }
    }
  }
  return high.length > 0 ? { risk: 'high', reasons: high } : { risk: 'medium', reasons: medium };
}

function currentNumber(target: TargetSnapshot | undefined, key: string): number | undefined {
  const v = target?.current[key];
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** new within [cur/2, 2·cur]; nothing is within 2x of 0 except 0. */
function withinTwice(next: number, current: number): boolean {
  return next <= current * 2 && next * 2 >= current;
}

const quantitySuffixes: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/**
 * Parses a Kubernetes quantity ("500m", "2", "128Mi", "1.5Gi", "1e3") into base units
 * (cores or bytes). Returns undefined for anything else.
 */
export function parseQuantity(text: string): number | undefined {
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|m|k|K|M|G|T|P|E)?)$/.exec(text.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[2] !== undefined) return base * 10 ** Number(m[2].slice(1));
  const factor = quantitySuffixes[m[3] ?? ''];
  return factor === undefined ? undefined : base * factor;
}

/** Formats bytes as a whole Mi value (rounded up), or Gi when it divides evenly. */
export function formatMemory(bytes: number): string {
  const mi = Math.ceil(bytes / 2 ** 20);
  return mi % 1024 === 0 ? `${mi / 1024}Gi` : `${mi}Mi`;
}
