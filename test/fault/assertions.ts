import { expect } from 'vitest';
import { waitFor } from '../../sandbox/shared/wait.js';
import { channel, postKeyOf, textOf, type FaultWorld } from '../helpers/fault-world.js';

/** Resolves with the promise's value, or fails the test naming the step it waited for. */
export function within<T>(promise: Promise<T>, ms: number, step: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`step not reached within ${ms} ms: ${step}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Exactly one thread root, no message posted twice, and exactly one findings message. */
export function expectOneRootAndFindings(world: FaultWorld): void {
  const all = world.slack.messages(channel);
  expect(all.filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts)).toHaveLength(1);
  const keys = all.map(postKeyOf).filter((k): k is string => k !== undefined);
  expect(keys.length).toBe(all.length);
  expect(new Set(keys).size).toBe(keys.length);
  expect(keys.filter((k) => k.endsWith(':findings:0'))).toHaveLength(1);
}

/** The thread ends up saying the action ran and was verified, each once; the cluster changed exactly once. */
export async function expectReportedAndVerified(world: FaultWorld, timeoutMs = 60_000): Promise<void> {
  const thread = await waitFor(
    () => {
      const texts = world.thread().map(textOf);
      return texts.some((t) => t.includes('Verified') || t.includes('Verification failed')) ? texts : undefined;
    },
    { timeoutMs, message: 'no verification verdict in the thread' },
  );
  expect(thread.filter((t) => t.includes(':white_check_mark: Verified'))).toHaveLength(1);
  expect(thread.filter((t) => /Executed `|Execution state of `.*is unknown/.test(t))).toHaveLength(1);
  expect(world.kubeProxy.count((c) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(c.method) && !/[?&]dryRun=/.test(c.path))).toBe(1);
  expectOneRootAndFindings(world);
}
