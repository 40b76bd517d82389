import type { TargetSnapshot } from './actions/proposal.js';
import { currentKeys } from './actions/risk.js';

export type Staleness = { stale: false } | { stale: true; explanation: string };

/**
 * Whether the target changed since the proposal was made. `generation` is compared when both
 * sides have it, because it moves only on spec changes, while `resourceVersion` also moves on
 * every status update (a crash-looping Deployment would otherwise never be approvable).
 * Pods and nodes have no useful generation, so their spec values in `current` are compared.
 * Checked at the click and again inside the execution lock, just before the dry run.
 */
export function checkStaleness(before: TargetSnapshot | undefined, now: TargetSnapshot | undefined): Staleness {
  if (!before) return { stale: false };
  const what = `${before.kind} ${before.namespace ? `${before.namespace}/` : ''}${before.name}`;
  if (!now) return { stale: true, explanation: `${what} no longer exists.` };
  if (before.generation !== undefined && now.generation !== undefined) {
    if (before.generation !== now.generation) {
      return { stale: true, explanation: `${what} changed since this was proposed (generation ${before.generation} → ${now.generation}).` };
    }
  } else if (before.resourceVersion !== undefined && now.resourceVersion !== undefined && !volatileKinds.has(before.kind)) {
    if (before.resourceVersion !== now.resourceVersion) {
      return {
        stale: true,
        explanation: `${what} changed since this was proposed (resourceVersion ${before.resourceVersion} → ${now.resourceVersion}).`,
      };
    }
  }
  for (const [key, value] of Object.entries(before.current)) {
    if (riskOnlyKeys.has(key)) continue;
    const after = now.current[key];
    if (after !== undefined && String(after) !== String(value)) {
      return { stale: true, explanation: `${what} changed since this was proposed (${key}: ${value} → ${after}).` };
    }
  }
  return { stale: false };
}

/**
 * Values recorded for the risk rules only, which move with every probe and restart (a crash-
 * looping pod flips between CrashLoopBackOff and Error): not a change of the target itself.
 */
const riskOnlyKeys = new Set<string>([currentKeys.failing, currentKeys.readySiblings]);

/** Kinds whose resourceVersion changes on status alone and that carry no generation worth comparing. */
const volatileKinds = new Set(['Pod', 'Node']);
