import { cpus, hostname, totalmem } from 'node:os';
import { round } from './stats.js';

/** How a metric is judged: on its value, or on its ratio to the baseline. */
export interface Target {
  on: 'value' | 'ratio';
  op: '<=' | '>=' | '==';
  limit: number;
  /** Correctness targets (exact counts) hold in smoke runs too; performance ones only in full runs. */
  kind: 'performance' | 'correctness';
}

export interface Metric {
  name: string;
  unit: string;
  value: number;
  /** The same quantity for the baseline, measured in the same run. */
  baseline?: number;
  ratio?: number;
  target?: Target;
  /** Undefined when not judged (no target, or a smoke run's performance target). */
  pass?: boolean;
}

export interface FigureResult {
  id: number;
  title: string;
  metrics: Metric[];
  /** Raw numbers (full latency summaries, sizes) for the JSON file. */
  details: Record<string, unknown>;
  notes: string[];
  durationMs: number;
}

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  node: string;
  platform: string;
  host: string;
}

export interface BenchReport {
  date: string;
  mode: 'full' | 'smoke';
  machine: Machine;
  sizes: Record<string, unknown>;
  runtime: 'build' | 'tsx';
  figures: FigureResult[];
  passed: boolean;
}

export function describeMachine(): Machine {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGb: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    host: hostname(),
  };
}

/** A metric, with its ratio and verdict filled in. */
export function metric(m: Omit<Metric, 'ratio' | 'pass'>, judge: boolean): Metric {
  const out: Metric = { ...m, value: round(m.value) };
  if (m.baseline !== undefined) {
    out.baseline = round(m.baseline);
    out.ratio = round(m.value / m.baseline, 2);
  }
  if (m.target && (judge || m.target.kind === 'correctness')) {
    const subject = m.target.on === 'ratio' ? out.ratio : m.value;
    out.pass = subject !== undefined && compare(subject, m.target.op, m.target.limit);
  }
  return out;
}

function compare(value: number, op: Target['op'], limit: number): boolean {
  if (op === '<=') return value <= limit;
  if (op === '>=') return value >= limit;
  return value === limit;
}

function targetText(t: Target | undefined): string {
  if (!t) return '';
  return `${t.on === 'ratio' ? 'ratio ' : ''}${t.op} ${t.limit}`;
}

/** The table printed at the end of a run. */
export function formatTable(figures: FigureResult[]): string {
  const rows: string[][] = [['fig', 'metric', 'value', 'baseline', 'ratio', 'target', 'verdict']];
  for (const f of figures) {
    for (const m of f.metrics) {
      rows.push([
        String(f.id),
        m.name,
        `${m.value} ${m.unit}`,
        m.baseline === undefined ? '' : `${m.baseline} ${m.unit}`,
        m.ratio === undefined ? '' : `${m.ratio}x`,
        targetText(m.target),
        m.pass === undefined ? '-' : m.pass ? 'pass' : 'MISSED',
      ]);
    }
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** The same table as Markdown, for README. */
export function formatMarkdown(report: BenchReport): string {
  const out = ['| # | metric | value | baseline | ratio | target | verdict |', '|---|---|---|---|---|---|---|'];
  for (const f of report.figures) {
    for (const m of f.metrics) {
      out.push(
        `| ${f.id} | ${m.name} | ${m.value} ${m.unit} | ${m.baseline === undefined ? '' : `${m.baseline} ${m.unit}`} | ${m.ratio === undefined ? '' : `${m.ratio}×`} | ${targetText(m.target)} | ${m.pass === undefined ? '–' : m.pass ? 'pass' : '**MISSED**'} |`,
      );
    }
  }
  return out.join('\n');
}

/** `cpu-model-2c` style machine tag for file names. */
export function machineTag(machine: Machine): string {
  const cpu = machine.cpuModel
    .toLowerCase()
    .replace(/\(r\)|\(tm\)|cpu|processor|@.*$/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  return `${cpu || 'cpu'}-${machine.cores}c`;
}
