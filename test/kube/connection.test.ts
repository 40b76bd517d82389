import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterConfig } from '../../src/config/file.js';
import { createClusterRegistry, loadClusterKubeConfig } from '../../src/kube/connection.js';
import { startSandboxCluster, type SandboxCluster } from '../../sandbox/cluster/index.js';
import { AppError } from '../../src/shared/errors.js';
import { createSilentLogger } from '../../src/shared/logger.js';

const log = createSilentLogger();
const cluster = (raw: unknown) => ClusterConfig.parse(raw);

const twoContexts = `
apiVersion: v1
kind: Config
clusters:
- name: a
  cluster: { server: 'http://127.0.0.1:1', insecure-skip-tls-verify: true }
- name: b
  cluster: { server: 'https://b.example:6443', certificate-authority: certs/ca.crt }
users:
- name: u
  user: { token: t }
contexts:
- name: staging
  context: { cluster: a, user: u, namespace: shop }
- name: prod
  context: { cluster: b, user: u }
current-context: staging
`;

function files(map: Record<string, string>) {
  return (path: string) => {
    const text = map[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return text;
  };
}

let sandbox: SandboxCluster | undefined;
let server: Server | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('loadClusterKubeConfig', () => {
  it('picks the configured context of the KUBECONFIG file, with certificate paths made absolute', () => {
    const kc = loadClusterKubeConfig('prod', cluster({ context: 'prod' }), { KUBECONFIG: '/etc/kube/config' }, files({ '/etc/kube/config': twoContexts }));
    expect(kc.getCurrentContext()).toBe('prod');
    expect(kc.getCurrentCluster()).toMatchObject({ server: 'https://b.example:6443', caFile: '/etc/kube/certs/ca.crt' });
  });

  it('uses the current context when none is configured, and an explicit kubeconfig over KUBECONFIG', () => {
    const kc = loadClusterKubeConfig('x', cluster({ kubeconfig: '/k' }), { KUBECONFIG: '/missing' }, files({ '/k': twoContexts }));
    expect(kc.getCurrentContext()).toBe('staging');
  });

  it('falls back to ~/.kube/config', () => {
    const kc = loadClusterKubeConfig('x', cluster({}), { HOME: '/home/op' }, files({ '/home/op/.kube/config': twoContexts }));
    expect(kc.getCurrentCluster()?.name).toBe('a');
  });

  it('builds a direct connection from server, tokenEnv and caData', () => {
    const kc = loadClusterKubeConfig(
      'direct',
      cluster({ server: 'https://10.0.0.1:6443', tokenEnv: 'PROD_TOKEN', caData: 'Y2E=' }),
      { PROD_TOKEN: 'secret-token' },
      files({}),
    );
    expect(kc.getCurrentCluster()).toMatchObject({ server: 'https://10.0.0.1:6443', caData: 'Y2E=', skipTLSVerify: false });
    expect(kc.getCurrentUser()?.token).toBe('secret-token');
  });

  it('hands a token file to client-node, which re-reads it as it rotates', () => {
    const kc = loadClusterKubeConfig('direct', cluster({ server: 'https://10.0.0.1:6443', tokenFile: '/var/run/token' }), {}, files({}));
    expect(kc.getCurrentUser()?.authProvider).toEqual({ name: 'tokenFile', config: { tokenFile: '/var/run/token' } });
  });

  it('explains what is wrong, without the token', () => {
    const load = (config: unknown, env: Record<string, string> = {}) => () => loadClusterKubeConfig('prod', cluster(config), env, files({ '/k': twoContexts }));
    expect(load({ kubeconfig: '/k', context: 'nope' })).toThrow('clusters.prod: context "nope" not in the kubeconfig (contexts: staging, prod)');
    expect(load({ kubeconfig: '/absent' })).toThrow('clusters.prod: no kubeconfig found (looked in /absent)');
    expect(load({ server: 'https://x:6443', tokenEnv: 'T' })).toThrow('clusters.prod: tokenEnv T is not set');
    expect(load({ server: 'https://x:6443' })).toThrow('server needs tokenEnv or tokenFile');
  });
});

describe('createClusterRegistry', () => {
  it('lists every broken cluster in one config_invalid error', () => {
    let error: unknown;
    try {
      createClusterRegistry({
        clusters: { a: cluster({ kubeconfig: '/absent' }), b: cluster({ server: 'https://x:6443', tokenEnv: 'NOPE' }) },
        env: {},
        log,
        readFile: files({}),
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('config_invalid');
    expect((error as AppError).message).toContain('clusters.a: no kubeconfig found');
    expect((error as AppError).message).toContain('clusters.b: tokenEnv NOPE is not set');
  });

  it('gives a connection per cluster and refuses unknown names', async () => {
    sandbox = await startSandboxCluster();
    const registry = createClusterRegistry({
      clusters: { sandbox: cluster({ kubeconfig: '/sandbox.yaml', context: 'sandbox' }) },
      env: {},
      log,
      readFile: files({ '/sandbox.yaml': sandbox.kubeconfigYaml() }),
    });
    expect(registry.names()).toEqual(['sandbox']);
    expect(await registry.check('sandbox')).toEqual({ ok: true, message: 'Kubernetes v1.32.4' });
    expect(await registry.get('sandbox').reader.getDeployment('shop', 'web')).toBeDefined();
    expect(() => registry.get('prod')).toThrow(expect.objectContaining({ code: 'not_found', message: 'unknown cluster "prod" (known: sandbox)' }) as Error);
  });

  it('reports an unreachable or unanswering API server within the check timeout', async () => {
    server = createServer(() => {
      // Never answers: the check must give up on its own.
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as AddressInfo).port;
    const registry = createClusterRegistry({
      clusters: {
        hung: cluster({ server: `http://127.0.0.1:${port}`, tokenEnv: 'T', skipTLSVerify: true }),
        down: cluster({ server: 'http://127.0.0.1:1', tokenEnv: 'T', skipTLSVerify: true }),
      },
      env: { T: 'token' },
      log,
    });
    expect(await registry.check('hung', 200)).toEqual({ ok: false, message: 'cluster hung: the API server did not answer get version in time' });
    const down = await registry.check('down', 2000);
    expect(down.ok).toBe(false);
    expect(down.message).toContain('cluster down: cannot reach the API server (ECONNREFUSED)');
  });

  it('reports a 403 on /version as a permissions problem', async () => {
    sandbox = await startSandboxCluster();
    sandbox.faults.failRequests(1, 403);
    const registry = createClusterRegistry({ clusters: { s: cluster({ kubeconfig: '/s' }) }, env: {}, log, readFile: files({ '/s': sandbox.kubeconfigYaml() }) });
    const result = await registry.check('s');
    expect(result.ok).toBe(false);
    expect(result.message).toContain('cluster s: the service account may not get version at cluster scope');
  });
});
