import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface LockPackage {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** Where npm would look for `name` when required from the package at `from` (nearest node_modules upwards). */
function resolves(packages: Record<string, LockPackage>, from: string, name: string): boolean {
  let dir = from;
  for (;;) {
    if (`${dir ? `${dir}/` : ''}node_modules/${name}` in packages) return true;
    if (dir === '') return false;
    const up = dir.lastIndexOf('/node_modules/');
    dir = up === -1 ? '' : dir.slice(0, up);
  }
}

describe('package-lock.json', () => {
  it('records every dependency npm ci will ask for (see scripts/complete-lockfile.mjs)', () => {
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockPackage> };
    const missing: string[] = [];
    for (const [at, meta] of Object.entries(lock.packages)) {
      for (const name of Object.keys({ ...meta.dependencies, ...meta.optionalDependencies })) {
        if (!resolves(lock.packages, at, name)) missing.push(`${name} (wanted by ${at || 'the project'})`);
      }
    }
    expect(missing, 'run `node scripts/complete-lockfile.mjs` after npm install').toEqual([]);
  });
});
