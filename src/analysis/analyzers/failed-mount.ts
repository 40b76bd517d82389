import type { Analyzer, Finding } from '../types.js';
import { describeEvent, eventsWhere } from './helpers.js';
import { makeFinding, namespaceOf, podSpec, subjectId } from './objects.js';
import { parseConfigMessage } from './config-error.js';

const name = 'failed-mount';

/**
 * The kubelet's `FailedMount` Warnings: `MountVolume.SetUp failed for volume "x" : configmap
 * "y" not found`, or `Unable to attach or mount volumes: unmounted volumes=[…] … timed out
 * waiting for the condition`. Names the volume's source object; fix as text.
 */
export const analyzeFailedMount: Analyzer = (evidence) => {
  const events = eventsWhere(evidence, (e) => e.reason === 'FailedMount' || e.reason === 'FailedAttachVolume', 3);
  if (events.length === 0) return { findings: [], proposals: [] };
  const ns = namespaceOf(evidence);
  const volumes = podSpec(evidence)?.volumes ?? [];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const e of events) {
    const message = e.message ?? '';
    const volume = /for volume "([^"]+)"/.exec(message)?.[1] ?? /unmounted volumes=\[([^\]\s]+)/.exec(message)?.[1];
    const spec = volumes.find((v) => v.name === volume);
    const ref = parseConfigMessage(message, ns, (cm) => evidence.objects?.configMaps.find((c) => c.name === cm)?.keys);
    const claim = spec?.persistentVolumeClaim?.claimName;
    const object = ref?.object ?? (claim ? `PersistentVolumeClaim/${ns}/${claim}` : subjectId(evidence) ?? '?');
    if (seen.has(object)) continue;
    seen.add(object);
    findings.push(
      makeFinding({
        analyzer: name,
        kind: 'failed-mount',
        object,
        title: `${subjectId(evidence) ?? '?'} cannot mount volume ${volume ?? '?'}`,
        summary: `The kubelet cannot mount volume ${volume ?? '?'}${ref ? `: ${ref.what}` : claim ? ` (claim ${claim})` : ''}, so the pod stays in ContainerCreating.`,
        evidence: [describeEvent(e), spec ? `volume ${spec.name}: ${JSON.stringify(spec.configMap ?? spec.secret ?? spec.persistentVolumeClaim ?? {})}` : undefined],
        fix: ref?.fix ?? (claim ? `Check claim ${claim}: kubectl -n ${ns} describe pvc ${claim} (it must be Bound and attachable to the pod's node).` : 'Fix the volume source the event names.'),
      }),
    );
  }
  return { findings, proposals: [] };
};
