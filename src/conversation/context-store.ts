import type { Redis } from 'ioredis';
import * as z from 'zod';

/**
 * The memory of one Slack thread: which incident it is about, what analysis found, what was
 * proposed and decided, and what was asked and answered. It lives in Redis so it survives a
 * restart and is shared by every process. It is bounded by construction: each entry is
 * truncated when written, the last `maxTurns` turns are kept verbatim, older turns move to a
 * short "folded" list (shown as one summary line) and events are trimmed to the newest
 * `maxEvents`. Rendering applies a final byte cap.
 */

export const ThreadRef = z.object({ channel: z.string().min(1), threadTs: z.string().min(1) });
export type ThreadRef = z.infer<typeof ThreadRef>;

export const contextEventKinds = ['incident', 'finding', 'proposal', 'decision', 'execution', 'verification', 'note'] as const;
export const ContextEvent = z.object({
  kind: z.enum(contextEventKinds),
  /** One or two sentences; truncated to `maxEventBytes` on write. */
  summary: z.string(),
  /** Ids this event is about, e.g. { proposalId, incidentId }. */
  refs: z.record(z.string(), z.string()).default({}),
  at: z.string(),
});
export type ContextEvent = z.infer<typeof ContextEvent>;
export type ContextEventInput = Omit<ContextEvent, 'at' | 'refs'> & { refs?: Record<string, string>; at?: string };

export const Turn = z.object({
  role: z.enum(['user', 'assistant']),
  text: z.string(),
  /** Slack user id for user turns. */
  user: z.string().optional(),
  at: z.string(),
});
export type Turn = z.infer<typeof Turn>;

const Meta = z.object({
  incidentId: z.string().optional(),
  cluster: z.string().optional(),
  namespace: z.string().optional(),
  origin: z.enum(['ask', 'mention']).optional(),
  subject: z.string().optional(),
  folded: z.coerce.number().int().default(0),
});

export interface ThreadContext {
  thread: ThreadRef;
  incidentId: string | undefined;
  cluster: string | undefined;
  namespace: string | undefined;
  /**
   * 'ask' for threads opened by `/k8s ask`, 'mention' for threads Deckhand's answer to a
   * top-level @mention started: follow-ups there are answered like in incidents.
   */
  origin: 'ask' | 'mention' | undefined;
  /** What an ask thread is about when it named one workload or pod (`Deployment/cart`): follow-ups mean it. */
  subject: string | undefined;
  events: ContextEvent[];
  /** Most recent turns, oldest first, verbatim (up to the per-turn cap). */
  turns: Turn[];
  /** Turns that were folded out of `turns`, counted since the thread began. */
  foldedCount: number;
  /** The newest folded turns (oldest first), for the summary line. */
  folded: Turn[];
}

export interface ContextLimits {
  maxTurns: number;
  maxFolded: number;
  maxEvents: number;
  maxTurnBytes: number;
  maxEventBytes: number;
  ttlSeconds: number;
}

export const defaultContextLimits: ContextLimits = {
  maxTurns: 8,
  maxFolded: 12,
  maxEvents: 40,
  maxTurnBytes: 2_000,
  maxEventBytes: 400,
  ttlSeconds: 30 * 24 * 3600,
};

export interface ContextStoreDeps {
  redis: Redis;
  /** Key prefix, e.g. `deckhand`; tests pass a unique one. */
  keyPrefix: string;
  clock?: () => number;
  limits?: Partial<ContextLimits>;
}

export interface ContextStore {
  get(thread: ThreadRef): Promise<ThreadContext>;
  /** Ties a thread to its incident (and the cluster/namespace questions default to). */
  linkIncident(thread: ThreadRef, link: { incidentId?: string; cluster?: string; namespace?: string; origin?: 'ask' | 'mention'; subject?: string }): Promise<void>;
  /** Whether plain replies in this thread are questions for Deckhand (incident or `/k8s ask` thread). */
  isConversationThread(thread: ThreadRef): Promise<boolean>;
  appendEvent(thread: ThreadRef, event: ContextEventInput): Promise<void>;
  /**
   * Records one question and its answer. `exchangeId` (the question's message ts) makes a
   * retried job record the exchange once.
   */
  appendExchange(thread: ThreadRef, exchange: { exchangeId: string; question: Turn; answer: Turn }): Promise<void>;
}

// RPUSH the turns; move overflow to the folded list; trim; count folded; refresh TTLs.
// Atomic, so concurrent writers (two workers) never fold a turn twice or lose one.
const appendTurnsScript = `
local seen = redis.call('SADD', KEYS[4], ARGV[1])
if seen == 0 then return 0 end
local max = tonumber(ARGV[2])
local n = 0
for i = 5, #ARGV do n = redis.call('RPUSH', KEYS[1], ARGV[i]) end
local moved = 0
while n > max do
  redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT')
  n = n - 1
  moved = moved + 1
end
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[3]), -1)
if moved > 0 then redis.call('HINCRBY', KEYS[3], 'folded', moved) end
for i = 1, 4 do redis.call('EXPIRE', KEYS[i], tonumber(ARGV[4])) end
return 1
`;

function keysOf(prefix: string, thread: ThreadRef) {
  const base = `${prefix}:conv:${thread.channel}:${thread.threadTs}`;
  return { turns: `${base}:turns`, folded: `${base}:folded`, meta: `${base}:meta`, seen: `${base}:seen`, events: `${base}:events` };
}

/** Cuts a string to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const marker = '…';
  const buf = Buffer.from(text, 'utf8').subarray(0, Math.max(0, maxBytes - Buffer.byteLength(marker)));
  // Decoding drops a trailing partial character as U+FFFD; strip it.
  return buf.toString('utf8').replace(/\uFFFD+$/u, '') + marker;
}

function parseList<T>(schema: z.ZodType<T>, raw: string[]): T[] {
  const out: T[] = [];
  for (const item of raw) {
    try {
      const parsed = schema.safeParse(JSON.parse(item));
      if (parsed.success) out.push(parsed.data);
    } catch {
      // A corrupt entry is skipped rather than breaking the whole conversation.
    }
  }
  return out;
}

export function createContextStore(deps: ContextStoreDeps): ContextStore {
  const limits = { ...defaultContextLimits, ...deps.limits };
  const clock = deps.clock ?? Date.now;
  const now = () => new Date(clock()).toISOString();

  return {
    async get(thread) {
      const k = keysOf(deps.keyPrefix, thread);
      const [meta, turns, folded, events] = await Promise.all([
        deps.redis.hgetall(k.meta),
        deps.redis.lrange(k.turns, 0, -1),
        deps.redis.lrange(k.folded, 0, -1),
        deps.redis.lrange(k.events, 0, -1),
      ]);
      const m = Meta.safeParse(meta);
      const md = m.success ? m.data : { folded: 0, incidentId: undefined, cluster: undefined, namespace: undefined, origin: undefined, subject: undefined };
      return {
        thread,
        incidentId: md.incidentId,
        cluster: md.cluster,
        namespace: md.namespace,
        origin: md.origin,
        subject: md.subject,
        events: parseList(ContextEvent, events),
        turns: parseList(Turn, turns),
        foldedCount: md.folded,
        folded: parseList(Turn, folded),
      };
    },

    async linkIncident(thread, link) {
      const k = keysOf(deps.keyPrefix, thread);
      const fields: Record<string, string> = {};
      if (link.incidentId) fields.incidentId = link.incidentId;
      if (link.cluster) fields.cluster = link.cluster;
      if (link.namespace) fields.namespace = link.namespace;
      if (link.origin) fields.origin = link.origin;
      if (link.subject) fields.subject = link.subject;
      if (Object.keys(fields).length === 0) return;
      await deps.redis.multi().hset(k.meta, fields).expire(k.meta, limits.ttlSeconds).exec();
    },

    async isConversationThread(thread) {
      const [incidentId, origin] = await deps.redis.hmget(keysOf(deps.keyPrefix, thread).meta, 'incidentId', 'origin');
      return Boolean(incidentId) || origin === 'ask' || origin === 'mention';
    },

    async appendEvent(thread, input) {
      const k = keysOf(deps.keyPrefix, thread);
      const event: ContextEvent = {
        kind: input.kind,
        summary: truncateBytes(input.summary, limits.maxEventBytes),
        refs: input.refs ?? {},
        at: input.at ?? now(),
      };
      await deps.redis
        .multi()
        .rpush(k.events, JSON.stringify(event))
        .ltrim(k.events, -limits.maxEvents, -1)
        .expire(k.events, limits.ttlSeconds)
        .exec();
    },

    async appendExchange(thread, exchange) {
      const k = keysOf(deps.keyPrefix, thread);
      const cap = (t: Turn): string => JSON.stringify({ ...t, text: truncateBytes(t.text, limits.maxTurnBytes) });
      await deps.redis.eval(
        appendTurnsScript,
        4,
        k.turns,
        k.folded,
        k.meta,
        k.seen,
        exchange.exchangeId,
        String(limits.maxTurns),
        String(limits.maxFolded),
        String(limits.ttlSeconds),
        cap(exchange.question),
        cap(exchange.answer),
      );
    },
  };
}

/**
 * For other features (analysis findings, proposals, decisions, executions): adds one event
 * to a thread's conversation context, and links the thread to its incident. It throws on a
 * Redis failure so a job can retry; callers that treat the context as best-effort catch.
 */
export async function appendContextEvent(
  deps: Pick<ContextStoreDeps, 'redis' | 'keyPrefix' | 'clock'>,
  input: { channel: string; threadTs: string; incidentId?: string; event: ContextEventInput },
): Promise<void> {
  const store = createContextStore(deps);
  const thread = { channel: input.channel, threadTs: input.threadTs };
  if (input.incidentId) await store.linkIncident(thread, { incidentId: input.incidentId });
  await store.appendEvent(thread, input.event);
}
