import { describe, expect, it } from 'vitest';
import { createApproverResolver } from '../../src/decisions/approvers.js';
import { makeChannel, manualClock } from './fixtures.js';

describe('approver resolver', () => {
  const channel = makeChannel({ approvers: { users: ['UALICE'], groups: ['SONCALL'] } });

  it('accepts listed users and members of listed groups, nobody else', async () => {
    const resolver = createApproverResolver({ groupMembers: () => Promise.resolve(['UDAVE']), clock: manualClock().now });
    expect(await resolver.isApprover(channel, 'UALICE')).toBe(true);
    expect(await resolver.isApprover(channel, 'UDAVE')).toBe(true);
    expect(await resolver.isApprover(channel, 'UMALLORY')).toBe(false);
  });

  it('caches group members for the TTL, then asks again', async () => {
    const clock = manualClock();
    let calls = 0;
    let members = ['UDAVE'];
    const resolver = createApproverResolver({
      groupMembers: () => {
        calls++;
        return Promise.resolve(members);
      },
      clock: clock.now,
      cacheTtlMs: 60_000,
    });
    expect(await resolver.isApprover(channel, 'UDAVE')).toBe(true);
    members = [];
    expect(await resolver.isApprover(channel, 'UDAVE')).toBe(true);
    expect(calls).toBe(1);
    clock.advance(60_001);
    expect(await resolver.isApprover(channel, 'UDAVE')).toBe(false);
    expect(calls).toBe(2);
  });

  it('treats a failed group lookup as not a member, without caching the failure', async () => {
    let fail = true;
    const resolver = createApproverResolver({
      groupMembers: () => (fail ? Promise.reject(new Error('slack down')) : Promise.resolve(['UDAVE'])),
      clock: manualClock().now,
    });
    expect(await resolver.isApprover(channel, 'UDAVE')).toBe(false);
    fail = false;
    expect(await resolver.isApprover(channel, 'UDAVE')).toBe(true);
  });
});
