import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { gatherEvidence } from '../../src/analysis/gather.js';
import { runAnalyzers } from '../../src/analysis/run-analyzers.js';
import { createClusterReader } from '../../src/kube/read/cluster-reader.js';
import { startSandboxCluster, type SandboxCluster } from '../../sandbox/cluster/index.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import type { DiagnosisCase } from './case.js';
import { diagnosisCases } from './cases.js';
import { worldFor } from './world.js';

/**
 * The diagnosis table: every case builds its failure in a fresh sandbox through the API, as a
 * user would, then Deckhand's own reader (the least-privilege `sandbox` identity) gathers the
 * evidence and the built-in analyzers must name the kind, the root-cause object and the cure.
 */
let cluster: SandboxCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

async function diagnose(c: DiagnosisCase) {
  cluster = await startSandboxCluster({ scenarios: [], timeScale: 100 });
  await cluster.settle();
  const target = await c.build(await worldFor(cluster));
  await cluster.settle();
  const kc = new KubeConfig();
  kc.loadFromString(cluster.kubeconfigYaml());
  const reader = createClusterReader(kc, 'sandbox');
  let last = { findings: [], proposals: [] } as ReturnType<typeof runAnalyzers>;
  const found = () => last.findings.find((f) => f.kind === c.expect.kind && f.object === c.expect.object);
  // Controllers retry on their own clock: analyse until the finding shows (as an on-call would look again).
  await waitFor(
    async () => {
      last = runAnalyzers(await gatherEvidence(reader, target), Date.now());
      return found() !== undefined;
    },
    { timeoutMs: 30_000, intervalMs: 100, message: `no ${c.expect.kind} finding on ${c.expect.object}` },
  ).catch((err: unknown) => {
    throw new Error(`${String(err)}; findings: ${JSON.stringify(last.findings.map((f) => [f.kind, f.object, f.title]))}`);
  });
  return { finding: found()!, proposals: last.proposals };
}

describe('what Deckhand recognises without an LLM', () => {
  it.each(diagnosisCases.map((c) => [c.title, c] as const))('%s', async (_title, c) => {
    const { finding, proposals } = await diagnose(c);
    expect(finding.analyzer).toBe(c.expect.analyzer);
    // Every case's quoted evidence, where it names one; '' is contained in any text.
    expect([finding.summary, ...finding.evidence, finding.fix ?? ''].join('\n')).toContain(c.expect.says ?? '');
    const own = proposals.filter((p) => p.origin === `analyzer:${c.expect.analyzer}`);
    if (c.expect.proposal) {
      expect(own.map((p) => p.action)).toContainEqual(expect.objectContaining(c.expect.proposal));
    } else {
      expect(own).toEqual([]);
      expect(finding.fix).toBeTruthy();
    }
  }, 60_000);
});
