import { writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createSilentLogger, type Logger } from '../shared/product.js';
import { createApiServer, type RecordedRequest } from './api/server.js';
import type { ClusterContext } from './controller/context.js';
import { createEventRecorder } from './controller/events.js';
import { createController } from './controller/loop.js';
import { buildKubeconfig } from './kubeconfig.js';
import { resolveKind, resources } from './resources.js';
import { selectScenarios } from './scenarios/index.js';
import { seedRbac } from './rbac-seed.js';
import { seedScenarios } from './seed.js';
import { createSimClock } from './sim-clock.js';
import { createObjectStore } from './store.js';

export { scenarioNames } from './scenarios/index.js';
export type { RecordedRequest } from './api/server.js';

export interface SandboxClusterOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Scenario names (see scenarioNames); default: all. The base scenario is always loaded. */
  scenarios?: string[];
  /**
   * Simulated seconds per real second during the warm-up; default 1. Tests use a large
   * value. The clock never runs ahead of the wall clock (see sim-clock.ts).
   */
  timeScale?: number;
  /** How long (real ms) the speed-up lasts; default 10 minutes. */
  warmupMs?: number;
  /** Extra room behind the wall clock for `advance()` (ms); default 0. */
  historyMs?: number;
  log?: Logger;
}

export interface SandboxFaults {
  setLatency(ms: number): void;
  /** 403 Forbidden on every write (POST, PUT, PATCH, DELETE). */
  denyWrites(on: boolean): void;
  /** The next `count` requests fail with `status` (default 500). */
  failRequests(count: number, status?: number): void;
  /** Ends every open watch now. */
  dropWatches(): void;
  reset(): void;
}

export interface SandboxCluster {
  url: string;
  kubeconfigYaml(): string;
  writeKubeconfig(path: string): Promise<void>;
  faults: SandboxFaults;
  /** Resolves when every workload has converged to its current desired state (or rejects after timeoutMs). */
  settle(timeoutMs?: number): Promise<void>;
  /** Moves simulated time forward (crash loops advance, deadlines pass) and runs a controller pass. */
  advance(ms: number): void;
  /** Read-only view for tests: an object straight from the store ("Pod", "pods", "deploy"…), or undefined. */
  getObject(kind: string, namespace: string | undefined, name: string): unknown;
  /** Every request served, in order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts an in-process Kubernetes API server with the chosen broken and healthy workloads. */
export async function startSandboxCluster(options: SandboxClusterOptions = {}): Promise<SandboxCluster> {
  const log = options.log ?? createSilentLogger();
  const clock = createSimClock(options.timeScale ?? 1, Date.now, {
    ...(options.warmupMs === undefined ? {} : { warmupMs: options.warmupMs }),
    ...(options.historyMs === undefined ? {} : { historyMs: options.historyMs }),
  });
  const store = createObjectStore(clock);
  const scenarios = selectScenarios(options.scenarios);
  const ctx: ClusterContext = {
    store,
    clock,
    events: createEventRecorder(store, clock),
    pods: new Map(),
    log,
  };
  seedScenarios(ctx, scenarios);
  seedRbac(store, clock.now() - 30 * 24 * 3_600_000);
  const controller = createController(ctx);
  controller.tick();
  let url = '';
  const api = createApiServer(ctx, () => url.replace(/^http:\/\//, ''));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    api.server.once('error', reject);
    api.server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (api.server.address() as AddressInfo).port;
  url = `http://${host}:${port}`;
  controller.start();
  log.info({ url, scenarios: scenarios.map((s) => s.name) }, 'sandbox cluster started');

  const faults: SandboxFaults = {
    setLatency: (ms) => void (api.faults.latencyMs = ms),
    denyWrites: (on) => void (api.faults.denyWrites = on),
    failRequests: (count, status = 500) => {
      api.faults.failCount = count;
      api.faults.failStatus = status;
    },
    dropWatches: () => api.dropWatches(),
    reset: () => Object.assign(api.faults, { latencyMs: 0, denyWrites: false, failCount: 0, failStatus: 500 }),
  };

  return {
    url,
    kubeconfigYaml: () => buildKubeconfig(url),
    writeKubeconfig: (path) => writeFile(path, buildKubeconfig(url), { mode: 0o600 }),
    faults,
    settle: (timeoutMs) => controller.settle(timeoutMs),
    advance(ms) {
      clock.advance(ms);
      controller.tick();
    },
    getObject(kind, namespace, name) {
      const resource = resolveKind(kind);
      const namespaced = resources.find((r) => r.plural === resource)?.namespaced ?? true;
      return resource ? store.get(resource, namespaced ? namespace : undefined, name) : undefined;
    },
    requests: api.requests,
    async close() {
      controller.stop();
      api.dropWatches();
      api.server.closeAllConnections();
      await new Promise<void>((resolve) => api.server.close(() => resolve()));
      log.info({ url }, 'sandbox cluster stopped');
    },
  };
}
