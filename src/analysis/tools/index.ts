import * as z from 'zod';
import { redactText } from '../../shared/redact.js';
import { describePod } from './describe-pod.js';
import { findWorkload } from './find-workload.js';
import { getDeployment } from './get-deployment.js';
import { getEvents } from './get-events.js';
import { getHpa } from './get-hpa.js';
import { getNamespaceObjects } from './get-namespace-objects.js';
import { getNode } from './get-node.js';
import { getPodLogs } from './get-pod-logs.js';
import { getPodStatus } from './get-pod-status.js';
import { listPods } from './list-pods.js';
import type { ReadTool, ToolContext } from './tool.js';

export type { ReadTool, ToolContext } from './tool.js';

/** Every read-only tool Claude gets. None can write; none can read a Secret. */
export const readTools: readonly ReadTool[] = [getPodStatus, describePod, getPodLogs, getEvents, getDeployment, getNode, getHpa, getNamespaceObjects, listPods, findWorkload];

export interface ToolOutput {
  ok: boolean;
  text: string;
}

/**
 * Runs one read tool: validates the input, runs it, redacts the output and bounds it to
 * `maxBytes` UTF-8 bytes (saying so when cut). Errors are outputs, not exceptions.
 */
export async function runReadTool(tool: ReadTool, rawInput: unknown, ctx: Omit<ToolContext, 'maxChars'> & { maxBytes: number }): Promise<ToolOutput> {
  const parsed = tool.input.safeParse(rawInput);
  if (!parsed.success) return { ok: false, text: `invalid input for ${tool.name}: ${z.prettifyError(parsed.error)}` };
  try {
    const text = await tool.run(parsed.data, { reader: ctx.reader, now: ctx.now, maxChars: ctx.maxBytes });
    return { ok: true, text: boundBytes(redactText(text), ctx.maxBytes) };
  } catch (err) {
    return { ok: false, text: boundBytes(redactText(`${tool.name} failed: ${err instanceof Error ? err.message : String(err)}`), ctx.maxBytes) };
  }
}

/** Cuts text to at most `maxBytes` UTF-8 bytes, marking the cut. */
export function boundBytes(text: string, maxBytes: number): string {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= maxBytes) return text;
  const marker = `\n[truncated: output was ${bytes} bytes, limit ${maxBytes}]`;
  const room = Math.max(0, maxBytes - Buffer.byteLength(marker, 'utf8'));
  let cut = Buffer.from(text, 'utf8').subarray(0, room).toString('utf8');
  // A cut inside a multi-byte character leaves U+FFFD; drop it.
  cut = cut.replace(/\uFFFD$/, '');
  while (Buffer.byteLength(cut, 'utf8') > room) cut = cut.slice(0, -1);
  return cut + marker;
}
