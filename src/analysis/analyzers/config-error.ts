import { redactText } from '../../shared/redact.js';
import type { Analyzer, Finding } from '../types.js';
import { containerProblems, describeEvent, eventsWhere, unique, workloadLabel } from './helpers.js';

const name = 'config-error';

/**
 * CreateContainerConfigError: a referenced ConfigMap / Secret (or a key in it) is missing.
 * Reported only: no catalog action creates configuration, and Secrets are never read.
 */
export const analyzeConfigError: Analyzer = (evidence) => {
  const failing = containerProblems(evidence).filter((p) => p.waitingReason === 'CreateContainerConfigError' || p.waitingReason === 'CreateContainerError');
  const [first] = failing;
  if (!first) return { findings: [], proposals: [] };
  const messages = unique(failing.map((f) => redactText(f.waitingMessage ?? 'no message')));
  const finding: Finding = {
    analyzer: name,
    title: `${workloadLabel(evidence)} cannot create its containers`,
    severity: 'critical',
    summary: `Container ${first.status.name} cannot start: ${messages[0] ?? ''}. Create the missing ConfigMap/Secret or key, or fix the reference; no automatic action is safe here.`,
    evidence: [
      ...messages.map((m) => `${first.waitingReason ?? ''}: ${m}`),
      ...eventsWhere(evidence, (e) => e.reason === 'Failed' && /not found|couldn't find/i.test(e.message ?? ''), 2).map(describeEvent),
    ],
  };
  return { findings: [finding], proposals: [] };
};
