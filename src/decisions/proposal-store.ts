import type { Redis } from 'ioredis';
import * as z from 'zod';
import { Proposal, ProposalStatus, TargetSnapshot } from './actions/proposal.js';
import type { Clock } from '../shared/clock.js';
import { requiredApprovalsFor } from './authorize.js';
import { applyScript, approveScript, beginScript, closeScript, finishScript, lockScript, saveScript, unknownScript, verdictScript } from './proposal-scripts.js';

export const ExecutionPhase = z.enum(['dry_run', 'applying']);
export const ExecutionOutcome = z.enum(['ok', 'error', 'unknown']);

/**
 * Steps owed after a decision, each marked done on the proposal when it happened (a hash
 * field `done:<step>`), so a retried job or the resume sweep does only what is left:
 * `decision` (audit + message edit of a click), `reported` (the outcome posted, audited,
 * verification queued or the failure counted), `breaker` (the failure counted toward the
 * breaker, at most once), `verdict` (the verdict recorded, audited, posted, inverse offered),
 * `verdict_breaker` (the verdict fed to the breaker, at most once); `breaker_opened` /
 * `verdict_breaker_opened`: that count opened the breaker, so its thread post is owed.
 */
export const Step = z.enum(['decision', 'reported', 'breaker', 'verdict', 'verdict_breaker', 'breaker_opened', 'verdict_breaker_opened']);
export type Step = z.infer<typeof Step>;

const Approvals = z.array(z.object({ user: z.string(), at: z.string() }));
const json = <T extends z.ZodType>(schema: T) => z.string().transform((s) => JSON.parse(s) as unknown).pipe(schema);

const StoredVerdict = z.object({ ok: z.boolean(), summary: z.string(), evidence: z.array(z.string()), at: z.string() });
type StoredVerdict = z.infer<typeof StoredVerdict>;

/** A proposal hash as stored; parsed on every read (Redis is a boundary too). */
const StoredHash = z.object({
  proposal: json(Proposal),
  status: ProposalStatus,
  required: z.coerce.number(),
  approvals: json(Approvals),
  auto: z.enum(['0', '1']).transform((v) => v === '1'),
  messageTs: z.string().optional(),
  decidedBy: z.string().optional(),
  decidedAt: z.string().optional(),
  reason: z.string().optional(),
  phase: ExecutionPhase.optional(),
  owner: z.string().optional(),
  startedAt: z.string().optional(),
  applyingAt: z.string().optional(),
  finishedAt: z.string().optional(),
  outcome: ExecutionOutcome.optional(),
  summary: z.string().optional(),
  errorCode: z.string().optional(),
  /** '1' when the real run threw: the change may or may not have been applied. */
  uncertain: z.enum(['0', '1']).transform((v) => v === '1').optional(),
  preSnapshot: json(TargetSnapshot).optional(),
  verification: json(StoredVerdict).optional(),
});

export type DecisionRecord = ReturnType<typeof toRecord>;

function toRecord(hash: z.infer<typeof StoredHash>, done: Step[]) {
  const { proposal, required, messageTs, ...rest } = hash;
  return { ...rest, proposal: messageTs ? { ...proposal, messageTs } : proposal, requiredApprovals: required, done };
}

const doneField = (step: Step) => `done:${step}`;

function doneSteps(hash: Record<string, string>): Step[] {
  return Object.keys(hash).flatMap((field) => {
    const step = field.startsWith('done:') ? Step.safeParse(field.slice(5)) : undefined;
    return step?.success ? [step.data] : [];
  });
}

export type ApproveOutcome =
  | { outcome: 'approved' | 'recorded'; approvals: number }
  | { outcome: 'duplicate'; approvals: number }
  | { outcome: 'not_pending'; status: ProposalStatus }
  | { outcome: 'missing' | 'forbidden' | 'expired' | 'paused' };

export type BeginOutcome =
  | { outcome: 'started' | 'resumed' | 'paused' | 'missing' }
  | { outcome: 'in_progress'; holder: string }
  | { outcome: 'unknown'; phase: string }
  | { outcome: 'not_runnable'; status: string };

export interface ProposalStoreDeps {
  redis: Redis;
  /** Key prefix, e.g. 'deckhand'. */
  prefix: string;
  clock: Clock;
  /** Redis key whose existence means "paused" (pause.ts pauseKeyOf). */
  pauseKey: string;
  /** How long decided proposals are kept (default 30 days). */
  retentionMs?: number;
}

export type ProposalStore = ReturnType<typeof createProposalStore>;

/**
 * Proposals and their decision state in Redis. All transitions go through the Lua scripts in
 * proposal-scripts.ts; nothing here reads, decides and writes in separate round trips.
 */
export function createProposalStore(deps: ProposalStoreDeps) {
  const { redis, prefix, clock } = deps;
  const retentionMs = deps.retentionMs ?? 30 * 24 * 3600_000;
  const keyOf = (id: string) => `${prefix}:proposal:${id}`;
  const lockOf = (id: string) => `${prefix}:proposal:${id}:lock`;
  const incidentKey = (incidentId: string) => `${prefix}:incident-proposals:${incidentId}`;
  const expiryKey = `${prefix}:proposal-expiry`;
  const activeKey = `${prefix}:proposal-active`;
  const iso = () => new Date(clock()).toISOString();

  async function run(script: string, keys: string[], args: (string | number)[]): Promise<string[]> {
    const reply = (await redis.eval(script, keys.length, ...keys, ...args.map(String)));
    return z.array(z.string()).parse(reply);
  }

  async function get(id: string): Promise<DecisionRecord | undefined> {
    const hash = await redis.hgetall(keyOf(id));
    if (Object.keys(hash).length === 0) return undefined;
    return toRecord(StoredHash.parse(hash), doneSteps(hash));
  }

  async function close(id: string, to: ProposalStatus, from: ProposalStatus[], by = '', reason = ''): Promise<boolean> {
    const [outcome] = await run(closeScript, [keyOf(id), expiryKey, activeKey], [to, from.join(','), iso(), by, reason, id, clock()]);
    return outcome === 'closed';
  }

  async function expireMany(ids: string[], reason: string): Promise<DecisionRecord[]> {
    const changed: DecisionRecord[] = [];
    for (const id of ids) {
      if (await close(id, 'expired', ['pending', 'approved'], '', reason)) {
        const record = await get(id);
        if (record) changed.push(record);
      }
    }
    return changed;
  }

  return {
    get,

    /** Stores a new pending proposal; false when one with this id exists (nothing changes). */
    async save(proposal: Proposal): Promise<boolean> {
      const required = requiredApprovalsFor(proposal.risk);
      const { messageTs: _ignored, ...rest } = Proposal.parse(proposal);
      const [outcome] = await run(
        saveScript,
        [keyOf(proposal.id), incidentKey(proposal.incidentId), expiryKey],
        [
          JSON.stringify(rest),
          proposal.risk,
          Number.isFinite(required) ? required : 999,
          Date.parse(proposal.expiresAt),
          retentionMs,
          proposal.id,
          proposal.createdAt,
          proposal.incidentId,
        ],
      );
      return outcome === 'created';
    },

    async setMessageTs(id: string, ts: string): Promise<void> {
      await redis.hset(keyOf(id), 'messageTs', ts);
    },

    async listByIncident(incidentId: string): Promise<DecisionRecord[]> {
      const ids = await redis.smembers(incidentKey(incidentId));
      const records = await Promise.all(ids.map(get));
      return records.filter((r): r is DecisionRecord => r !== undefined).sort((a, b) => a.proposal.createdAt.localeCompare(b.proposal.createdAt));
    },

    /** Records one approval; the proposal becomes approved when it has enough distinct approvers. */
    async approve(id: string, user: string, options: { auto?: boolean } = {}): Promise<ApproveOutcome> {
      const [outcome, detail] = await run(approveScript, [keyOf(id), deps.pauseKey, expiryKey, activeKey], [user, clock(), iso(), options.auto ? '1' : '0', id]);
      switch (outcome) {
        case 'approved':
        case 'recorded':
        case 'duplicate':
          return { outcome, approvals: Number(detail) };
        case 'not_pending':
          return { outcome, status: ProposalStatus.parse(detail) };
        default:
          return { outcome: z.enum(['missing', 'forbidden', 'expired', 'paused']).parse(outcome) };
      }
    },

    reject: (id: string, user: string) => close(id, 'rejected', ['pending'], user, 'rejected'),
    /** Refuses a proposal for good (stale target, paused at execution…). */
    refuse: (id: string, reason: string, from: ProposalStatus[] = ['pending']) => close(id, 'refused', from, '', reason),
    expire: (id: string, reason = 'expired') => close(id, 'expired', ['pending', 'approved'], '', reason),

    /** Expires every undecided proposal of an incident (it resolved); returns those that changed. */
    async expireForIncident(incidentId: string): Promise<DecisionRecord[]> {
      return expireMany(await redis.smembers(incidentKey(incidentId)), 'incident_resolved');
    },

    /** Expires proposals whose TTL passed; returns those that changed (to update their messages). */
    async sweepExpired(): Promise<DecisionRecord[]> {
      return expireMany(await redis.zrangebyscore(expiryKey, 0, clock()), 'expired');
    },

    async beginExecution(id: string, owner: string, lockTtlMs: number): Promise<BeginOutcome> {
      const [outcome, detail = ''] = await run(beginScript, [keyOf(id), lockOf(id), deps.pauseKey], [owner, lockTtlMs, iso()]);
      if (outcome === 'in_progress') return { outcome, holder: detail };
      if (outcome === 'unknown') return { outcome, phase: detail };
      if (outcome === 'not_runnable') return { outcome, status: detail };
      return { outcome: z.enum(['started', 'resumed', 'paused', 'missing']).parse(outcome) };
    },

    /** Persists "the real run starts now"; after this a crash means the outcome is unknown. */
    async markApplying(id: string, owner: string, lockTtlMs: number, preSnapshot?: TargetSnapshot): Promise<'ok' | 'paused' | 'lost_lock'> {
      const [outcome] = await run(applyScript, [keyOf(id), lockOf(id), deps.pauseKey], [owner, lockTtlMs, iso(), preSnapshot ? JSON.stringify(preSnapshot) : '']);
      return z.enum(['ok', 'paused', 'lost_lock']).parse(outcome);
    },

    async finishExecution(id: string, owner: string, result: { ok: boolean; summary: string; code?: string; uncertain?: boolean }): Promise<boolean> {
      const args = [owner, result.ok ? 'executed' : 'failed', result.ok ? 'ok' : 'error', result.summary, iso(), result.code ?? '', result.uncertain ? '1' : '0'];
      const [outcome] = await run(finishScript, [keyOf(id), lockOf(id)], args);
      return outcome === 'ok';
    },

    /** After a crash mid-run: failed with outcome unknown, unless someone still holds the lock. */
    async markUnknown(id: string, summary: string): Promise<boolean> {
      const [outcome] = await run(unknownScript, [keyOf(id), lockOf(id)], [summary, iso()]);
      return outcome === 'ok';
    },

    async extendLock(id: string, owner: string, ttlMs: number): Promise<boolean> {
      const [outcome] = await run(lockScript, [lockOf(id)], [owner, ttlMs, 'extend']);
      return outcome === 'ok';
    },

    async releaseLock(id: string, owner: string): Promise<boolean> {
      const [outcome] = await run(lockScript, [lockOf(id)], [owner, 0, 'release']);
      return outcome === 'ok';
    },

    /** Records the verdict unless one exists; answers the verdict that stands. */
    async recordVerification(id: string, verdict: { ok: boolean; summary: string; evidence: string[] }): Promise<StoredVerdict | undefined> {
      const [outcome, stored] = await run(verdictScript, [keyOf(id)], [JSON.stringify({ ...verdict, at: iso() })]);
      return outcome === 'ok' && stored ? StoredVerdict.parse(JSON.parse(stored)) : undefined;
    },

    markDone: async (id: string, step: Step): Promise<void> => {
      await redis.hset(keyOf(id), doneField(step), iso());
    },

    /** Marks a step done; true only for the caller that marked it first (at-most-once steps). */
    claimStep: async (id: string, step: Step): Promise<boolean> => (await redis.hsetnx(keyOf(id), doneField(step), iso())) === 1,

    /** Proposals whose consequences may still be owed (see approveScript), oldest first. */
    listActive: (): Promise<string[]> => redis.zrange(activeKey, '0', '499'),

    /** Nothing more is owed for this proposal: the resume sweep stops looking at it. */
    settle: async (id: string): Promise<void> => {
      await redis.zrem(activeKey, id);
    },
  };
}
