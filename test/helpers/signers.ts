import { createHmac } from 'node:crypto';
import { signSlackRequest } from '../../sandbox/slack/index.js';

/** `X-PagerDuty-Signature` for a raw body: one `v1=` entry per secret (as during a rotation). */
export function signPagerDuty(rawBody: string | Buffer, secrets: string | string[]): string {
  const list = Array.isArray(secrets) ? secrets : [secrets];
  return list.map((secret) => `v1=${createHmac('sha256', secret).update(rawBody).digest('hex')}`).join(',');
}

/** Slack's `X-Slack-Signature` / timestamp headers (the sandbox's signer: one implementation). */
export function signSlack(secret: string, rawBody: string, ts?: number): Record<string, string> {
  return { ...signSlackRequest(secret, rawBody, ts) };
}

/** Slack's form encoding of a slash command or `payload=` interaction body. */
export function slackForm(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}
