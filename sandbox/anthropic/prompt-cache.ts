import { createHash } from 'node:crypto';
import { estimateTokens } from './tokens.js';

/**
 * The fake's model of Anthropic prompt caching. The prompt is tools, system, then the
 * message content blocks, in that order; a `cache_control` breakpoint caches the prefix up to
 * and including its block. The tools + system head counts as one block; a breakpoint anywhere
 * in it marks the whole head. A breakpoint reads the longest cached prefix that ends at its
 * block or at one of the 20 block boundaries before it (the API's lookback), and writes the
 * rest up to itself. The cache key ignores the `cache_control` markers themselves, so a
 * breakpoint that moved on to a newer block still finds the prefix its old place cached.
 * At most 4 breakpoints per request, as the API allows. A cached prefix lives `ttlMs` (the
 * API's 5 minutes by default) after it was last written or read.
 */

export const maxBreakpoints = 4;
const lookbackBlocks = 20;

export interface CacheBody {
  tools?: unknown;
  system?: unknown;
  messages?: { role: string; content: unknown }[];
}

export interface CacheUsage {
  /** Every input token of the request. */
  totalTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  /** Input after the last breakpoint (the API's `input_tokens`). */
  uncachedTokens: number;
}

/** Tokens of a text or a JSON value, by the tokenizer estimate in tokens.ts. */
export function countTokens(value: unknown): number {
  return estimateTokens(typeof value === 'string' ? value : JSON.stringify(value ?? ''));
}

/** Cached prefixes, each alive `ttlMs` after its last write or read. */
export interface PromptCache {
  has(key: string): boolean;
  add(key: string): void;
}

export const defaultCacheTtlMs = 5 * 60_000;

export function createPromptCache(options: { ttlMs?: number; now?: () => number } = {}): PromptCache {
  const ttlMs = options.ttlMs ?? defaultCacheTtlMs;
  const now = options.now ?? Date.now;
  const expiries = new Map<string, number>();
  return {
    has(key) {
      const expires = expiries.get(key);
      if (expires === undefined) return false;
      if (expires <= now()) {
        expiries.delete(key);
        return false;
      }
      expiries.set(key, now() + ttlMs); // a read refreshes the entry, as the API's does
      return true;
    },
    add(key) {
      expiries.set(key, now() + ttlMs);
    },
  };
}

/** Usage of one request against `cached` (prefix keys); adds the prefixes it writes. */
export function applyPromptCache(body: CacheBody, cached: PromptCache): CacheUsage {
  const head = JSON.stringify([body.tools ?? null, body.system ?? null]);
  const headTokens = countTokens(head);
  const headKey = JSON.stringify(withoutCacheControl([body.tools ?? null, body.system ?? null]));
  const messages = body.messages ?? [];

  // Boundary 0 ends the head; boundary k ends the k-th message block.
  const boundaries: { marked: boolean; prefix: () => unknown[] }[] = [{ marked: head.includes('"cache_control"'), prefix: () => [] }];
  for (const [i, message] of messages.entries()) {
    const blocks = Array.isArray(message.content) ? (message.content as unknown[]) : [message.content];
    for (let j = 0; j < blocks.length; j++) {
      const content = Array.isArray(message.content) ? blocks.slice(0, j + 1) : message.content;
      boundaries.push({ marked: hasMarker(blocks[j]), prefix: () => [...messages.slice(0, i), { role: message.role, content }] });
    }
  }
  const memo = new Map<number, { key: string; tokens: number }>();
  const at = (b: number) => {
    let entry = memo.get(b);
    if (!entry) {
      const stripped = withoutCacheControl(boundaries[b]!.prefix());
      entry = { key: hash(`${headKey}\n${JSON.stringify(stripped)}`), tokens: headTokens + (b === 0 ? 0 : countTokens(stripped)) };
      memo.set(b, entry);
    }
    return entry;
  };

  const marked = boundaries.flatMap((b, i) => (b.marked ? [i] : []));
  let read = 0;
  for (const bp of marked) {
    for (let b = bp; b >= Math.max(0, bp - lookbackBlocks); b--) {
      if (!cached.has(at(b).key)) continue;
      read = Math.max(read, at(b).tokens);
      break;
    }
  }
  const last = marked.at(-1);
  const lastTokens = last === undefined ? 0 : at(last).tokens;
  for (const bp of marked) cached.add(at(bp).key);
  const totalTokens = headTokens + countTokens(withoutCacheControl(messages));
  return {
    totalTokens,
    cacheReadTokens: read,
    cacheCreationTokens: Math.max(0, lastTokens - read),
    uncachedTokens: Math.max(0, totalTokens - Math.max(lastTokens, read)),
  };
}

/** cache_control markers in the request: every one in tools and system, and on message blocks. */
export function countBreakpoints(body: CacheBody): number {
  const head = JSON.stringify([body.tools ?? null, body.system ?? null]).match(/"cache_control"/g)?.length ?? 0;
  const blocks = (body.messages ?? []).flatMap((m) => (Array.isArray(m.content) ? (m.content as unknown[]) : []));
  return head + blocks.filter(hasMarker).length;
}

function hasMarker(block: unknown): boolean {
  return typeof block === 'object' && block !== null && (block as { cache_control?: unknown }).cache_control != null;
}

function withoutCacheControl(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutCacheControl);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (k === 'cache_control' ? [] : [[k, withoutCacheControl(v)]])));
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
