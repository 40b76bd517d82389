import type { Proposal } from '../../src/decisions/actions/proposal.js';
import type { ChannelConfig } from '../../src/core/config/file.js';
import type { Incident } from '../../src/core/incident.js';
import type { PostInput, SlackMessage, SlackMessenger } from '../../src/slack/messenger.js';

export function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: 'inc-1',
    key: 'alertmanager:g1',
    source: 'alertmanager',
    externalId: 'g1',
    title: 'KubePodCrashLooping',
    severity: 'critical',
    status: 'triggered',
    labels: {},
    target: { namespace: 'shop', deployment: 'checkout' },
    links: [],
    members: [],
    truncatedAlerts: 0,
    channel: 'C0SHOP',
    threadTs: '1700000000.000100',
    createdAt: '2026-11-21T11:59:00.000Z',
    updatedAt: '2026-11-21T11:59:00.000Z',
    ...overrides,
  };
}

export function channelConfig(overrides: Partial<ChannelConfig> = {}): ChannelConfig {
  return {
    mode: 'approval',
    cluster: 'prod',
    namespaces: ['shop'],
    approvers: { users: [], groups: [] },
    yolo: { maxRisk: 'medium', minConfidence: 0.8, allowHigh: false },
    protectedNamespaces: [],
    deny: [],
    ...overrides,
  };
}

/** An in-memory SlackMessenger honouring idempotency keys, as the real one does. */
export function memoryMessenger(): SlackMessenger & { posts: (PostInput & { ts: string })[]; failNext: number } {
  const byKey = new Map<string, { channel: string; ts: string }>();
  const posts: (PostInput & { ts: string })[] = [];
  const m = {
    posts,
    failNext: 0,
    post(input: PostInput) {
      const seen = byKey.get(input.idempotencyKey);
      if (seen) return Promise.resolve(seen);
      if (m.failNext > 0) {
        m.failNext--;
        return Promise.reject(new Error('slack down'));
      }
      const ts = `1700000001.${String(posts.length + 1).padStart(6, '0')}`;
      posts.push({ ...input, ts });
      byKey.set(input.idempotencyKey, { channel: input.channel, ts });
      return Promise.resolve({ channel: input.channel, ts });
    },
    update: (_input: { channel: string; ts: string; message: SlackMessage }) => Promise.resolve(),
    postEphemeral: () => Promise.resolve(),
  };
  return m;
}

/** The decision loop's way in, remembering what was submitted. */
export function memoryProposals(): { submit(p: Proposal): Promise<void>; all: Map<string, Proposal> } {
  const all = new Map<string, Proposal>();
  return {
    all,
    submit: (p) => {
      all.set(p.id, p);
      return Promise.resolve();
    },
  };
}
