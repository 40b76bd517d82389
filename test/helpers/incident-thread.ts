import type { SandboxMessage } from '../../sandbox/slack/index.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import { fixture, type TestApp } from './app.js';

/** A message's text and blocks as one string, to look for words and action ids in. */
export const textOf = (m: SandboxMessage): string => `${m.text} ${JSON.stringify(m.blocks ?? [])}`;

export interface AlertOptions {
  /** Alertmanager's groupKey: the same key is the same incident (firing, then resolved). */
  groupKey: string;
  /** Labels the alerts with this deployment (and container); default the fixture's (checkout). */
  deployment?: string;
  alertname?: string;
  status?: 'firing' | 'resolved';
}

/**
 * test/fixtures/alertmanager/firing.json about a workload rather than one pod (no `pod`
 * label), so analysis proposes a fix for the deployment.
 */
export function alertmanagerAlert(options: AlertOptions): unknown {
  const { groupKey, deployment, alertname, status = 'firing' } = options;
  const alert = fixture('alertmanager/firing.json');
  alert.groupKey = groupKey;
  alert.status = status;
  const extra = { ...(alertname ? { alertname } : {}), ...(deployment ? { deployment, container: deployment } : {}) };
  if (alertname) alert.groupLabels = { alertname };
  alert.commonLabels = { ...alert.commonLabels, ...extra };
  for (const a of alert.alerts) {
    delete a.labels.pod;
    a.status = status;
    a.labels = { ...a.labels, ...extra };
    if (status === 'resolved') a.endsAt = new Date().toISOString();
  }
  return alert;
}

/** The incident's thread root in `channel` (the first root whose text includes `includes`, if given). */
export function incidentRoot(app: TestApp, options: { channel?: string; includes?: string } = {}): Promise<SandboxMessage> {
  const { channel = 'CINCIDENTS', includes = '' } = options;
  return waitFor(() => app.slack.messages(channel).find((m) => m.text.includes(includes)), { message: `no thread root in ${channel}` });
}

/** Waits for a message in the thread of `root` whose text or blocks include `includes`. */
export function threadMessage(app: TestApp, root: SandboxMessage, includes: string, options: { channel?: string; timeoutMs?: number } = {}): Promise<SandboxMessage> {
  const { channel = 'CINCIDENTS', timeoutMs = 20_000 } = options;
  return waitFor(() => app.slack.thread(channel, root.ts).find((m) => textOf(m).includes(includes)), {
    timeoutMs,
    message: `no message containing ${includes} in the thread`,
  });
}
