import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scenarioNames } from '../../../sandbox/cluster/index.js';
import { waitFor } from '../../../sandbox/shared/wait.js';

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
    const sandbox = spawn(process.execPath, ['--import', 'tsx', 'sandbox/cluster/cli.ts', '--port', '0', '--kubeconfig', kubeconfigPath, '--scenario', 'checkout-crashloop'], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = sandbox;
    let out = '';
    let err = '';
    sandbox.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
    sandbox.stderr?.on('data', (d: Buffer) => (err += d.toString('utf8')));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => sandbox.once('exit', (code, signal) => resolve({ code, signal })));

    await waitFor(() => out.includes('Press Ctrl-C to stop.') || sandbox.exitCode !== null, { timeoutMs: 45_000, intervalMs: 50, message: 'the sandbox printed no banner' });
    const url = /Sandbox cluster listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    expect(url, `${out}\n${err}`).toBeDefined();
    const kubeconfig = parse(await readFile(kubeconfigPath, 'utf8'));
    expect(kubeconfig['current-context']).toBe('sandbox');
    expect(kubeconfig.clusters.map((c: { cluster: { server: string } }) => c.cluster.server)).toContain(url);
    const version = await fetch(`${url}/version`);
    expect(version.status).toBe(200);
    expect(await version.json()).toHaveProperty('gitVersion');

    sandbox.kill('SIGTERM');
    expect(await exited, err).toEqual({ code: 0, signal: null });
    await expect(fetch(`${url}/version`)).rejects.toThrow();
  });
});
