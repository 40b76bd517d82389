#!/usr/bin/env node
// `npm start`: runs the built product (dist/main.js), compiling first only when something it
// is built from changed since the last build. A restart with nothing changed starts at once,
// without loading the compiler (which takes seconds and far more memory than the bot).
// tsc runs in its own process without the bot's heap cap (NODE_OPTIONS), then the bot runs here.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.built');

/** Newest modification time among the build's inputs (src/, the tsconfigs, the lockfile). */
function newestInput() {
  let newest = 0;
  const visit = (path) => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  visit(join(root, 'src'));
  for (const file of ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json']) {
    if (existsSync(join(root, file))) visit(join(root, file));
  }
  return newest;
}

const builtAt = existsSync(stamp) && existsSync(join(root, 'dist', 'main.js')) ? statSync(stamp).mtimeMs : 0;
if (builtAt <= newestInput()) {
  const started = Date.now();
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
  process.stderr.write(`deckhand: built dist/ in ${Date.now() - started} ms\n`);
}
await import(pathToFileURL(join(root, 'dist', 'main.js')).href);
