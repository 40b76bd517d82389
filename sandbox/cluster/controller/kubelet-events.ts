/* eslint-disable @typescript-eslint/no-unsafe-member-access -- pods are wire JSON */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../types.js';
import type { ContainerPlan, PodRuntime } from './kubelet.js';
import { playPulls } from './images.js';
import { configRetryMs } from './references.js';

/** One kubelet event with its count so far: the recorder writes it once and bumps its count. */
export interface KubeletEvent {
  reason: string;
  message: string;
  type: 'Normal' | 'Warning';
  count: number;
  firstAt: number;
  fieldPath?: string;
}

/** The volume manager retries a failed mount with exponential back-off: 500ms doubling to 2m2s. */
function mountAttempts(elapsed: number): number {
  let n = 0;
  let t = 0;
  let wait = 500;
  while (t <= elapsed && n < 100_000) {
    n++;
    t += wait;
    wait = Math.min(wait * 2, 122_000);
  }
  return n;
}

/** A believable compressed size for an image, fixed per name. */
function imageSize(image: string): number {
  return 20_000_000 + (parseInt(createHash('sha256').update(image).digest('hex').slice(0, 6), 16) % 60_000_000);
}

export interface EventInput {
  pod: KubeObject;
  rt: PodRuntime;
  plans: ContainerPlan[];
  now: number;
  scheduledAt: number;
  sandboxAt: number;
  pullMs: number;
}

/** Every event the kubelet has recorded for the pod by now, worded as pkg/kubelet words them. */
export function kubeletEvents(input: EventInput): KubeletEvent[] {
  const { pod, rt, plans, now, scheduledAt, sandboxAt } = input;
  const out: KubeletEvent[] = [];
  const podRef = `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
  if (rt.mountedAt === undefined) {
    const count = mountAttempts(now - scheduledAt);
    for (const message of rt.mountErrors) out.push({ reason: 'FailedMount', message, type: 'Warning', count, firstAt: scheduledAt });
    return out;
  }
  if (now < sandboxAt) return out;
  if (rt.missingPullSecrets.length) {
    const message = `Unable to retrieve some image pull secrets (${rt.missingPullSecrets.join(', ')}); attempting to pull the image may not succeed.`;
    out.push({ reason: 'FailedToRetrieveImagePullSecret', message, type: 'Warning', count: 1 + Math.floor((now - sandboxAt) / 60_000), firstAt: sandboxAt });
  }
  for (const plan of plans) {
    const name = String(plan.container.name);
    const image = String(plan.container.image ?? '');
    const at = { fieldPath: `spec.containers{${name}}` };
    const push = (reason: string, message: string, type: KubeletEvent['type'], count: number, firstAt: number) => out.push({ reason, message, type, count, firstAt, ...at });
    if (plan.pullError) {
      const pulls = playPulls(sandboxAt, now);
      const first = sandboxAt + input.pullMs;
      push('Pulling', `Pulling image "${image}"`, 'Normal', pulls.failures + (pulls.pulling ? 1 : 0), sandboxAt);
      push('Failed', `Failed to pull image "${image}": ${plan.pullError}`, 'Warning', pulls.failures, first);
      push('Failed', 'Error: ErrImagePull', 'Warning', pulls.failures, first);
      push('BackOff', `Back-off pulling image "${image}"`, 'Normal', pulls.backOffs, first);
      push('Failed', 'Error: ImagePullBackOff', 'Warning', pulls.backOffs, first);
      continue;
    }
    if (plan.neverPull) {
      const tries = 1 + Math.floor((now - sandboxAt) / configRetryMs);
      push('ErrImageNeverPull', `Container image "${image}" is not present with pull policy of Never`, 'Warning', tries, sandboxAt);
      push('Failed', 'Error: ErrImageNeverPull', 'Warning', tries, sandboxAt);
      continue;
    }
    const failing = plan.configError !== undefined && plan.configOkAt === undefined;
    const configFailures = failing && now >= plan.pulledAt ? 1 + Math.floor((now - plan.pulledAt) / configRetryMs) : 0;
    const runs = plan.timeline?.runs ?? [];
    const starts = runs.length + (plan.timeline?.skipped ?? 0);
    const attempts = configFailures + starts;
    const pulled = `Successfully pulled image "${image}" in 812ms (812ms including waiting). Image size: ${imageSize(image)} bytes.`;
    if (plan.present) push('Pulled', `Container image "${image}" already present on machine`, 'Normal', attempts, plan.pulledAt);
    else if (plan.pullPolicy === 'Always') {
      push('Pulling', `Pulling image "${image}"`, 'Normal', Math.max(1, attempts), sandboxAt);
      push('Pulled', pulled, 'Normal', attempts, plan.pulledAt);
    } else {
      push('Pulling', `Pulling image "${image}"`, 'Normal', 1, sandboxAt);
      push('Pulled', pulled, 'Normal', now >= plan.pulledAt ? 1 : 0, plan.pulledAt);
      push('Pulled', `Container image "${image}" already present on machine`, 'Normal', attempts - 1, plan.pulledAt);
    }
    if (failing) push('Failed', `Error: ${plan.configError ?? ''}`, 'Warning', configFailures, plan.pulledAt);
    const t = plan.timeline;
    if (!t) continue;
    const firstStart = runs[0]?.start ?? now;
    push('Created', `Created container: ${name}`, 'Normal', starts, firstStart);
    push('Started', `Started container ${name}`, 'Normal', starts, firstStart);
    for (const u of t.unhealthy) push('Unhealthy', u.message, 'Warning', u.count, u.firstAt);
    for (const k of t.kills) push('Killing', k.message, 'Normal', k.count, k.firstAt);
    const firstCrash = runs.find((r) => r.termination)?.end ?? now;
    push('BackOff', `Back-off restarting failed container ${name} in pod ${podRef}`, 'Warning', t.backOffs, firstCrash);
  }
  return out.filter((e) => e.count > 0);
}
