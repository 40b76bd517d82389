import type { Analyzer, Finding } from '../types.js';
import { containerProblems, describeEvent, eventsWhere, unique, workloadLabel } from './helpers.js';
import { decideUndo } from './undo.js';

const name = 'image-pull';

/** ImagePullBackOff / ErrImagePull: a recent image change is rolled back; otherwise reported. */
export const analyzeImagePull: Analyzer = (evidence, now) => {
  const failing = containerProblems(evidence).filter((p) => p.waitingReason === 'ImagePullBackOff' || p.waitingReason === 'ErrImagePull');
  const [first] = failing;
  if (!first) return { findings: [], proposals: [] };
  const image = first.pod.spec?.containers.find((c) => c.name === first.status.name)?.image ?? first.status.image;
  const lines = [
    `${failing.length} container(s) waiting with ${unique(failing.map((f) => f.waitingReason)).join('/')}: image ${image ?? '?'}`,
    ...eventsWhere(evidence, (e) => e.reason === 'Failed' && /pull/i.test(e.message ?? ''), 2).map(describeEvent),
  ];
  const undo = decideUndo(evidence, now, {
    analyzer: name,
    symptom: `Image ${image ?? '?'} cannot be pulled`,
    failingPods: unique(failing.map((f) => f.pod)),
    confidence: 0.85,
    relevantChange: /image/,
  });
  lines.push(...undo.evidence);
  const finding: Finding = {
    analyzer: name,
    title: `${workloadLabel(evidence)} cannot pull its image`,
    severity: 'critical',
    summary:
      `New pods cannot pull ${image ?? 'their image'} (${first.waitingReason ?? ''}). ` +
      (undo.proposal ? 'The image came with the latest rollout; the previous revision used an image that worked.' : 'Check the image name, tag and registry credentials.'),
    evidence: lines,
  };
  return { findings: [finding], proposals: undo.proposal ? [undo.proposal] : [] };
};
