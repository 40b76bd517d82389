import { describe, expect, it } from 'vitest';
import type { SweepReport, UnitVerdict } from '../../src/analysis/port.js';
import { detectYesNo, renderSweepAnswer, renderWorkloadVerdict, type YesNo } from '../../src/conversation/sweep-answer.js';

const now = Date.parse('2026-11-21T12:00:00Z');
const hours = (h: number) => now - h * 3_600_000;

function verdict(kind: UnitVerdict['ref']['kind'], name: string, health: UnitVerdict['health'], extra: Partial<UnitVerdict> = {}): UnitVerdict {
  return { ref: { kind, namespace: 'shop', name }, health, findings: [], proposals: [], examined: health !== 'healthy', ...extra };
}

function report(verdicts: UnitVerdict[], extra: Partial<SweepReport> = {}): SweepReport {
  return { cluster: 'lab', namespace: 'shop', verdicts, unexamined: 0, notes: [], at: now, ...extra };
}

const broken = [
  verdict('Deployment', 'checkout', 'failing', { state: '0/3 ready', since: hours(3), cause: 'is crash-looping — Container checkout exits with code 1 (Error).' }),
  verdict('Deployment', 'frontend', 'failing', { state: '0/2 ready', since: hours(0.5), cause: 'cannot pull its image — New pods cannot pull registry.example.com/shop/frontend:9.9.9.' }),
  verdict('Job', 'migrate', 'failing', { cause: 'BackoffLimitExceeded: Job has reached the specified backoff limit' }),
  verdict('Deployment', 'payments', 'degraded', { state: '2/3 ready', cause: 'rollout stuck' }),
];
const healthy = Array.from({ length: 14 }, (_, i) => verdict('Deployment', `svc-${String(i).padStart(2, '0')}`, 'healthy', { state: '1/1 ready' }));

describe('renderSweepAnswer', () => {
  it('puts the count of unhealthy workloads first, then one line each with state, age, cause and where to read more', () => {
    const text = renderSweepAnswer(report([...broken, ...healthy]), { now });
    const lines = text.split('\n');
    expect(lines[0]).toBe('*4 of 18 workloads in `shop` are unhealthy:*');
    expect(lines[1]).toBe(
      ':red_circle: *deployment/checkout* (0/3 ready, for 3h) — is crash-looping — Container checkout exits with code 1 (Error). · more: `/k8s ask about deployment/checkout -n shop`',
    );
    expect(lines[2]).toContain('(0/2 ready, for 30m)');
    expect(lines[3]).toContain('*job/migrate* — BackoffLimitExceeded');
    expect(lines[3]).toContain('`kubectl describe job/migrate -n shop`');
    expect(lines[4]).toMatch(/^:large_orange_circle: \*deployment\/payments\*/);
  });

  it('never truncates silently: the unhealthy beyond the lines are named, the healthy counted', () => {
    const text = renderSweepAnswer(report([...broken, ...healthy]), { now, maxLines: 2, maxHealthyNames: 3 });
    expect(text).toContain('_and 2 more unhealthy: job/migrate, deployment/payments_');
    expect(text).toContain('_and 14 more healthy: deployment/svc-00, deployment/svc-01, deployment/svc-02, and 11 others_');
    expect(text).not.toContain('svc-03');
  });

  it('says how many were judged from status alone, and what could not be read', () => {
    const text = renderSweepAnswer(report(broken, { unexamined: 2, notes: ['only the first 500 pods were read'] }), { now });
    expect(text).toContain('2 unhealthy workloads judged from status only');
    expect(text).toContain('only the first 500 pods were read');
  });

  it('answers a yes/no question with Yes or No first', () => {
    expect(renderSweepAnswer(report([...broken, ...healthy]), { now, yesNo: 'positive' }).split('\n')[0]).toBe('*No* — 4 of 18 workloads in `shop` are unhealthy:');
    expect(renderSweepAnswer(report([...broken, ...healthy]), { now, yesNo: 'negative' }).split('\n')[0]).toBe('*Yes* — 4 of 18 workloads in `shop` are unhealthy:');
    expect(renderSweepAnswer(report(healthy), { now, yesNo: 'positive' })).toBe('*Yes* — all 14 workloads in `shop` look healthy.');
  });

  it('gives no age for a time in the future of the wall clock, never a negative or 0s one', () => {
    const ahead = verdict('Deployment', 'cart', 'failing', { state: '0/1 ready', since: now + 4 * 3_600_000, cause: 'is OOMKilled' });
    const text = renderSweepAnswer(report([ahead]), { now });
    expect(text).toContain('*deployment/cart* (0/1 ready) — is OOMKilled');
    expect(text).not.toMatch(/for -|for 0s/);
  });

  it('escapes cluster text and names the namespace of each line in a cluster sweep', () => {
    const evil = verdict('Pod', 'x', 'failing', { cause: '<!channel> & <https://evil|click>', ref: { kind: 'Pod', namespace: 'billing', name: 'x' } });
    const { namespace: _, ...clusterWide } = report([evil]);
    const text = renderSweepAnswer(clusterWide, { now });
    expect(text.split('\n')[0]).toBe('*1 of 1 workload in cluster `lab` is unhealthy:*');
    expect(text).toContain('*pod/x* in `billing`');
    expect(text).toContain('&lt;!channel&gt; &amp; &lt;https://evil|click&gt;');
  });
});

describe('renderWorkloadVerdict', () => {
  it('says Yes or No first, then the state and the reason', () => {
    const failing = broken[0]!;
    expect(renderWorkloadVerdict(failing, { now, yesNo: 'positive' })).toBe(
      '*No* — *deployment/checkout* in `shop` is failing (0/3 ready, for 3h): is crash-looping — Container checkout exits with code 1 (Error).',
    );
    const ok = verdict('Deployment', 'api', 'healthy', { state: '2/2 ready', findings: [{ analyzer: 'hpa-at-max', title: 'HPA api is at its maximum (2/2 replicas)', severity: 'warning', summary: '', evidence: [] }] });
    expect(renderWorkloadVerdict(ok, { now, yesNo: 'positive' })).toBe('*Yes* — *deployment/api* in `shop` is healthy (2/2 ready).\n_Note:_ HPA api is at its maximum (2/2 replicas)');
  });
});

describe('detectYesNo', () => {
  const table: [string, YesNo | undefined][] = [
    ['is it healthy now?', 'positive'],
    ['Is checkout OK?', 'positive'],
    ['are the pods running again?', 'positive'],
    ['is it still broken?', 'negative'],
    ['are there any problems in shop?', 'negative'],
    ['anything broken in shop?', 'negative'],
    ['everything fine?', 'positive'],
    ['what is wrong in shop?', undefined],
    ['show me the logs', undefined],
    ['why is it crashing', undefined],
  ];
  it.each(table)('%j → %j', (question, expected) => {
    expect(detectYesNo(question)).toBe(expected);
  });
});
