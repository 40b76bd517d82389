import { readFileSync } from 'node:fs';
import { createDeckhand, type Deckhand } from '../../src/app.js';
import type { AppContext, Feature } from '../../src/core/feature.js';
import { createIntakeFeature } from '../../src/intake/feature.js';
import type { ClusterRegistry } from '../../src/kube/connection.js';
import { AppError } from '../../src/shared/errors.js';
import { loadConfig, type Config } from '../../src/core/config/load.js';
import { startSlackSandbox, type SlackSandbox, type SlackSandboxOptions } from '../../sandbox/slack/index.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import { createLogger } from '../../src/shared/logger.js';
import { testRedisUrl, uniquePrefix } from './redis.js';
import { signPagerDuty, signSlack, slackForm } from './signers.js';

/** Secrets the test app is configured with (and that log-leak tests look for). */
export const testSecrets = {
  pagerduty: 'pd-test-secret-6f1e2d',
  alertmanager: 'am-test-token-9c8b7a',
  botToken: 'xoxb-sandbox',
} as const;

/** The cluster edge of a test: names and checks as given; `get` only where a test has a connection. */
export type TestClusters = Pick<ClusterRegistry, 'names' | 'check'> & { get?: ClusterRegistry['get'] };

function registryOf(clusters: TestClusters): ClusterRegistry {
  const get: ClusterRegistry['get'] =
    clusters.get ??
    ((name) => {
      throw new AppError('not_found', `cluster "${name}" has no connection in this test`, { retryable: false });
    });
  return { names: () => clusters.names(), check: (name, timeoutMs) => clusters.check(name, timeoutMs), get };
}

export interface TestAppOptions {
  /** Env overrides; a value of undefined removes the default. */
  env?: Record<string, string | undefined>;
  /** deckhand.yaml content. */
  yaml?: string;
  /** The features under test; intake is added when missing (webhooks are the way in). */
  features?: Feature[];
  /** Default: every configured cluster answers ok. */
  clusters?: TestClusters;
  /** Share one sandbox between apps (two instances); default: a private one, closed by stop(). */
  slack?: SlackSandbox;
  /** Options of the private sandbox (its people, user groups…) when `slack` is not given. */
  slackOptions?: SlackSandboxOptions;
  /** Share Redis state between apps; default: a unique prefix. */
  redisPrefix?: string;
  /** Hold Slack HTTP answers until listeners finish (default true: deterministic tests). */
  processBeforeResponse?: boolean;
}

export interface HttpAnswer {
  status: number;
  text: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke at loosely-typed wire JSON
  json: any;
  headers: Headers;
}

export interface TestApp {
  url: string;
  port: number;
  deckhand: Deckhand;
  ctx: AppContext;
  config: Config;
  slack: SlackSandbox;
  prefix: string;
  /** Everything the app logged (pino JSON lines), for leak checks and debugging. */
  logs(): string;
  request(method: string, path: string, init?: { body?: string | Buffer; headers?: Record<string, string> }): Promise<HttpAnswer>;
  /** POST a PagerDuty V3 webhook, signed with the configured secret unless `signature` is given. */
  postPagerDuty(payload: unknown, options?: { webhookId?: string; signature?: string; raw?: string }): Promise<HttpAnswer>;
  /** POST an Alertmanager v4 webhook with the configured bearer token unless `authorization` is given. */
  postAlertmanager(payload: unknown, options?: { authorization?: string; raw?: string }): Promise<HttpAnswer>;
  /** POST a signed Slack request to /slack/events: an object is sent as JSON (events), a form as form. */
  postSlack(body: { json: unknown } | { form: Record<string, string> }): Promise<HttpAnswer>;
  stop(): Promise<void>;
}

/** Waits until the app's intake queue has nothing waiting, active or delayed. */
export async function intakeDrained(app: TestApp): Promise<void> {
  await waitFor(async () => {
    const c = await app.ctx.queues.get('intake').getJobCounts('waiting', 'active', 'delayed');
    return c.waiting === 0 && c.active === 0 && c.delayed === 0;
  }, { message: 'intake queue did not drain' });
}

/** A fixture from test/fixtures, parsed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures are loosely-typed wire JSON
export function fixture<T = any>(path: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8')) as T;
}

/**
 * Boots the whole app in-process — real HTTP on a free port, real Redis (the test run's
 * private one, under a unique prefix), the Slack sandbox as Slack — with the intake
 * pipeline and any extra features. Always `await app.stop()` (afterEach).
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const ownSlack = options.slack === undefined;
  const slack = options.slack ?? (await startSlackSandbox(options.slackOptions));
  const lines: string[] = [];
  const env: Record<string, string | undefined> = {
    PORT: '0',
    HOST: '127.0.0.1',
    REDIS_URL: testRedisUrl(),
    SLACK_BOT_TOKEN: testSecrets.botToken,
    SLACK_SIGNING_SECRET: slack.signingSecret,
    SLACK_API_URL: slack.apiUrl,
    PAGERDUTY_WEBHOOK_SECRETS: testSecrets.pagerduty,
    ALERTMANAGER_TOKEN: testSecrets.alertmanager,
    ALERT_CHANNEL: 'CINCIDENTS',
    LOG_LEVEL: 'debug',
    ...options.env,
  };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const yaml = options.yaml;
  const config = loadConfig(env, {
    cwd: '/nowhere',
    fileExists: (p) => yaml !== undefined && p.endsWith('deckhand.yaml'),
    readFile: () => yaml ?? '',
  });
  const log = createLogger({ level: config.env.LOG_LEVEL, destination: { write: (line: string) => void lines.push(line) } });
  const prefix = options.redisPrefix ?? uniquePrefix('app');
  const clusters = registryOf(options.clusters ?? { names: () => Object.keys(config.file.clusters), check: () => Promise.resolve({ ok: true }) });
  const features = options.features ?? [];
  const deckhand = createDeckhand({
    config,
    log,
    clusters,
    redisPrefix: prefix,
    features: features.some((f) => f.name === 'intake') ? features : [createIntakeFeature(), ...features],
    processBeforeResponse: options.processBeforeResponse ?? true,
    processMetrics: false,
    slackRetry: { baseDelayMs: 5, maxDelayMs: 20 },
    // Honour short waits, cap long ones (a 429's Retry-After) so tests stay fast.
    slackSleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))),
  });
  const { port } = await deckhand.start();
  const url = `http://127.0.0.1:${port}`;
  if (ownSlack) slack.setBotUrl(`${url}/slack/events`);

  const request: TestApp['request'] = async (method, path, init = {}) => {
    const res = await fetch(`${url}${path}`, { method, headers: init.headers ?? {}, ...(init.body === undefined ? {} : { body: init.body }) });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json, headers: res.headers };
  };

  return {
    url,
    port,
    deckhand,
    ctx: deckhand.context,
    config,
    slack,
    prefix,
    logs: () => lines.join(''),
    request,
    postPagerDuty(payload, opts = {}) {
      const raw = opts.raw ?? JSON.stringify(payload);
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'user-agent': 'PagerDuty-Webhook/V3.0',
        'x-pagerduty-signature': opts.signature ?? signPagerDuty(raw, testSecrets.pagerduty),
      };
      if (opts.webhookId) headers['x-webhook-id'] = opts.webhookId;
      return request('POST', '/webhooks/pagerduty', { body: raw, headers });
    },
    postAlertmanager(payload, opts = {}) {
      const raw = opts.raw ?? JSON.stringify(payload);
      return request('POST', '/webhooks/alertmanager', {
        body: raw,
        headers: { 'content-type': 'application/json', authorization: opts.authorization ?? `Bearer ${testSecrets.alertmanager}` },
      });
    },
    postSlack(body) {
      const isJson = 'json' in body;
      const raw = isJson ? JSON.stringify(body.json) : slackForm(body.form);
      // Bolt parses forms only with this exact content type (libraries.md §1).
      const contentType = isJson ? 'application/json' : 'application/x-www-form-urlencoded';
      return request('POST', '/slack/events', { body: raw, headers: { 'content-type': contentType, ...signSlack(slack.signingSecret, raw) } });
    },
    async stop() {
      await deckhand.stop();
      if (ownSlack) await slack.close();
    },
  };
}
