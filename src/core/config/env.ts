import * as z from 'zod';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const csv = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  );

/** What a process runs (contract: `DECKHAND_ROLES`). */
export const roleNames = ['web', 'worker'] as const;
export interface Roles {
  /** HTTP: webhooks, Slack (HTTP or Socket Mode); never a worker. */
  web: boolean;
  /** Queues' workers and every feature's background work (sweeps, the cluster watch). */
  worker: boolean;
}

/** `web`, `worker` or both, comma-separated; default both. Unknown or empty names are refused. */
const rolesSchema = z
  .string()
  .optional()
  .transform((v, ctx): Roles => {
    const names = (v?.trim() ? v : 'web,worker').split(',').map((s) => s.trim());
    const unknown = names.filter((n) => !(roleNames as readonly string[]).includes(n));
    if (unknown.length > 0 || names.length === 0) {
      ctx.addIssue({ code: 'custom', message: `must be web, worker or web,worker (got ${JSON.stringify(v)})` });
      return z.NEVER;
    }
    return { web: names.includes('web'), worker: names.includes('worker') };
  });

/**
 * Environment variables (contract: "Configuration"). Parsed once at start-up. */
export const Env = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
    SLACK_BOT_TOKEN: z.string({ error: 'SLACK_BOT_TOKEN is required' }).startsWith('xoxb-', { error: 'SLACK_BOT_TOKEN must start with xoxb-' }),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_APP_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith('xapp-'), {
      error: 'SLACK_APP_TOKEN must start with xapp-',
    }),
    SLACK_API_URL: z.url().default('https://slack.com/api/'),
    ANTHROPIC_API_KEY: optionalString,
    ANTHROPIC_BASE_URL: optionalString,
    ANTHROPIC_MODEL: optionalString,
    KUBECONFIG: optionalString,
    KUBE_CONTEXT: optionalString,
    PAGERDUTY_WEBHOOK_SECRETS: csv,
    ALERTMANAGER_TOKEN: optionalString,
    DECKHAND_CONFIG: optionalString,
    ALERT_CHANNEL: optionalString,
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DECKHAND_ROLES: rolesSchema,
  });
export type Env = z.infer<typeof Env>;

/** The newest Sonnet the installed SDK lists (libraries.md §2). */
export const defaultAnthropicModel = 'claude-sonnet-5-5';
