import * as z from 'zod';
import type { ClusterReader } from '../../kube/reader.js';

export interface ToolContext {
  reader: ClusterReader;
  /** Character bound handed to the formatters; the runner enforces bytes afterwards. */
  maxChars: number;
  now: Date;
}

/** A read-only tool Claude may call. Its input is validated with zod before `run` sees it. */
export interface ReadTool {
  name: string;
  description: string;
  input: z.ZodType;
  run(input: unknown, ctx: ToolContext): Promise<string>;
}

/** Keeps the input type of `run` tied to the schema. */
export function defineTool<S extends z.ZodType>(def: { name: string; description: string; input: S; run(input: z.infer<S>, ctx: ToolContext): Promise<string> }): ReadTool {
  return def;
}

export const LabelSelector = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9._/=,!() -]*$/, { error: 'must be a label selector such as app=web' });
