import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runClaudeCost } from '../figures/claude-cost.js';
import { runDecisionLoop } from '../figures/decision-loop.js';
import { runSlackAck } from '../figures/slack-ack.js';
import { runStorm } from '../figures/storm.js';
import { runThreadLatency } from '../figures/thread-latency.js';
import { runWatch } from '../figures/watch.js';
import { runWebhookAck } from '../figures/webhook-ack.js';
import { createBenchEnv, type BenchEnv } from './bench-env.js';
import { buildServers, type ServerRuntime } from './build.js';
import { figureIds, type BenchOptions } from './options.js';
import { describeMachine, formatTable, machineTag, type BenchReport, type FigureResult } from './report.js';

type FigureRunner = (env: BenchEnv, options: BenchOptions, judge: boolean) => Promise<FigureResult>;

const runners: Record<number, { title: string; run: FigureRunner }> = {
  1: { title: 'webhook ack', run: (env, o, judge) => runWebhookAck(env, o.sizes.ack, judge) },
  2: { title: 'alert storm', run: (env, o, judge) => runStorm(env, o.sizes.storm, judge) },
  3: { title: 'webhook → thread / proposal', run: (env, o, judge) => runThreadLatency(env, o.sizes.latency, judge) },
  4: { title: 'Slack ack', run: (env, o, judge) => runSlackAck(env, o.sizes.slack, judge) },
  5: { title: 'approve → verified', run: (env, o, judge) => runDecisionLoop(env, o.sizes.decision, judge) },
  6: { title: 'Claude cost', run: (env, o, judge) => runClaudeCost(env, o.sizes.claude, judge) },
  7: { title: 'cluster watch', run: (env, o, judge) => runWatch(env, o.sizes.watch, judge) },
};

export interface RunBenchResult {
  report: BenchReport;
  table: string;
  /** Files written (none for a smoke run without --out). */
  files: string[];
}

/**
 * Runs the chosen figures one after the other (never concurrently: they would share the
 * CPUs they measure), then builds the report and writes it.
 */
export async function runBench(options: BenchOptions, progress: (line: string) => void = () => undefined): Promise<RunBenchResult> {
  const judge = options.mode === 'full';
  let runtime: ServerRuntime = { kind: 'tsx' };
  if (options.runtime === 'build') {
    progress('compiling the servers under test (tsc)…');
    runtime = await buildServers();
  }
  const env = await createBenchEnv({ runtime, redisUrl: options.redisUrl, keepWorkDir: options.keepWorkDir });
  const figures: FigureResult[] = [];
  try {
    for (const id of options.only) {
      const runner = runners[id]!;
      progress(`figure ${id}: ${runner.title}…`);
      const result = await runner.run(env, options, judge);
      progress(`figure ${id}: done in ${(result.durationMs / 1000).toFixed(1)} s`);
      figures.push(result);
    }
  } finally {
    if (options.keepWorkDir) progress(`work dir kept: ${env.workDir}`);
    await env.close();
  }
  const machine = describeMachine();
  const report: BenchReport = {
    date: new Date().toISOString(),
    mode: options.mode,
    machine,
    sizes: { ...options.sizes },
    runtime: options.runtime,
    figures,
    passed: figures.every((f) => f.metrics.every((m) => m.pass !== false)),
  };
  const files: string[] = [];
  if (options.outDir) {
    await mkdir(options.outDir, { recursive: true });
    const json = `${JSON.stringify(report, null, 2)}\n`;
    const dated = join(options.outDir, `${report.date.slice(0, 10)}-${machineTag(machine)}${options.mode === 'smoke' ? '-smoke' : ''}.json`);
    await writeFile(dated, json);
    files.push(dated);
    if (options.mode === 'full' && options.only.length === figureIds.length) {
      const latest = join(options.outDir, 'latest.json');
      await writeFile(latest, json);
      files.push(latest);
    }
  }
  return { report, table: formatTable(figures), files };
}
