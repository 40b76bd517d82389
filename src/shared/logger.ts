import { pino, stdSerializers, type Logger, type DestinationStream } from 'pino';
import { format } from 'node:util';
import { redactText } from './redact.js';

export type { Logger };

/**
 * Paths pino censors wherever they appear. Tokens and secrets must never reach logs;
 * this is the last line of defence, not the first (callers do not log them at all).
 */
export const redactedLogPaths = [
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers["x-pagerduty-signature"]',
  'headers["x-slack-signature"]',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'apiKey',
  '*.apiKey',
];

export interface LoggerOptions {
  level?: string;
  name?: string;
  destination?: DestinationStream;
}

/**
 * Every log line passes the masker: the message text (and its format arguments), every
 * string field at any depth, error messages and stacks, and child-logger bindings. Paths by
 * name (above) stay as the coarse net; this catches a token inside any text.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const base = {
    level: options.level ?? 'info',
    name: options.name ?? 'deckhand',
    redact: { paths: redactedLogPaths, censor: '[redacted]' },
    hooks: {
      // The message is formatted first (a secret may be a %s argument), then masked.
      logMethod(this: Logger, args: unknown[], method: (...args: unknown[]) => void) {
        const at = typeof args[0] === 'string' ? 0 : 1;
        const message = args[at];
        if (typeof message !== 'string') {
          method.apply(this, args);
          return;
        }
        const head = args.slice(0, at);
        method.apply(this, [...head, redactText(args.length > at + 1 ? format(message, ...args.slice(at + 1)) : message)]);
      },
    },
    formatters: {
      log: (object: Record<string, unknown>) => redactValue(object, 0) as Record<string, unknown>,
    },
  };
  const logger = options.destination ? pino(base, options.destination) : pino(base);
  return maskChildBindings(logger);
}

/**
 * pino formats a child's bindings without `formatters.bindings`, so `child` is wrapped: the
 * bindings are masked, and children inherit the wrapper (they are prototypes of the root).
 */
function maskChildBindings(logger: Logger): Logger {
  const child = Object.getPrototypeOf(logger) as { child: Logger['child'] };
  const original = child.child;
  Object.defineProperty(logger, 'child', {
    value: function (this: Logger, bindings: Record<string, unknown>, options?: Parameters<Logger['child']>[1]) {
      return original.call(this, redactValue(bindings, 0) as Record<string, unknown>, options);
    },
  });
  return logger;
}

/** Depth beyond which log data is not walked (it is cut, not logged unmasked). */
const maxLogDepth = 8;

/** A copy of log data with every string masked; errors become their serialised (masked) form. */
export function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= maxLogDepth) return '[too deep]';
  if (value instanceof Error) return redactValue({ ...stdSerializers.err(value) }, depth + 1);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, depth + 1)]));
}

/** A logger that discards everything, for tests and benchmarks. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
