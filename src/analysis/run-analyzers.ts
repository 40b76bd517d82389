import type { Action } from '../decisions/actions/catalog.js';
import { builtinAnalyzers } from './analyzers/index.js';
import type { Analyzer, AnalyzerResult, Evidence, ProposedAction } from './types.js';

/**
 * Runs every analyzer over the evidence. An analyzer that throws is reported as a note-like
 * finding instead of failing the analysis: one bad pattern must not hide the others.
 */
export function runAnalyzers(evidence: Evidence, now: number, analyzers: readonly Analyzer[] = builtinAnalyzers): AnalyzerResult {
  const result: AnalyzerResult = { findings: [], proposals: [] };
  for (const analyze of analyzers) {
    try {
      const r = analyze(evidence, now);
      result.findings.push(...r.findings);
      result.proposals.push(...r.proposals);
    } catch (err) {
      result.findings.push({
        analyzer: analyze.name || 'analyzer',
        title: 'An analyzer failed',
        severity: 'info',
        summary: err instanceof Error ? err.message : String(err),
        evidence: [],
      });
    }
  }
  return { findings: result.findings, proposals: dedupeProposals(result.proposals) };
}

/** Canonical key of an action, independent of key order: same action, same key. */
export function actionKey(action: Action): string {
  const sort = (v: unknown): unknown =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .filter(([, x]) => x !== undefined)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, x]) => [k, sort(x)]),
        )
      : v;
  return JSON.stringify(sort(action));
}

/** One proposal per distinct action: the most confident one wins, in first-seen order. */
export function dedupeProposals(proposals: readonly ProposedAction[]): ProposedAction[] {
  const byKey = new Map<string, ProposedAction>();
  for (const p of proposals) {
    const key = actionKey(p.action);
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, p);
    else if (p.confidence > seen.confidence) byKey.set(key, p);
  }
  return [...byKey.values()];
}
