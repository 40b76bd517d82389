import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { submitProposal } from '../../src/decisions/submit.js';
import { createHarness, type Harness, useHarness } from './harness.js';

const identities = {
  users: { UALICE: { user: 'alice@example.com', groups: ['sre'] }, UBOB: { user: 'bob@example.com', groups: [] } },
  groups: { SONCALL: { groups: ['oncall'] } },
};

describe('runAs approver: who an action runs as, and whose click counts', () => {
  let redis: Redis;
  let h: Harness;
  const click = (proposalId: string, user: string) => h.clicks.approve({ proposalId, user, channel: 'C0OPS' });

  useHarness((r, created) => {
    redis = r;
    h = created;
  }, { runAs: 'approver', identities });

  it('does not count a click the cluster would refuse, and says which permission is lacking', async () => {
    h.cluster.state.access.set('bob@example.com', { allowed: false, missing: { verb: 'patch', group: 'apps', resource: 'deployments', subresource: 'scale', namespace: 'shop', name: 'web' } });
    const p = h.proposal();
    await h.store.save(p);
    const refused = await click(p.id, 'UBOB');
    expect(refused).toEqual({ ok: false, reason: 'cluster_refused', message: expect.stringContaining('bob@example.com may not patch deployments/scale.apps "web" in namespace shop') });
    expect(await h.store.get(p.id)).toMatchObject({ status: 'pending', approvals: [] });
    expect(h.executions).toEqual([]);
    const audit = await h.audit.recent({ incidentId: p.incidentId, limit: 5 });
    expect(audit[0]).toMatchObject({ type: 'refusal', actor: 'UBOB', summary: expect.stringContaining('cluster_refused') });
  });

  it('tells an approver with no Kubernetes identity so, and does not count the click', async () => {
    const p = h.proposal();
    await h.store.save(p);
    expect(await click(p.id, 'UCAROL')).toMatchObject({ ok: false, reason: 'unmapped_identity', message: expect.stringContaining('not mapped to a Kubernetes identity') });
    expect((await h.store.get(p.id))?.approvals).toEqual([]);
  });

  it('runs the dry run, the run and the verification as the approver who completed the approval, and says so', async () => {
    const p = h.proposal({ risk: 'high' });
    await h.store.save(p);
    await h.store.approve(p.id, 'UBOB');
    expect(await click(p.id, 'UALICE')).toEqual({ ok: true });
    expect(await h.execute(h.job(p.id))).toBe('executed');
    expect(await h.verify(h.job(p.id))).toBe('verified');
    const alice = { user: 'alice@example.com', groups: ['sre'] };
    // The staleness reads (at the click, in the lock) are Deckhand's; the run and the verification alice's.
    expect(h.cluster.state.identities).toEqual([undefined, alice, undefined, alice]);
    const audit = await h.audit.recent({ incidentId: p.incidentId, limit: 10 });
    expect(audit.find((e) => e.type === 'dry_run')?.summary).toContain('dry run passed as alice@example.com (groups sre)');
    expect(audit.find((e) => e.type === 'execution')?.summary).toContain('(as alice@example.com (groups sre))');
  });

  it('gives a person mapped through a Slack user group that group, under their Slack id', async () => {
    // The harness's Slack says every user group has the one member UGROUPIE.
    expect(await h.deps.runAs.identityOf('UGROUPIE')).toEqual({ user: 'slack:UGROUPIE', groups: ['oncall'] });
    expect(await h.deps.runAs.identityOf('UALICE')).toEqual({ user: 'alice@example.com', groups: ['sre'] });
    expect(await h.deps.runAs.identityOf('UNOBODY')).toBeUndefined();
  });

  it('runs yolo as Deckhand, never as a person', async () => {
    h = createHarness(redis, { runAs: 'approver', identities, channel: { mode: 'yolo' } });
    const p = h.proposal();
    expect(await submitProposal(h.deps, p, { allowAuto: true })).toBe('auto_run');
    expect(await h.execute(h.job(p.id))).toBe('executed');
    expect(h.cluster.state.identities.every((i) => i === undefined)).toBe(true);
    expect(h.cluster.state.identities.length).toBeGreaterThan(0);
    const audit = await h.audit.recent({ incidentId: p.incidentId, limit: 10 });
    expect(audit.find((e) => e.type === 'dry_run')?.summary).toContain("as Deckhand's own identity");
    expect(audit.find((e) => e.type === 'execution')?.summary).toContain("(as Deckhand's own identity)");
  });

  it('says on the proposal, before any click, which approvers the cluster would let run it', async () => {
    h.cluster.state.access.set('bob@example.com', { allowed: false, missing: { verb: 'patch', group: 'apps', resource: 'deployments', namespace: 'shop' } });
    const p = h.proposal();
    expect(await submitProposal(h.deps, p, { allowAuto: true })).toBe('awaiting_approval');
    const posted = JSON.stringify(h.slack.posts.at(-1)?.message.blocks);
    expect(posted).toContain('The cluster would let <@UALICE> run it');
    expect(posted).not.toContain('<@UBOB>');
  });

  it('refuses at execution a target that changed after the approval, running nothing', async () => {
    const p = h.proposal();
    await h.store.save(p);
    expect(await click(p.id, 'UALICE')).toEqual({ ok: true });
    h.cluster.state.snapshot = { kind: 'Deployment', namespace: 'shop', name: 'web', generation: 4, resourceVersion: '120', current: { replicas: 2 } };
    expect(await h.execute(h.job(p.id))).toBe('dry_run_failed');
    expect(h.cluster.state.dryRuns).toEqual([]);
    expect(h.cluster.state.realRuns).toEqual([]);
    expect(h.slack.texts().at(-1)).toContain('Not run');
    expect(h.slack.texts().at(-1)).toContain('generation 3 → 4');
    expect((await h.breaker.state('prod')).open).toBe(false);
    expect(await h.store.get(p.id)).toMatchObject({ status: 'failed', errorCode: 'stale' });
  });
});
