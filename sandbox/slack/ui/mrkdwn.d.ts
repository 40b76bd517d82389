// Types for the browser module beside it, so Node tests can import it.
export interface MentionContext {
  userName(id: string): string | undefined;
  channelName(id: string): string | undefined;
}
export function emojiFor(name: string): string;
export function setEmojiFont(available: boolean): void;
export function escapeHtml(text: string): string;
export function renderMrkdwn(text: string, ctx: MentionContext): string;
export function renderPlain(text: string, withEmoji?: boolean): string;
