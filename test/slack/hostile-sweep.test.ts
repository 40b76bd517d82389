import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Proposal } from '../../src/decisions/actions/proposal.js';
import { buildDryRunMessage, buildExecutionMessage, buildStaleAtExecutionMessage, buildVerdictMessage, renderProposalMessage } from '../../src/decisions/messages.js';
import type { Incident } from '../../src/core/incident.js';
import * as answer from '../../src/conversation/blocks/answer.js';
import * as audit from '../../src/commands/blocks/audit.js';
import * as auditWords from '../../src/commands/blocks/audit-words.js';
import * as decision from '../../src/decisions/blocks/decision.js';
import * as approveAllBlocks from '../../src/decisions/blocks/approve-all.js';
import * as findings from '../../src/analysis/blocks/findings.js';
import * as help from '../../src/commands/blocks/help.js';
import * as incident from '../../src/intake/blocks/incident.js';
import { link, safe } from '../../src/slack/blocks/mrkdwn.js';
import * as proposal from '../../src/decisions/blocks/proposal.js';
import * as status from '../../src/commands/blocks/status.js';

// Planted credentials, built at run time so no scanner flags this file.
const secrets = [
  'hunter2planted',
  'xoxb-1234-abcd',
  'AKIA' + 'QWERTYUIOPASDFGH',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCY' + 'EXAMPLEKEY',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.' + 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV',
  'sk-ant-api03-' + 'plantedplantedplanted',
];
/** Everything an attacker can put into an alert, a log line, a question or model output. */
const hostile = [
  '<!channel> <!here> <!everyone> <!subteam^S0HOSTILE> <@U0HOSTILE> <#C0HOSTILE>',
  '<https://evil.example/phish|click here> <mailto:x@evil.example|mail> & *bold*',
  `password=${secrets[0]} token ${secrets[1]} AWS ${secrets[2]} aws_secret_access_key ${secrets[3]}`,
  `Authorization: Bearer ${secrets[4]} key ${secrets[5]}`,
].join(' ');
const hostileUrl = 'https://ok.example/x|x> <!here> <https://evil.example/|pwned';

/** What Deckhand itself may produce: these users, channels and link targets, nothing else. */
const ourUsers = new Set(['UALICE', 'UBOB']);
const ourChannels = new Set(['C0CHAN']);
const ourLinks = new Set(['https://prometheus.example/graph?g0.expr=up&amp;x=1']);

/** Every string in a message: fallback text and every text of every block. */
function stringsOf(message: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(message);
  return out;
}

/** Problems: raw specials other than our date tokens, foreign mentions or links, planted secrets. */
function problemsIn(value: unknown): string[] {
  const problems: string[] = [];
  for (const text of stringsOf(value)) {
    for (const m of text.matchAll(/<!([^>]*)>?/g)) if (!/^date\^\d+\^[^|]*\|[^<>|]+$/.test(m[1] ?? '')) problems.push(`special ${m[0]}`);
    for (const m of text.matchAll(/<@([^>]*)>?/g)) if (!ourUsers.has(m[1] ?? '')) problems.push(`mention ${m[0]}`);
    for (const m of text.matchAll(/<#([^>|]*)[^>]*>?/g)) if (!ourChannels.has(m[1] ?? '')) problems.push(`channel ${m[0]}`);
    for (const m of text.matchAll(/<((?:https?|mailto):[^|>]*)(?:\|([^>]*))?>?/g)) {
      if (!ourLinks.has(m[1] ?? '') || /click|pwned|mail/.test(m[2] ?? '')) problems.push(`link ${m[0]}`);
    }
    for (const s of secrets) if (text.includes(s)) problems.push(`secret ${s}`);
  }
  return problems;
}

const at = '2026-11-21T13:08:45.828Z';
const baseIncident: Incident = {
  id: hostile,
  key: 'alertmanager:g',
  source: 'alertmanager',
  externalId: 'g',
  title: hostile,
  severity: 'critical',
  status: 'triggered',
  labels: { summary: hostile },
  target: { cluster: hostile, namespace: hostile, deployment: hostile, pod: hostile, node: hostile },
  service: { id: 'P1', name: hostile },
  links: [
    { title: 'Prometheus', url: 'https://prometheus.example/graph?g0.expr=up&x=1' },
    { title: hostile, url: hostileUrl },
    { title: 'runbook', url: `javascript:alert(1)` },
    { title: 'console', url: `https://user:${secrets[0]}@console.example/` },
  ],
  members: [{ status: 'firing', name: hostile, summary: hostile, labels: { namespace: hostile, pod: hostile } }],
  truncatedAlerts: 0,
  createdAt: at,
  updatedAt: at,
};
const baseProposal: Proposal = {
  id: 'p1',
  incidentId: 'inc-1',
  channel: 'C0CHAN',
  cluster: hostile,
  action: { type: 'restart_pod', namespace: 'shop', pod: 'checkout-7d9f8b6c5-x2k4p' },
  risk: 'medium',
  riskReasons: [hostile],
  confidence: 0.9,
  rationale: hostile,
  origin: `analyzer:${hostile}`,
  createdAt: at,
  expiresAt: at,
};
const hostileFinding = { analyzer: 'x', title: hostile, severity: 'critical' as const, summary: hostile, evidence: [hostile, hostile.repeat(20)] };

/**
 * Every exported function of src/slack/blocks/*.ts that builds Slack text, called with
 * hostile input in every string it takes. A new exported builder fails the test below until
 * it is added here.
 */
const sweep: Record<string, () => unknown[]> = {
  'answer.buildAnswerMessages': () => [answer.buildAnswerMessages({ text: safe(hostile), footer: hostile })],
  'answer.buildAskRootMessage': () => [answer.buildAskRootMessage({ user: 'UALICE', question: hostile }), answer.buildAskRootMessage({ user: hostile, question: hostile })],
  'answer.buildAnswerErrorMessage': () => [answer.buildAnswerErrorMessage(hostile)],
  'answer.splitMrkdwn': () => [answer.splitMrkdwn(safe(hostile.repeat(200)))],
  'audit-words.auditDetailWords': () => [auditWords.auditDetailWords(hostile, new Set(['UALICE'])), auditWords.auditDetailWords(`refused: not_approver ${hostile}`, new Set())],
  'audit-words.auditActor': () => [auditWords.auditActor(hostile)],
  'audit.buildAuditMessage': () => [
    audit.buildAuditMessage({ entries: [{ at, actor: hostile, type: hostile, incidentId: hostile, detail: hostile }, { at, actor: 'UALICE', type: 'x' }], limit: 5 }),
    audit.buildAuditMessage({ entries: [], incidentId: hostile, limit: 5 }),
  ],
  'decision.buildProposalSummaryBlocks': () => [decision.buildProposalSummaryBlocks(baseProposal)],
  'decision.describeDecision': () => [
    decision.describeDecision({ kind: 'approved', approvers: [{ user: 'UALICE', at }, { user: hostile, at: hostile }], auto: false, next: hostile }),
    decision.describeDecision({ kind: 'rejected', by: hostile, at }),
  ],
  'decision.buildDecidedProposalBlocks': () => [decision.buildDecidedProposalBlocks(baseProposal, { kind: 'refused', at, explanation: hostile, offerReanalysis: true })],
  'approve-all.buildApproveAllMessage': () => [approveAllBlocks.buildApproveAllMessage({ incidentId: hostile, count: 3, high: 1 })],
  'decision.buildDecidedProposalMessage': () => [
    decision.buildDecidedProposalMessage(baseProposal, { kind: 'refused', at, explanation: hostile, offerReanalysis: false }),
    decision.buildDecidedProposalMessage(baseProposal, { kind: 'expired', at: hostile, why: 'ttl' }),
  ],
  'findings.buildFindingsBlocks': () => [findings.buildFindingsBlocks([hostileFinding], { aiText: hostile, notes: [hostile], rejected: [hostile] })],
  'findings.buildFindingsMessages': () => [
    findings.buildFindingsMessages(Array.from({ length: 12 }, () => hostileFinding), {
      aiText: hostile.repeat(30),
      notes: [hostile],
      rejected: [hostile],
      aiStatus: { state: 'unavailable', reason: hostile },
    }),
  ],
  'help.buildHelpMessage': () => [help.buildHelpMessage({ unknown: hostile, command: hostile })],
  'help.buildUsageMessage': () => [help.buildUsageMessage(hostile, hostile, hostile)],
  'help.buildErrorMessage': () => [help.buildErrorMessage(safe(hostile))],
  'incident.buildIncidentRootMessage': () => [
    incident.buildIncidentRootMessage(baseIncident),
    incident.buildIncidentRootMessage({ ...baseIncident, source: 'pagerduty', status: 'resolved', members: [] }),
  ],
  'incident.buildMinimalIncidentRootMessage': () => [incident.buildMinimalIncidentRootMessage(baseIncident)],
  'proposal.describeAction': () => [proposal.describeAction(baseProposal.action)],
  'proposal.buildProposalBlocks': () => [
    proposal.buildProposalBlocks(baseProposal, { mode: 'approval', kubectl: hostile }),
    proposal.buildProposalBlocks({ ...baseProposal, risk: 'forbidden' }, { mode: 'plan', kubectl: hostile }),
  ],
  'proposal.buildProposalMessage': () => [proposal.buildProposalMessage(baseProposal, { mode: 'yolo', kubectl: hostile })],
  'status.buildStatusMessage': () => [
    status.buildStatusMessage({
      channel: 'C0CHAN',
      mode: 'approval',
      modeSource: 'runtime',
      paused: { global: false, clusters: [hostile] },
      incidents: [{ id: hostile, title: hostile, severity: hostile, status: hostile, channel: hostile, threadTs: '1.2' }],
      pendingProposals: [{ id: hostile, summary: hostile, risk: hostile, incidentId: hostile }],
      breakers: [{ cluster: hostile, state: hostile, detail: hostile }],
    }),
    status.buildStatusMessage({ channel: hostile, mode: 'plan', modeSource: 'config', paused: 'unknown', incidents: 'unknown', pendingProposals: 'unknown', breakers: 'unknown' }),
  ],
  'status.buildModeMessage': () => [
    status.buildModeMessage({ channel: hostile, mode: 'yolo', changedBy: hostile, previous: 'plan' }),
    status.buildModeMessage({ channel: 'C0CHAN', mode: 'yolo', changedBy: 'UBOB' }),
  ],
  'status.buildPauseMessage': () => [status.buildPauseMessage({ paused: true, user: hostile, cluster: hostile })],
  'status.buildClustersMessage': () => [status.buildClustersMessage([{ name: hostile, ok: false, detail: hostile }])],
};

/** Exported functions of the blocks folders that build no Slack text of their own. */
const notBuilders = new Set(['text.escapeMrkdwn', 'text.truncate', 'audit-words.auditTypeWords', 'audit-words.isUserId']);

describe('every Slack block builder, fed hostile text', () => {
  it('is in the sweep (a new exported builder must be added to it)', async () => {
    // Each capability keeps its Slack blocks in its own blocks/ folder; slack/blocks holds the helpers.
    const exported: string[] = [];
    for (const folder of ['slack', 'intake', 'analysis', 'decisions', 'conversation', 'commands']) {
      const dir = new URL(`../../src/${folder}/blocks/`, import.meta.url);
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'mrkdwn.ts')) {
        const mod = (await import(new URL(file, dir).href)) as Record<string, unknown>;
        for (const [name, value] of Object.entries(mod)) if (typeof value === 'function') exported.push(`${file.replace(/\.ts$/, '')}.${name}`);
      }
    }
    expect(exported.length).toBeGreaterThan(15);
    expect(exported.filter((name) => !(name in sweep) && !notBuilders.has(name))).toEqual([]);
  });

  it.each(Object.keys(sweep))('%s: no raw mention, foreign link or planted secret', (name) => {
    const outputs = sweep[name]!();
    expect(stringsOf(outputs).join('').length).toBeGreaterThan(0);
    expect(problemsIn(outputs)).toEqual([]);
  });

  it('keeps what Deckhand itself means: our mentions, dates and a valid source link', () => {
    const root = incident.buildIncidentRootMessage(baseIncident);
    expect(JSON.stringify(root)).toContain('<https://prometheus.example/graph?g0.expr=up&amp;x=1|Prometheus>');
    expect(JSON.stringify(decision.describeDecision({ kind: 'rejected', by: 'UBOB', at }))).toContain('<@UBOB>');
    expect(JSON.stringify(proposal.buildProposalBlocks(baseProposal, { mode: 'approval', kubectl: 'k' }))).toMatch(/<!date\^\d+\^\{date_short_pretty\} at \{time\}\|/);
  });

  it('the checker itself catches each kind of leak', () => {
    expect(problemsIn({ text: '<!channel>' })).not.toEqual([]);
    expect(problemsIn({ text: '<@U0HOSTILE>' })).not.toEqual([]);
    expect(problemsIn({ text: '<https://evil.example/|x>' })).not.toEqual([]);
    expect(problemsIn({ text: `see ${secrets[1]}` })).not.toEqual([]);
    expect(problemsIn({ text: '&lt;!channel&gt; <@UALICE>' })).toEqual([]);
  });
});

describe('link', () => {
  it.each([
    ['a pipe and a mention in the URL', hostileUrl],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['whitespace', 'https://ok.example/a b'],
    ['a control character', 'https://ok.example/\u0007'],
    ['a credential in the URL', `https://u:${secrets[0]}@ok.example/`],
  ])('withholds a URL with %s, keeping the title as escaped text', (_name, url) => {
    const out = link(url, '<!here> title');
    expect(out).not.toContain('<');
    expect(out).toContain('&lt;!here&gt; title');
  });
});

describe('decision-loop messages (src/decisions/messages.ts)', () => {
  const failed = { ok: false as const, code: 'conflict', message: hostile, retryable: false };
  it.each([
    ['dry run', () => buildDryRunMessage(baseProposal, failed)],
    ['execution', () => buildExecutionMessage(baseProposal, failed, { auto: true, undo: true })],
    ['verdict', () => buildVerdictMessage(baseProposal, { ok: false, summary: hostile, evidence: [hostile] })],
    ['stale at execution', () => buildStaleAtExecutionMessage(baseProposal, hostile)],
    ['proposal with a note', () => renderProposalMessage(baseProposal, { buttons: true, note: 'yolo did not run it' })],
  ])('%s: no raw mention, foreign link or planted secret', (_name, build) => {
    expect(problemsIn(build())).toEqual([]);
  });
});

// Guard against the sweep silently covering nothing if the folder moves.
it('the blocks folders are where the sweep looks', () => {
  expect(readdirSync(new URL('../../src/intake/blocks/', import.meta.url))).toContain('incident.ts');
  expect(readdirSync(new URL('../../src/decisions/blocks/', import.meta.url))).toContain('proposal.ts');
});
