import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxCluster, type SandboxCluster } from '../../../sandbox/cluster/index.js';
import { call } from './wire.js';

const canImport = (python: string) => new Promise<boolean>((resolve) => execFile(python, ['-c', 'import kubernetes'], { timeout: 20_000 }, (err) => resolve(!err)));
// Debian's python3-kubernetes lives beside /usr/bin/python3, which a pyenv python3 on PATH does not see.
const python = (await canImport('python3')) ? 'python3' : (await canImport('/usr/bin/python3')) ? '/usr/bin/python3' : undefined;

let cluster: SandboxCluster;
let dir: string;

function runScript(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(python ?? 'python3', [join(import.meta.dirname, 'python', 'paging_and_watch.py'), join(dir, 'config'), 'py'], { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`python client failed: ${stderr}`));
      else resolve(stdout);
    });
  });
}

// CI installs python3-kubernetes (.ci/run), so there a missing client fails the run instead of skipping it.
describe.skipIf(!python && process.env.CI !== 'true')('the official Python client against the sandbox (skipped outside CI when python3-kubernetes is missing)', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sandbox-python-'));
    cluster = await startSandboxCluster({ timeScale: 100, scenarios: ['shop-healthy'] });
    await cluster.writeKubeconfig(join(dir, 'config'));
    await cluster.settle();
    await call(cluster, 'POST', '/api/v1/namespaces', { metadata: { name: 'py' } });
  });
  afterAll(async () => {
    await cluster?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('pages a list with limit and _continue, and watches ADDED then MODIFIED', async () => {
    const out = JSON.parse(await runScript()) as { pages: number; names: string[]; versions: string[]; remainingItemCount: number; events: string[][] };
    const [version] = out.versions;
    const all = await call(cluster, 'GET', `/api/v1/pods?resourceVersion=${version}&resourceVersionMatch=Exact`);
    const expected = all.body.items.map((p: { metadata: { namespace: string; name: string } }) => `${p.metadata.namespace}/${p.metadata.name}`);
    expect(out.names).toEqual(expected);
    expect(out.pages).toBe(Math.ceil(expected.length / 2));
    expect(out.remainingItemCount).toBe(expected.length - 2);
    expect(new Set(out.versions)).toEqual(new Set([version]));
    expect(out.events).toEqual([
      ['ADDED', 'py-watched', 'v1'],
      ['MODIFIED', 'py-watched', 'v2'],
    ]);
    // The client asks for its watch as Python spells a boolean.
    expect(cluster.requests.some((r) => r.path === '/api/v1/namespaces/py/configmaps' && r.query.includes('watch=True'))).toBe(true);
  });
});
