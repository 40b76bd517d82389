// Types for the browser module beside it, so Node tests can import it.
import type { MentionContext } from './mrkdwn.js';
export function renderBlocks(blocks: unknown[], ctx: MentionContext, ref: { channel: string; ts: string }): string;
export function renderAttachments(attachments: unknown[], ctx: MentionContext, ref: { channel: string; ts: string }): string;
