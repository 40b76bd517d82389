import { describe, expect, it } from 'vitest';
import { parseK8sCommand } from '../../src/commands/parse.js';
import type { CommandPorts } from '../../src/commands/ports.js';
import type { AskRequest } from '../../src/conversation/port.js';
import { collectStatus, runK8sCommand } from '../../src/commands/run.js';
import type { ChannelMode } from '../../src/core/config/file.js';
import { AppError } from '../../src/shared/errors.js';

function fakePorts(overrides: Partial<CommandPorts> = {}) {
  const state = { mode: 'approval' as ChannelMode, paused: false, asks: [] as AskRequest[], authorized: new Set(['UALICE']) };
  const ports: CommandPorts = {
    getChannelMode: () => Promise.resolve({ mode: state.mode, source: 'config' }),
    setChannelMode: ({ mode }) => {
      state.mode = mode;
      return Promise.resolve();
    },
    isAuthorized: ({ user }) => Promise.resolve(state.authorized.has(user)),
    pauseState: () => Promise.resolve({ global: state.paused, clusters: [] }),
    pause: () => {
      state.paused = true;
      return Promise.resolve();
    },
    resume: () => {
      state.paused = false;
      return Promise.resolve();
    },
    listOpenIncidents: () => Promise.resolve([]),
    listPendingProposals: () => Promise.resolve([]),
    breakerStates: (clusters) => Promise.resolve(clusters.map((cluster) => ({ cluster, state: 'closed' as const }))),
    auditRecent: ({ limit }) => Promise.resolve(Array.from({ length: limit }, (_, i) => ({ at: '2026-01-01T00:00:00.000Z', actor: 'UALICE', type: `t${i}` }))),
    clusterNames: () => ['prod', 'lab'],
    checkCluster: (name) => (name === 'prod' ? Promise.resolve({ ok: true }) : Promise.reject(new Error('ECONNREFUSED'))),
    enqueueAsk: (ask) => {
      state.asks.push(ask);
      return Promise.resolve();
    },
    ...overrides,
  };
  return { ports, state };
}

const call = (user = 'UALICE') => ({ channel: 'CINC', user, command: '/k8s', triggerId: '123.456.abc' });
const run = (ports: CommandPorts, text: string, user?: string) => runK8sCommand(ports, parseK8sCommand(text), call(user));

describe('runK8sCommand', () => {
  it('queues ask with the scope from the question and tells the user privately', async () => {
    const { ports, state } = fakePorts();
    const reply = await run(ports, 'ask why is web down -n shop');
    expect(reply.responseType).toBe('ephemeral');
    expect(state.asks).toEqual([{ channel: 'CINC', user: 'UALICE', question: 'why is web down -n shop', namespace: 'shop', triggerId: '123.456.abc' }]);
  });

  it('shows the mode to anyone but lets only approvers set it, announcing the change', async () => {
    const { ports, state } = fakePorts();
    expect((await run(ports, 'mode')).message.text).toContain('is `approval`');
    const refused = await run(ports, 'mode yolo', 'UBOB');
    expect(refused.responseType).toBe('ephemeral');
    expect(refused.message.text).toContain('Only the approvers');
    expect(state.mode).toBe('approval');
    const done = await run(ports, 'mode yolo');
    expect(done.responseType).toBe('in_channel');
    expect(done.message.text).toContain('to `yolo` (was `approval`)');
    expect(state.mode).toBe('yolo');
  });

  it('pauses and resumes for approvers only, and refuses a cluster argument (the switch is global)', async () => {
    const { ports, state } = fakePorts();
    expect((await run(ports, 'pause', 'UBOB')).message.text).toContain('Only the approvers');
    expect(state.paused).toBe(false);
    expect((await run(ports, 'pause')).message.text).toContain('paused all actions');
    expect(state.paused).toBe(true);
    expect((await run(ports, 'resume prod')).message.text).toContain('acts on every cluster at once');
    expect(state.paused).toBe(true);
    expect((await run(ports, 'resume')).message.text).toContain('resumed actions');
    expect(state.paused).toBe(false);
  });

  it('reports clusters, unreachable ones with the reason', async () => {
    const { ports } = fakePorts();
    const reply = await run(ports, 'clusters');
    expect(reply.message.text).toBe('prod: reachable, lab: unreachable');
    expect(JSON.stringify(reply.message.blocks)).toContain('ECONNREFUSED');
  });

  it('answers audit with the requested number of entries', async () => {
    const { ports } = fakePorts();
    expect((await run(ports, 'audit 3')).message.text).toBe('Audit (last 3): 3 entries');
  });

  it('answers an unknown subcommand with help and bad arguments with usage', async () => {
    const { ports } = fakePorts();
    expect((await run(ports, 'frobnicate')).message.text).toContain("I don't know `frobnicate`");
    expect((await run(ports, 'mode turbo')).message.text).toContain('Usage: `/k8s mode [plan|approval|yolo]`');
  });

  it('keeps status useful when one store fails', async () => {
    const { ports } = fakePorts({ listOpenIncidents: () => Promise.reject(new AppError('unavailable', 'redis down')) });
    const view = await collectStatus(ports, 'CINC');
    expect(view.incidents).toBe('unknown');
    expect(view.paused).toEqual({ global: false, clusters: [] });
    expect(view.mode).toBe('approval');
  });
});
