import { afterEach, describe, expect, it } from 'vitest';
import { startSlackSandbox, type SlackSandbox } from '../../sandbox/slack/index.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { uniquePrefix } from '../helpers/redis.js';

const apps: TestApp[] = [];
let slack: SlackSandbox | undefined;
afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop();
  await slack?.close();
  slack = undefined;
});

describe('Slack edits across processes', () => {
  it('a process started later applies an edit an earlier one never got confirmed', async () => {
    slack = await startSlackSandbox();
    const redisPrefix = uniquePrefix('resume');
    const first = await startTestApp({ slack, redisPrefix });
    apps.push(first);
    const { ts } = await first.ctx.slack.post({ channel: 'CINCIDENTS', message: { text: 'before' }, idempotencyKey: 'resume-root' });
    // Slack is down for longer than the edit's retries.
    slack.failNext({ method: 'chat.update', status: 503, times: 5 });
    await expect(first.ctx.slack.update({ channel: 'CINCIDENTS', ts, message: { text: 'after' } })).rejects.toMatchObject({ retryable: true });
    expect(slack.messages('CINCIDENTS')[0]!.text).toBe('before');
    await first.stop();
    apps.length = 0;

    // The next process (a restart, a second replica) applies it at start.
    apps.push(await startTestApp({ slack, redisPrefix }));
    await waitFor(() => slack!.messages('CINCIDENTS')[0]!.text === 'after', { message: 'the unconfirmed edit was never applied' });
  });
});
