import { describe, expect, it } from 'vitest';
import { buildSeedMessage, maxEvidencePerFinding } from '../../../src/analysis/agent/prompt.js';
import type { Finding } from '../../../src/analysis/types.js';
import { evidenceOf } from '../analyzers/evidence.js';
import { incident } from '../helpers.js';

// The scheduler's wording (pkg/scheduler/framework: "0/%v nodes are available: %v.", noderesources' "Insufficient memory").
const unschedulable = 'PodScheduled=False Unschedulable: 0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 Insufficient memory.';

function finding(title: string, evidence: string[]): Finding {
  return { analyzer: 'test', title, severity: 'critical', summary: `${title}, because.`, evidence };
}

function seedOf(findings: Finding[]): string {
  return buildSeedMessage({
    incident: incident(),
    cluster: 'prod',
    evidence: evidenceOf({ workload: { ref: { kind: 'Deployment', namespace: 'shop', name: 'search' }, replicaSets: [], events: [] }, totalPods: 1 }),
    seed: { findings, proposals: [] },
    allowedNamespaces: ['shop'],
  });
}

describe('the investigation seed', () => {
  it('lists every finding with its evidence, one line each', () => {
    const text = seedOf([finding('Not enough memory', [unschedulable, 'container search: requests.memory 16Gi'])]);
    expect(text).toContain('Resolved workload: Deployment shop/search (1 pods).');
    expect(text).toContain('- [critical] Not enough memory: Not enough memory, because.');
    expect(text).toContain(`\n    ${unschedulable}\n    container search: requests.memory 16Gi\n`);
  });

  it('quotes an evidence line once: a later finding that shares it names it, shortened', () => {
    const text = seedOf([finding('Not enough memory', [unschedulable]), finding('Untolerated taint', [unschedulable, 'node node-3 taints: node.kubernetes.io/unreachable:NoSchedule'])]);
    expect(text.split(unschedulable)).toHaveLength(2);
    expect(text).toContain('- [critical] Untolerated taint: Untolerated taint, because.\n    PodScheduled=False Unschedulable: 0/3 no… (as above)\n    node node-3 taints:');
  });

  it(`quotes at most ${maxEvidencePerFinding} evidence lines of a finding`, () => {
    const text = seedOf([finding('Many', Array.from({ length: maxEvidencePerFinding + 2 }, (_, i) => `evidence line ${i}`))]);
    expect(text).toContain(`evidence line ${maxEvidencePerFinding - 1}`);
    expect(text).not.toContain(`evidence line ${maxEvidencePerFinding}`);
  });

  it('masks credentials an analyzer quoted from a log line', () => {
    const token = ['xoxb', '1234567890', '0987654321', 'AbCdEfGhIjKlMnOpQrStUvWx'].join('-');
    const text = seedOf([finding('Crash loop', [`level=error msg="slack post failed" token=${token}`])]);
    expect(text).not.toContain(token);
    expect(text).toContain('****');
  });
});
