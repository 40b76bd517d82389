import { describe, expect, it } from 'vitest';
import { channelConfigOf, loadConfig } from '../../../src/core/config/load.js';
import { AppError } from '../../../src/shared/errors.js';

const baseEnv = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'shh' };

function load(env: Record<string, string>, yaml?: string) {
  return loadConfig(env, {
    cwd: '/nowhere',
    fileExists: (p) => yaml !== undefined && p.endsWith('deckhand.yaml'),
    readFile: () => yaml ?? '',
  });
}

describe('loadConfig', () => {
  it('applies the contract defaults', () => {
    const config = load(baseEnv);
    expect(config.env.PORT).toBe(3000);
    expect(config.env.HOST).toBe('0.0.0.0');
    expect(config.env.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.env.SLACK_API_URL).toBe('https://slack.com/api/');
    expect(config.env.PAGERDUTY_WEBHOOK_SECRETS).toEqual([]);
    expect(config.env.LOG_LEVEL).toBe('info');
    expect(Object.keys(config.file.clusters)).toEqual(['default']);
  });

  it('lists every problem in one message', () => {
    let error: unknown;
    try {
      load({ SLACK_BOT_TOKEN: 'nope', PORT: 'x', LOG_LEVEL: 'loud' }, 'channels:\n  C1:\n    mode: wild\n    cluster: prod\n    namespaces: []\n');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    const message = (error as AppError).message;
    expect(message).toContain('SLACK_BOT_TOKEN');
    expect(message).toContain('PORT');
    expect(message).toContain('LOG_LEVEL');
    expect(message).toContain('SLACK_SIGNING_SECRET');
    expect(message).toContain('channels.C1.mode');
    expect(message).toContain('channels.C1.namespaces');
  });

  it('reads DECKHAND_ROLES: web, worker or both (the default)', () => {
    expect(load(baseEnv).env.DECKHAND_ROLES).toEqual({ web: true, worker: true });
    expect(load({ ...baseEnv, DECKHAND_ROLES: 'web' }).env.DECKHAND_ROLES).toEqual({ web: true, worker: false });
    expect(load({ ...baseEnv, DECKHAND_ROLES: ' worker ' }).env.DECKHAND_ROLES).toEqual({ web: false, worker: true });
    expect(load({ ...baseEnv, DECKHAND_ROLES: 'worker,web' }).env.DECKHAND_ROLES).toEqual({ web: true, worker: true });
  });

  it('refuses an unknown role alongside the other env problems', () => {
    for (const roles of ['api', 'web,', 'web;worker']) {
      expect(() => load({ ...baseEnv, DECKHAND_ROLES: roles })).toThrow(/DECKHAND_ROLES: must be web, worker or web,worker/);
    }
    let message = '';
    try {
      load({ SLACK_BOT_TOKEN: 'nope', SLACK_SIGNING_SECRET: 'shh', DECKHAND_ROLES: 'api' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('env: DECKHAND_ROLES: must be web, worker or web,worker');
    expect(message).toContain('SLACK_BOT_TOKEN');
  });

  it('accepts Socket Mode without a signing secret', () => {
    const config = load({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' });
    expect(config.env.SLACK_APP_TOKEN).toBe('xapp-1');
  });

  it('splits rotated PagerDuty secrets', () => {
    expect(load({ ...baseEnv, PAGERDUTY_WEBHOOK_SECRETS: ' a, b ,,c' }).env.PAGERDUTY_WEBHOOK_SECRETS).toEqual(['a', 'b', 'c']);
  });

  it('rejects a channel that names an unknown cluster', () => {
    const yaml = 'clusters:\n  prod: { context: prod }\nchannels:\n  C1: { cluster: staging, namespaces: [web] }\n';
    expect(() => load(baseEnv, yaml)).toThrow(/unknown cluster "staging"/);
  });

  it('reads channels with defaults for yolo policy and approvers', () => {
    const yaml = 'clusters:\n  prod: { context: prod }\nchannels:\n  C1: { cluster: prod, namespaces: [web], mode: yolo }\n';
    const channel = channelConfigOf(load(baseEnv, yaml), 'C1');
    expect(channel).toMatchObject({ mode: 'yolo', configured: true, yolo: { maxRisk: 'medium', minConfidence: 0.8, allowHigh: false } });
    expect(channel.approvers).toEqual({ users: [], groups: [] });
  });

  it('gives an unlisted channel plan mode and no namespaces', () => {
    const channel = channelConfigOf(load(baseEnv), 'C999');
    expect(channel).toMatchObject({ mode: 'plan', namespaces: [], configured: false });
  });
});
