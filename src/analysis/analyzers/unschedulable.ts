import type { Analyzer } from '../types.js';
import { describeEvent, eventsWhere } from './helpers.js';
import { makeFinding, subjectId } from './objects.js';
import { schedulingFailure } from './scheduling.js';

export { isUnschedulable } from './scheduling.js';

const name = 'unschedulable';

/** Reasons another analyzer explains (resources, affinity, taints, cordons, volumes). */
const explained = [
  /^Insufficient (cpu|memory)$/,
  /^Too many pods$/,
  /node affinity\/selector|didn't match node selector/,
  /had (untolerated )?taints? \{/,
  /anti-affinity rules/,
  /were unschedulable/,
  /PersistentVolumeClaim|persistentvolumeclaim|persistent volumes|volume node affinity/,
];

/**
 * Pending pods the scheduler cannot place for a reason no specific analyzer explains: the
 * scheduler's message is the finding. Reported only.
 */
export const analyzeUnschedulable: Analyzer = (evidence) => {
  const f = schedulingFailure(evidence);
  if (!f) return { findings: [], proposals: [] };
  const unexplained = f.reasons.filter((r) => !explained.some((re) => re.test(r.text)));
  if (f.reasons.length > 0 && unexplained.length === 0) return { findings: [], proposals: [] };
  const object = subjectId(evidence) ?? '?';
  return {
    findings: [
      makeFinding({
        analyzer: name,
        kind: 'unschedulable',
        object,
        title: `${object} cannot be scheduled`,
        summary: `${f.pods.length} pod(s) stay Pending: ${unexplained.map((r) => `${r.count} ${r.text}`).join(', ') || f.message || 'the scheduler gives no reason'}.`,
        evidence: [`PodScheduled=False Unschedulable: ${f.message}`, ...eventsWhere(evidence, (e) => e.reason === 'FailedScheduling', 1).map(describeEvent)],
        fix: 'Read the scheduler message above: each "N node(s) …" part is one filter that rejected N nodes.',
      }),
    ],
    proposals: [],
  };
};
