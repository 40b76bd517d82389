import { createHmac } from 'node:crypto';

export interface SlackSignatureHeaders {
  'x-slack-request-timestamp': string;
  'x-slack-signature': string;
}

/**
 * Signs a request body exactly like Slack: HMAC-SHA256 over `v0:<ts>:<rawBody>` with the
 * signing secret, hex digest, `v0=` prefix. `ts` is unix seconds (default: now).
 */
export function signSlackRequest(secret: string, body: string, ts: number = Math.floor(Date.now() / 1000)): SlackSignatureHeaders {
  const signature = createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': `v0=${signature}` };
}
