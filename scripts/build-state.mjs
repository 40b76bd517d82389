// When `npm start` must compile: the freshness check of scripts/start.mjs, on its own so that
// test/scripts/start-freshness.test.ts can drive it on a temporary tree.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What the build is made from besides src/ (a change to any of them may change dist/). */
export const buildInputFiles = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

/** The stamp `npm start` writes after a successful build; dist/ is as new as it. */
export function stampPath(root) {
  return join(root, 'dist', '.built');
}

/** Newest modification time (ms) among the build's inputs under `root`: every file in src/, the tsconfigs, the lockfile. */
export function newestInput(root) {
  let newest = 0;
  const visit = (path) => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  visit(join(root, 'src'));
  for (const file of buildInputFiles) {
    if (existsSync(join(root, file))) visit(join(root, file));
  }
  return newest;
}

/**
 * True when dist/ must be rebuilt before starting: no stamp or no dist/main.js (never built,
 * or a build that failed), or an input modified at or after the last successful build.
 */
export function needsBuild(root) {
  const stamp = stampPath(root);
  if (!existsSync(stamp) || !existsSync(join(root, 'dist', 'main.js'))) return true;
  return statSync(stamp).mtimeMs <= newestInput(root);
}
