import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../sandbox/shared/wait.js';
import { fixture, startTestApp, type TestApp } from '../helpers/app.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const posts = (a: TestApp) => a.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.ok);
const updates = (a: TestApp) => a.slack.calls.filter((c) => c.method === 'chat.update' && c.ok);

describe('Alertmanager intake', () => {
  it('opens one thread per group, listing every alert, and edits it when the group resolves', async () => {
    app = await startTestApp({
      yaml: 'routes:\n  - match: { source: alertmanager, labels: { namespace: shop }, severity: [critical] }\n    channel: CPLATFORM\n',
    });
    const firing = fixture('alertmanager/firing.json');
    const answers = await Promise.all([app.postAlertmanager(firing), app.postAlertmanager(firing)]);
    expect(answers.map((a) => a.status)).toEqual([202, 202]);
    await waitFor(() => posts(app!).length === 1);
    const [root] = app.slack.messages('CPLATFORM');
    const blocks = JSON.stringify(root!.blocks);
    expect(blocks).toContain('KubePodCrashLooping');
    expect(blocks).toContain('checkout-7d9f8b6c5d-x2k4j');
    expect(blocks).toContain('checkout-7d9f8b6c5d-q8zr2');
    expect(blocks).toContain('2 firing');

    expect((await app.postAlertmanager(fixture('alertmanager/resolved.json'))).status).toBe(202);
    await waitFor(() => updates(app!).length === 1, { message: 'resolve did not edit the root' });
    expect(app.slack.messages('CPLATFORM')[0]!.text).toContain('resolved');
    expect(posts(app)).toHaveLength(1);
  });

  it('shows how many alerts Alertmanager truncated', async () => {
    app = await startTestApp();
    await app.postAlertmanager(fixture('alertmanager/truncated.json'));
    await waitFor(() => app!.slack.messages('CINCIDENTS').length === 1);
    expect(JSON.stringify(app.slack.messages('CINCIDENTS')[0]!.blocks)).toContain('+3 truncated');
  });

  it('re-opens a resolved group in the same thread when it fires again', async () => {
    app = await startTestApp();
    const firing = fixture('alertmanager/firing.json');
    await app.postAlertmanager(firing);
    await waitFor(() => posts(app!).length === 1);
    await app.postAlertmanager(fixture('alertmanager/resolved.json'));
    await waitFor(() => updates(app!).length === 1);
    const again = structuredClone(firing);
    for (const alert of again.alerts) alert.startsAt = '2026-11-21T15:00:00.000Z';
    await app.postAlertmanager(again);
    await waitFor(() => updates(app!).length === 2);
    expect(posts(app)).toHaveLength(1);
    const incident = await waitFor(async () => {
      const stored = await app!.ctx.incidents.getByKey(`alertmanager:${firing.groupKey}`);
      return stored?.triggerCount === 2 ? stored : undefined;
    });
    expect(incident.status).toBe('triggered');
  });
});
