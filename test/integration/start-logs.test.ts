import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../sandbox/shared/wait.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe('start-up logs', () => {
  it('says once that Slack is unreachable and that each webhook without its secret is disabled', async () => {
    app = await startTestApp({ env: { SLACK_API_URL: 'http://127.0.0.1:9/api/', PAGERDUTY_WEBHOOK_SECRETS: undefined, ALERTMANAGER_TOKEN: undefined } });
    await waitFor(() => app!.logs().includes('slack unreachable at start-up'), { message: 'no start-up line about Slack' });
    const logs = app.logs();
    expect(count(logs, 'slack unreachable at start-up: auth.test failed')).toBe(1);
    expect(count(logs, 'webhook disabled')).toBe(2);
    expect(logs).toMatch(/"setting":"PAGERDUTY_WEBHOOK_SECRETS".*webhook disabled/);
    expect(logs).toMatch(/"setting":"ALERTMANAGER_TOKEN".*webhook disabled/);
  });

  it('says nothing of the kind when Slack answers and both webhooks are configured', async () => {
    app = await startTestApp();
    await waitFor(() => app!.slack.calls.some((c) => c.method === 'auth.test'), { message: 'no auth.test at start' });
    expect(app.logs()).not.toContain('slack unreachable');
    expect(app.logs()).not.toContain('webhook disabled');
  });
});
