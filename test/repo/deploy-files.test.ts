import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import * as z from 'zod';
import { productNodeFlags } from '../../bench/lib/bot.js';
import { Env } from '../../src/core/config/env.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (name: string) => readFileSync(`${root}/${name}`, 'utf8');
const envNames = Object.keys(Env.shape).sort();
const listProductSources = () =>
  readdirSync(`${root}/src`, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `src/${f}`);

describe('docker-compose.yml', () => {
  const text = read('docker-compose.yml');
  const service = z.object({ environment: z.record(z.string(), z.string()), deploy: z.object({ replicas: z.number() }) });
  const compose = z
    .object({ services: z.object({ redis: z.object({ command: z.array(z.string()) }), web: service, worker: service }) })
    .parse(parse(text, { merge: true }));

  it('runs Redis with AOF persistence', () => {
    expect(compose.services.redis.command.join(' ')).toContain('--appendonly yes');
  });

  it('sets and documents exactly the env variables of src/core/config/env.ts (plus the heap cap)', () => {
    for (const { environment } of [compose.services.web, compose.services.worker]) {
      expect(Object.keys(environment).sort()).toEqual([...envNames, 'NODE_OPTIONS'].sort());
      expect(environment.NODE_OPTIONS).toMatch(/--max-old-space-size=\d+/);
    }
    for (const name of envNames) expect(text).toMatch(new RegExp(`#[^\\n]*\\n\\s+(\\w+:[^\\n]*\\n\\s+)?${name}:`));
  });

  it('splits web and worker roles, more than one replica each', () => {
    expect(compose.services.web.environment.DECKHAND_ROLES).toBe('web');
    expect(compose.services.worker.environment.DECKHAND_ROLES).toBe('worker');
    expect(compose.services.web.deploy.replicas).toBeGreaterThan(1);
    expect(compose.services.worker.deploy.replicas).toBeGreaterThan(1);
  });
});

describe('manifest.yml', () => {
  const manifest = z
    .object({
      features: z.object({ slash_commands: z.array(z.object({ command: z.string(), url: z.string() })) }),
      oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()) }) }),
      settings: z.object({
        event_subscriptions: z.object({ request_url: z.string(), bot_events: z.array(z.string()) }),
        interactivity: z.object({ is_enabled: z.literal(true), request_url: z.string() }),
      }),
    })
    .parse(parse(read('manifest.yml')));

  it('asks for exactly the bot scopes Deckhand uses (least privilege), each explained in the README', () => {
    const used = ['app_mentions:read', 'channels:history', 'groups:history', 'chat:write', 'commands', 'usergroups:read', 'metadata.message:read'];
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...used].sort());
    const readme = read('README.md');
    for (const scope of used) expect(readme, scope).toContain(`| \`${scope}\` |`);
    expect(readme).toMatch(/invite the bot/i);
  });

  it('asks for no scope whose Web API methods the product never calls', () => {
    const source = listProductSources().map(read).join('\n');
    for (const [scope, methods] of Object.entries({ 'files:write': /files\.(upload|uploadV2|getUploadURLExternal)/, 'reactions:write': /reactions\.add/, 'users:read': /(?<!usergroups\.)\busers\.(info|list|profile)/ })) {
      expect(source).not.toMatch(methods);
      expect(manifest.oauth_config.scopes.bot).not.toContain(scope);
    }
  });

  it('sends the /k8s command, interactivity and events to /slack/events', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(['/k8s']);
    for (const url of [manifest.features.slash_commands[0]!.url, manifest.settings.event_subscriptions.request_url, manifest.settings.interactivity.request_url]) {
      expect(url).toMatch(/^https:\/\/.+\/slack\/events$/);
    }
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(expect.arrayContaining(['app_mention', 'message.channels']));
  });
});

describe('Dockerfile', () => {
  const text = read('Dockerfile');
  it('builds in stages on Node 24 and runs as a non-root user with production dependencies only', () => {
    expect(text.match(/^FROM node:24/gm)?.length).toBeGreaterThanOrEqual(2);
    expect(text).toContain('npm ci');
    expect(text).toContain('--omit=dev');
    expect(text).toMatch(/^USER node$/m);
    expect(text).toMatch(/CMD \["node", "dist\/main\.js"\]/);
  });

  it('holds only the product: copies no sandbox, test or bench files and installs no workspace', () => {
    const copied = [...text.matchAll(/^COPY (?!--from)(?:--\S+ )*(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
    expect(copied.sort()).toEqual(['deckhand.example.yaml', 'package-lock.json', 'package-lock.json', 'package.json', 'package.json', 'package.json', 'src', 'tsconfig.build.json', 'tsconfig.json']);
    const installs = text.match(/npm ci[^\n&]*/g) ?? [];
    expect(installs).toHaveLength(2);
    for (const install of installs) expect(install).toContain('--workspaces=false');
  });
});

describe('V8 flags (heap cap, young generation)', () => {
  it('are the same for npm start, the image, docker-compose.yml, both Deployments and the bench', () => {
    const flags = productNodeFlags.join(' ');
    expect(flags).toMatch(/^--max-old-space-size=\d+ --max-semi-space-size=\d+$/);
    const start = z.object({ scripts: z.object({ start: z.string() }) }).parse(JSON.parse(read('package.json'))).scripts.start;
    expect(start).toBe(`NODE_OPTIONS="\${NODE_OPTIONS:-${flags}}" node scripts/start.mjs`);
    expect(read('Dockerfile')).toMatch(new RegExp(`^\\s+NODE_OPTIONS="${flags}" \\\\$`, 'm'));
    const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<'web' | 'worker', { environment: Record<string, string> }> };
    for (const role of ['web', 'worker'] as const) expect(compose.services[role].environment.NODE_OPTIONS, role).toBe(`\${NODE_OPTIONS:-${flags}}`);
    const deployments = parseAllDocuments(read('deploy/deployment.yaml')).map((d) => d.toJS() as { spec: { template: { spec: { containers: { env: { name: string; value: string }[] }[] } } } });
    expect(deployments).toHaveLength(2);
    for (const d of deployments) expect(d.spec.template.spec.containers[0]!.env.find((e) => e.name === 'NODE_OPTIONS')?.value).toBe(flags);
  });
});
