import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { KubeConfig, Observable, VersionApi, type ConfigurationOptions, type RequestContext } from '@kubernetes/client-node';
import { AppError } from '../shared/errors.js';
import { PooledKubeConfig, withPooledConnections } from './agent-pool.js';
import { toKubeError } from './errors.js';
import { impersonate, reviewAccess, type AccessVerdict, type KubeIdentity, type ResourcePermission } from './impersonation.js';
import { createClusterReader } from './read/cluster-reader.js';
import type { ClusterReader } from './reader.js';

/** One cluster: its KubeConfig (for API clients), a reader, and a reachability check. */
export interface ClusterConnection {
  name: string;
  kubeConfig: KubeConfig;
  reader: ClusterReader;
  /** GET /version with a short deadline: is the API server there and do our credentials work? */
  check(timeoutMs?: number): Promise<{ ok: boolean; message?: string }>;
  /** The same cluster acting as `identity`: every request carries Impersonate-User / -Group. */
  impersonate(identity: KubeIdentity): ClusterConnection;
  /** Asks the cluster (SubjectAccessReview, as this connection) whether `identity` may do all of `permissions`. */
  reviewAccess(identity: KubeIdentity, permissions: ResourcePermission[]): Promise<AccessVerdict>;
}

export interface ClusterRegistry {
  names(): string[];
  /** Throws AppError 'not_found' for a cluster deckhand.yaml does not define. */
  get(name: string): ClusterConnection;
  check(name: string, timeoutMs?: number): Promise<{ ok: boolean; message?: string }>;
}

export interface ClusterEnv {
  KUBECONFIG?: string | undefined;
  HOME?: string | undefined;
  /** Set by Kubernetes in every pod; with no kubeconfig, the in-cluster service account is used. */
  KUBERNETES_SERVICE_HOST?: string | undefined;
  /** The env holds the tokens named by `tokenEnv`. */
  [name: string]: string | undefined;
}

/** How to reach one cluster (deckhand.yaml `clusters.<name>`; its schema lives with the config). */
export interface ClusterSettings {
  context?: string | undefined;
  kubeconfig?: string | undefined;
  inCluster?: boolean | undefined;
  server?: string | undefined;
  tokenEnv?: string | undefined;
  tokenFile?: string | undefined;
  caFile?: string | undefined;
  caData?: string | undefined;
  skipTLSVerify?: boolean | undefined;
}

export interface ClusterRegistryOptions {
  clusters: Record<string, ClusterSettings>;
  env: ClusterEnv;
  readFile?: (path: string) => string;
}

const defaultCheckTimeoutMs = 3000;

function timeoutOptions(ms: number): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (ctx: RequestContext) => {
          ctx.setSignal(AbortSignal.timeout(ms));
          return new Observable(Promise.resolve(ctx));
        },
        post: (ctx) => new Observable(Promise.resolve(ctx)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

/**
 * A connection over a ready KubeConfig (its current context). Its requests share keep-alive
 * connections to the API server (agent-pool.ts), and so do those of its impersonations.
 */
export function createClusterConnection(name: string, config: KubeConfig): ClusterConnection {
  const kc = config instanceof PooledKubeConfig ? config : withPooledConnections(config);
  const reader = createClusterReader(kc, name);
  const version = kc.makeApiClient(VersionApi);
  const impersonated = new Map<string, ClusterConnection>();
  return {
    name,
    kubeConfig: kc,
    reader,
    impersonate(identity) {
      const key = JSON.stringify([identity.user, [...identity.groups].sort()]);
      let connection = impersonated.get(key);
      if (!connection) impersonated.set(key, (connection = createClusterConnection(name, impersonate(kc, identity))));
      return connection;
    },
    reviewAccess: (identity, permissions) => reviewAccess(kc, identity, permissions, name),
    async check(timeoutMs = defaultCheckTimeoutMs) {
      try {
        const info = await version.getCode(undefined, timeoutOptions(timeoutMs));
        return { ok: true, message: `Kubernetes ${info.gitVersion}` };
      } catch (err) {
        const error = toKubeError(err, { verb: 'get', resource: 'version', cluster: name });
        return { ok: false, message: error.message };
      }
    },
  };
}

function kubeconfigPaths(config: ClusterSettings, env: ClusterEnv): string[] {
  if (config.kubeconfig) return [config.kubeconfig];
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).filter((p) => p.trim() !== '');
  if (fromEnv.length > 0) return fromEnv;
  return [join(env.HOME ?? homedir(), '.kube', 'config')];
}

function loadKubeconfigFiles(paths: string[], readFile: (path: string) => string): KubeConfig | undefined {
  let merged: KubeConfig | undefined;
  for (const path of paths) {
    let text: string;
    try {
      text = readFile(path);
    } catch {
      continue;
    }
    const kc = new KubeConfig();
    kc.loadFromString(text);
    // Relative certificate paths in a kubeconfig are relative to the file, as kubectl reads them.
    kc.makePathsAbsolute(dirname(path));
    if (merged) merged.mergeConfig(kc, true);
    else merged = kc;
  }
  return merged;
}

/**
 * Builds the KubeConfig of one configured cluster, from exactly one source: a kubeconfig
 * (file or KUBECONFIG/~/.kube/config, optional context), the in-cluster service account,
 * or server + token (tokenEnv / tokenFile) + CA. Throws AppError 'config_invalid'.
 */
export function loadClusterKubeConfig(name: string, config: ClusterSettings, env: ClusterEnv, readFile: (path: string) => string): KubeConfig {
  const invalid = (message: string) => new AppError('config_invalid', `clusters.${name}: ${message}`, { retryable: false });
  const kc = new KubeConfig();
  if (config.inCluster) {
    kc.loadFromCluster();
    return kc;
  }
  if (config.server) {
    let token: string | undefined;
    let authProvider: object | undefined;
    if (config.tokenEnv) {
      token = env[config.tokenEnv]?.trim();
      if (!token) throw invalid(`tokenEnv ${config.tokenEnv} is not set`);
    } else if (config.tokenFile) {
      // client-node re-reads a token file as it rotates (projected service-account tokens).
      authProvider = { name: 'tokenFile', config: { tokenFile: config.tokenFile } };
    } else {
      throw invalid('server needs tokenEnv or tokenFile');
    }
    const cluster = {
      name,
      server: config.server,
      skipTLSVerify: config.skipTLSVerify ?? false,
      ...(config.caData ? { caData: config.caData } : {}),
      ...(config.caFile ? { caFile: config.caFile } : {}),
    };
    const user = { name, ...(token ? { token } : {}), ...(authProvider ? { authProvider } : {}) };
    kc.loadFromOptions({ clusters: [cluster], users: [user], contexts: [{ name, cluster: name, user: name }], currentContext: name });
    return kc;
  }
  const paths = kubeconfigPaths(config, env);
  const loaded = loadKubeconfigFiles(paths, readFile);
  if (!loaded) {
    if (!config.kubeconfig && !config.context && env.KUBERNETES_SERVICE_HOST) {
      kc.loadFromCluster();
      return kc;
    }
    throw invalid(`no kubeconfig found (looked in ${paths.join(', ')})`);
  }
  if (config.context) {
    if (!loaded.getContextObject(config.context)) {
      throw invalid(`context "${config.context}" not in the kubeconfig (contexts: ${loaded.getContexts().map((c) => c.name).join(', ') || 'none'})`);
    }
    loaded.setCurrentContext(config.context);
  }
  if (!loaded.getCurrentCluster()) throw invalid('the kubeconfig has no current context; set `context`');
  return loaded;
}

/**
 * One connection per cluster of deckhand.yaml, built at start-up so a broken cluster
 * entry stops start-up with one message listing every problem.
 */
export function createClusterRegistry(options: ClusterRegistryOptions): ClusterRegistry {
  const readFile = options.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const connections = new Map<string, ClusterConnection>();
  const problems: string[] = [];
  for (const [name, config] of Object.entries(options.clusters)) {
    try {
      connections.set(name, createClusterConnection(name, loadClusterKubeConfig(name, config, options.env, readFile)));
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
  }
  if (problems.length > 0) {
    throw new AppError('config_invalid', `invalid cluster configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`, {
      retryable: false,
      details: { problems },
    });
  }
  function get(name: string): ClusterConnection {
    const connection = connections.get(name);
    if (!connection) throw new AppError('not_found', `unknown cluster "${name}" (known: ${[...connections.keys()].join(', ') || 'none'})`, { retryable: false });
    return connection;
  }
  return {
    names: () => [...connections.keys()],
    get,
    check: (name, timeoutMs) => get(name).check(timeoutMs),
  };
}
