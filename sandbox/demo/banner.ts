import type { SentAlert } from './alerts.js';

export interface BannerInput {
  url: string;
  botUrl: string;
  kubeconfigPath: string;
  redis: { url: string; pid: number | undefined };
  analysis: 'claude' | 'built-in';
}

/** The line main.ts prints first and tests wait for: `Open the local Slack:  <url>`. */
export const urlLinePrefix = 'Open the local Slack:';

/** What `npm run demo` prints once everything runs: where to look and what to try. */
export function formatBanner(input: BannerInput): string {
  const redis = input.redis.pid === undefined ? `${input.redis.url} (REDIS_URL; this run's keys under their own prefix)` : `private redis-server, pid ${input.redis.pid}, ${input.redis.url}`;
  return [
    '',
    'Deckhand demo is running. Everything is local: nothing leaves this machine.',
    '',
    `  ${urlLinePrefix}  ${input.url}/`,
    `  Analysis:              ${input.analysis === 'claude' ? 'Claude (ANTHROPIC_API_KEY is set) plus the built-in analyzers' : 'built-in analyzers (set ANTHROPIC_API_KEY to add Claude)'}`,
    '',
    'Sample alerts, signed like the real ones:',
    '  #incidents  approval  PagerDuty: checkout high 5xx rate; Alertmanager: frontend ImagePullBackOff',
    '  #platform   yolo      Alertmanager: cart OOMKilled (the fix runs by itself)',
    '  #capacity   plan      Alertmanager: search Pending (proposal only, no buttons)',
    '',
    'Try:',
    '  1. In #incidents open the checkout thread ("N replies"): findings, then a proposal',
    '     with its risk tag, confidence and the exact kubectl command.',
    '  2. Pick "alice" in "Acting as" and click Approve. A rollback is high risk, so it needs',
    '     a second approver: switch to "carol" and approve too. Deckhand dry-runs, executes',
    '     and posts the verification in the thread. (bob is no approver: he is told why.)',
    '  3. Reply in the thread: "why is it crashing?" before the fix, "is it healthy now?" after.',
    '     Deckhand answers from the incident and the cluster.',
    '  4. Type `/k8s help` (or `/k8s status`, `/k8s ask what is wrong in shop?`) in a channel.',
    '',
    'Watch the cluster heal:',
    `  kubectl --kubeconfig ${input.kubeconfigPath} get pods -A`,
    '',
    `Redis: ${redis}`,
    `Bot:   ${input.botUrl}  (webhooks, /slack/events, /readyz, /metrics)`,
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

export function formatSentAlerts(sent: readonly SentAlert[]): string {
  return `${sent.map((a) => `  sent ${a.name} alert (${a.source}): HTTP ${a.status}`).join('\n')}\n`;
}
