import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scenarioNames } from '../../../sandbox/cluster/index.js';
import { spawnWatched } from '../../helpers/child-process.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const tsx = `${root}node_modules/.bin/tsx`;

let child: ChildProcess | undefined;
let workDir: string | undefined;
afterEach(async () => {
  // Only if a test failed half-way: the sandbox we started, nothing else.
  if (child?.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
  if (workDir) await rm(workDir, { recursive: true, force: true });
  workDir = undefined;
});

describe('npm run sandbox (sandbox/cluster/cli.ts)', () => {
  it('prints its options and every scenario for --help, from the root script', () => {
    const run = spawnSync('npm', ['run', '--silent', 'sandbox', '--', '--help'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    for (const option of ['--port', '--host', '--kubeconfig', '--scenario', '--time-scale', '--help']) expect(run.stdout).toContain(option);
    expect(scenarioNames.length).toBeGreaterThan(0);
    for (const name of scenarioNames) expect(run.stdout).toContain(name);
  });

  it('refuses a port that is not a number, pointing at --help', () => {
    const run = spawnSync(tsx, ['sandbox/cluster/cli.ts', '--port', 'eighty'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('--port must be a whole number from 0 to 65535, got "eighty" (see --help)');
  });

  it('serves the API, writes a kubeconfig for it with the sandbox context, and stops on SIGTERM', { timeout: 60_000 }, async () => {
    workDir = await mkdtemp(join(tmpdir(), 'sandbox-cli-'));
    const kubeconfigPath = join(workDir, 'kubeconfig');
    // node itself (not the tsx wrapper, which relays signals to a child) receives the SIGTERM.
    const sandbox = spawnWatched(process.execPath, ['--import', 'tsx', 'sandbox/cluster/cli.ts', '--port', '0', '--kubeconfig', kubeconfigPath, '--scenario', 'checkout-crashloop'], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'warn' },
    });
    child = sandbox.process;

    await sandbox.printed('Press Ctrl-C to stop.', 45_000);
    const url = /Sandbox cluster listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(sandbox.out())?.[1];
    expect(url, `${sandbox.out()}\n${sandbox.err()}`).toBeDefined();
    const kubeconfig = parse(await readFile(kubeconfigPath, 'utf8'));
    expect(kubeconfig['current-context']).toBe('sandbox');
    expect(kubeconfig.clusters.map((c: { cluster: { server: string } }) => c.cluster.server)).toContain(url);
    const version = await fetch(`${url}/version`);
    expect(version.status).toBe(200);
    expect(await version.json()).toHaveProperty('gitVersion');

    sandbox.process.kill('SIGTERM');
    expect(await sandbox.exited, sandbox.err()).toEqual({ code: 0, signal: null });
    await expect(fetch(`${url}/version`)).rejects.toThrow();
  });
});
