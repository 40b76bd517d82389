import { runBench } from './lib/run-bench.js';
import { parseBenchArgs } from './lib/options.js';

/**
 * `npm run bench` (full sizes, writes bench/results/) or `npm run bench -- --smoke` (tiny
 * sizes, no performance thresholds). Exit code 1 when a correctness check fails, or when a
 * full run misses a target.
 */
async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2));
  const started = Date.now();
  const { report, table, files } = await runBench(options, (line) => process.stderr.write(`${line}\n`));
  const m = report.machine;
  process.stdout.write(`\nDeckhand bench (${report.mode}) on ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB, Node ${m.node}\n\n${table}\n\n`);
  for (const file of files) process.stdout.write(`wrote ${file}\n`);
  process.stdout.write(`total ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (!report.passed) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
