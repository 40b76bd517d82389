import type { CoreV1Event } from '@kubernetes/client-node';
import type { Analyzer } from '../types.js';
import { containerProblems, describeEvent, eventsWhere, unique, workloadLabel } from './helpers.js';
import { makeFinding, subjectId } from './objects.js';
import { decideUndo } from './undo.js';

const name = 'image-pull';

interface PullCause {
  kind: string;
  what: string;
  fix: (image: string) => string;
}

/** The container runtime's words, as the kubelet relays them in `Failed to pull image …`. */
function classify(text: string, image: string): PullCause {
  const host = /^([^/]+\.[^/]+|localhost(:\d+)?)\//.exec(image)?.[1] ?? 'docker.io';
  if (/no such host|server misbehaving|dial tcp: lookup/i.test(text)) {
    return { kind: 'registry-dns', what: `the registry host ${host} does not resolve (DNS: no such host)`, fix: (i) => `Fix the registry host in the image reference (${i}) — ${host} does not resolve from the nodes — or fix the nodes' DNS.` };
  }
  if (/pull access denied|unauthorized|authentication required|403 forbidden|401/i.test(text)) {
    return { kind: 'image-pull-auth', what: 'the registry refuses access (repository missing or credentials needed)', fix: (i) => `Check the repository name of ${i}; if it is private, add an image pull secret (kubectl create secret docker-registry …) and list it in spec.template.spec.imagePullSecrets.` };
  }
  if (/not found|manifest unknown|NotFound/i.test(text)) {
    return { kind: 'image-not-found', what: `the tag does not exist in the repository (not found)`, fix: (i) => `Set an image tag that exists: kubectl set image <workload> <container>=${i.replace(/:[^:/]+$/, ':<existing tag>')}.` };
  }
  if (/InvalidImageName|couldn't parse image|invalid reference format/i.test(text)) {
    return { kind: 'invalid-image-name', what: 'the image reference is not valid', fix: (i) => `Correct the image reference "${i}".` };
  }
  return { kind: 'image-pull', what: 'the image cannot be pulled', fix: (i) => `Check the image name, tag and registry credentials of ${i}.` };
}

/**
 * ImagePullBackOff / ErrImagePull / InvalidImageName, classified from the runtime's message
 * (tag not found, registry DNS, access denied). A recent image change is rolled back (the
 * previous template pulled fine); otherwise the fix is text.
 */
export const analyzeImagePull: Analyzer = (evidence, now) => {
  const failing = containerProblems(evidence).filter((p) => p.waitingReason === 'ImagePullBackOff' || p.waitingReason === 'ErrImagePull' || p.waitingReason === 'InvalidImageName');
  const [first] = failing;
  if (!first) return { findings: [], proposals: [] };
  const image = first.pod.spec?.containers.find((c) => c.name === first.status.name)?.image ?? first.status.image ?? '?';
  // The runtime's own error ("Failed to pull image …: … not found") says why; the kubelet's
  // "Error: ErrImagePull" / "Error: ImagePullBackOff" beside it only that it failed.
  const said = (e: CoreV1Event) => /^Failed to pull image/.test(e.message ?? '');
  const all = eventsWhere(evidence, (e) => e.reason === 'Failed' && /pull|image/i.test(e.message ?? ''), 10);
  const events = [...all.filter(said), ...all.filter((e) => !said(e))].slice(0, 2);
  const cause = classify([first.waitingMessage ?? '', ...events.map((e) => e.message ?? ''), first.waitingReason ?? ''].join('\n'), image);
  const lines = [
    `${failing.length} container(s) waiting with ${unique(failing.map((f) => f.waitingReason)).join('/')}: image ${image}`,
    first.waitingMessage ? `${first.waitingReason ?? ''}: ${first.waitingMessage}` : '',
    ...events.map(describeEvent),
  ];
  const undo = decideUndo(evidence, now, { analyzer: name, symptom: `Image ${image} cannot be pulled`, failingPods: unique(failing.map((f) => f.pod)), confidence: 0.85, relevantChange: /image/ });
  lines.push(...undo.evidence);
  const finding = makeFinding({
    analyzer: name,
    kind: cause.kind,
    object: subjectId(evidence) ?? '?',
    title: `${workloadLabel(evidence)} cannot pull its image`,
    summary: `New pods cannot pull ${image}: ${cause.what}. ` + (undo.proposal ? 'The image came with the latest rollout; the previous revision used an image that worked.' : ''),
    evidence: lines,
    ...(undo.proposal ? {} : { fix: cause.fix(image) }),
  });
  return { findings: [finding], proposals: undo.proposal ? [undo.proposal] : [] };
};
