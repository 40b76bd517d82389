import type { Redis } from 'ioredis';
import * as z from 'zod';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { redactEnvValue, redactText } from '../shared/redact.js';

export const auditEventTypes = [
  'proposal',
  'approval',
  'rejection',
  'refusal',
  'expiry',
  'dry_run',
  'execution',
  'verification',
  'mode_change',
  'pause',
  'resume',
  'breaker',
  'incident_status',
] as const;
export const AuditEventType = z.enum(auditEventTypes);
export type AuditEventType = z.infer<typeof AuditEventType>;

export const AuditEntryInput = z.object({
  type: AuditEventType,
  /** Slack user id, or 'deckhand' / 'deckhand:yolo' for the bot itself. */
  actor: z.string().optional(),
  channel: z.string().optional(),
  incidentId: z.string().optional(),
  proposalId: z.string().optional(),
  cluster: z.string().optional(),
  /** One human-readable line: what happened. */
  summary: z.string(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export type AuditEntryInput = z.input<typeof AuditEntryInput>;

export const AuditEntry = AuditEntryInput.extend({ id: z.string(), at: z.string() });
export type AuditEntry = z.infer<typeof AuditEntry>;

export interface AuditLogDeps {
  redis: Redis;
  /** Redis key of the stream, e.g. 'deckhand:audit'. */
  key: string;
  clock: Clock;
  log: Logger;
  /** config audit.maxEntries */
  maxEntries: number;
  /** config audit.retentionDays */
  retentionDays: number;
}

export interface AuditLog {
  append(entry: AuditEntryInput): Promise<AuditEntry>;
  /**
   * Appends unless an entry with this `onceKey` was appended before (within the retention):
   * a retried job step audits once. The check and the append are one atomic step in Redis.
   * Undefined when it was a duplicate.
   */
  appendOnce(onceKey: string, entry: AuditEntryInput): Promise<AuditEntry | undefined>;
  /** Newest first; with incidentId, only that incident's entries. */
  recent(options: { incidentId?: string; limit: number }): Promise<AuditEntry[]>;
}

/**
 * The audit trail: an append-only Redis stream, trimmed by count (MAXLEN ~) and age (MINID),
 * mirrored to the structured log. Every string passes through redactText before it is stored
 * or logged, so a secret in a summary (an error message quoting a log line) never persists.
 * Stream ids come from Redis time; retention compares them with the injected clock.
 */
export function createAuditLog(deps: AuditLogDeps): AuditLog {
  const retentionMs = deps.retentionDays * 24 * 3600_000;
  const log = deps.log.child({ component: 'audit' });

  function prepare(input: AuditEntryInput) {
    const entry = redactEntry(AuditEntryInput.parse(input));
    const at = new Date(deps.clock()).toISOString();
    const minId = `${Math.max(0, deps.clock() - retentionMs)}-0`;
    return { entry, at, minId, body: JSON.stringify({ ...entry, at }) };
  }

  return {
    async append(input) {
      const { entry, at, minId, body } = prepare(input);
      const [trimmed, added] = (await deps.redis
        .multi()
        .xtrim(deps.key, 'MINID', minId)
        .xadd(deps.key, 'MAXLEN', '~', String(deps.maxEntries), '*', 'entry', body)
        .exec()) ?? [];
      if (trimmed?.[0] || added?.[0]) throw added?.[0] ?? trimmed?.[0] ?? new Error('audit append failed');
      const id = z.string().parse(added?.[1]);
      log.info({ audit: { ...entry, at, id } }, 'audit');
      return { ...entry, at, id };
    },

    async appendOnce(onceKey, input) {
      const { entry, at, minId, body } = prepare(input);
      const reply = await deps.redis.eval(appendOnceScript, 2, deps.key, `${deps.key}:once:${onceKey}`, minId, String(deps.maxEntries), body, String(Math.max(retentionMs, 3600_000)));
      const [outcome, id] = z.tuple([z.enum(['added', 'duplicate']), z.string()]).parse(reply);
      if (outcome === 'duplicate') return undefined;
      log.info({ audit: { ...entry, at, id } }, 'audit');
      return { ...entry, at, id };
    },

    async recent({ incidentId, limit }) {
      const out: AuditEntry[] = [];
      let end = '+';
      // Bounded scan backwards: /k8s audit wants the last few entries, not a full export.
      for (let page = 0; page < 20 && out.length < limit; page++) {
        const rows = await deps.redis.xrevrange(deps.key, end, '-', 'COUNT', 500);
        if (rows.length === 0) break;
        for (const [id, fields] of rows) {
          const entry = parseRow(id, fields);
          if (entry && (incidentId === undefined || entry.incidentId === incidentId)) out.push(entry);
          if (out.length >= limit) break;
        }
        const last = rows[rows.length - 1];
        if (!last || rows.length < 500) break;
        end = `(${last[0]}`;
      }
      return out;
    },
  };
}

/** KEYS: stream, once-marker. ARGV: minId, maxEntries, entry json, retentionMs. The marker keeps the entry's id. */
const appendOnceScript = `
local earlier = redis.call('GET', KEYS[2])
if earlier then return {'duplicate', earlier} end
redis.call('XTRIM', KEYS[1], 'MINID', ARGV[1])
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'entry', ARGV[3])
redis.call('SET', KEYS[2], id, 'PX', ARGV[4])
return {'added', id}
`;

function parseRow(id: string, fields: string[]): AuditEntry | undefined {
  const index = fields.indexOf('entry');
  const raw = index >= 0 ? fields[index + 1] : undefined;
  if (raw === undefined) return undefined;
  const parsed = AuditEntry.safeParse({ ...(JSON.parse(raw) as object), id });
  return parsed.success ? parsed.data : undefined;
}

function redactEntry(entry: z.infer<typeof AuditEntryInput>): z.infer<typeof AuditEntryInput> {
  const details = entry.details
    ? Object.fromEntries(Object.entries(entry.details).map(([k, v]) => [k, typeof v === 'string' ? redactEnvValue(k, v) : v]))
    : undefined;
  return { ...entry, summary: redactText(entry.summary), ...(details ? { details } : {}) };
}
