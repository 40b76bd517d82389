#!/usr/bin/env node
// The registry this project installs from lacks some of msgpackr-extract's optional
// platform packages (it answers 404), so `npm install` leaves them out of
// package-lock.json and `npm ci` then refuses the lock ("Missing: … from lock file").
// This records each missing one as an optional, platform-bound entry, as the public
// registry would have: npm skips them on other platforms without fetching anything.
// Run it after any `npm install` that rewrites the lock: node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const path = process.argv[2] ?? 'package-lock.json';
const lock = JSON.parse(readFileSync(path, 'utf8'));
const platforms = {
  'darwin-arm64': ['darwin', 'arm64'],
  'darwin-x64': ['darwin', 'x64'],
  'linux-arm': ['linux', 'arm'],
  'linux-arm64': ['linux', 'arm64'],
  'linux-x64': ['linux', 'x64'],
  'win32-x64': ['win32', 'x64'],
};
const added = [];
for (const meta of Object.values(lock.packages)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (!name.startsWith('@msgpackr-extract/') || key in lock.packages) continue;
    const platform = platforms[name.split('msgpackr-extract-').at(-1)];
    if (!platform) throw new Error(`unknown platform package ${name}`);
    lock.packages[key] = { version, cpu: [platform[1]], license: 'MIT', optional: true, os: [platform[0]] };
    added.push(key);
  }
}
const sorted = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
lock.packages = sorted;
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(added.length ? `added ${added.join(', ')}\n` : 'lock already complete\n');
