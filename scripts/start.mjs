#!/usr/bin/env node
// `npm start`: runs the built product (dist/main.js), compiling first only when something it
// is built from changed since the last build (scripts/build-state.mjs). A restart with nothing
// changed starts at once, without loading the compiler (which takes seconds and far more
// memory than the bot). tsc runs in its own process without the bot's heap cap and GC flags
// (NODE_OPTIONS), then the bot runs here.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { needsBuild, stampPath } from './build-state.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

if (needsBuild(root)) {
  const started = Date.now();
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(stampPath(root), `${new Date().toISOString()}\n`);
  process.stderr.write(`deckhand: built dist/ in ${Date.now() - started} ms\n`);
}
await import(pathToFileURL(join(root, 'dist', 'main.js')).href);
