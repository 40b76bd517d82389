import { AppError } from '../shared/errors.js';

/** Turns anything thrown into words a Slack user can act on (never a stack, never a secret). */
export function describeFailure(err: unknown): string {
  if (err instanceof AppError) {
    if (/not_in_channel|channel_not_found|is_archived/.test(err.message)) {
      return 'I cannot post in this channel. Invite me with `/invite @Deckhand` (or use a channel I am in) and try again.';
    }
    switch (err.code) {
      case 'rate_limited':
        return 'Slack or the cluster asked me to slow down; try again in a minute.';
      case 'unavailable':
      case 'timeout':
      case 'upstream':
        return `A service I depend on did not answer (${err.message}). Try again shortly.`;
      case 'forbidden':
        return `Not allowed: ${err.message}`;
      case 'not_found':
        return `Not found: ${err.message}`;
      case 'bad_request':
        return err.message;
      default:
        break;
    }
  }
  return 'Something went wrong on my side; the error is logged. Try again, or ask an operator to check the logs.';
}
