import type { Analyzer } from '../types.js';
import { describeEvent, eventsWhere } from './helpers.js';
import { makeFinding, namespaceOf, objectId, podSpec, subjectId } from './objects.js';

const name = 'missing-pull-secret';

/**
 * The kubelet's `FailedToRetrieveImagePullSecret`: an imagePullSecrets entry names a Secret
 * that does not exist (Deckhand never reads Secrets; the kubelet's event says so).
 */
export const analyzeMissingPullSecret: Analyzer = (evidence) => {
  const events = eventsWhere(evidence, (e) => e.reason === 'FailedToRetrieveImagePullSecret' || /Unable to retrieve some image pull secrets/.test(e.message ?? ''), 2);
  const [event] = events;
  if (!event) return { findings: [], proposals: [] };
  const ns = namespaceOf(evidence);
  const listed = (podSpec(evidence)?.imagePullSecrets ?? []).map((s) => s.name ?? '');
  const secret = /image pull secrets \(([^)]+)\)/.exec(event.message ?? '')?.[1]?.split(/,\s*/)[0] ?? listed[0] ?? '?';
  return {
    findings: [
      makeFinding({
        analyzer: name,
        kind: 'missing-image-pull-secret',
        object: objectId('Secret', ns, secret),
        title: `Image pull secret ${secret} does not exist in ${ns}`,
        summary: `The pods of ${subjectId(evidence) ?? '?'} list imagePullSecrets ${secret}, which the kubelet cannot find; pulls from a private registry will be refused.`,
        evidence: [...events.map(describeEvent), `spec.imagePullSecrets: ${listed.join(', ') || 'none'}`],
        fix: `kubectl -n ${ns} create secret docker-registry ${secret} --docker-server=<registry> --docker-username=<user> --docker-password=<token> — or remove it from spec.template.spec.imagePullSecrets.`,
        severity: 'warning',
      }),
    ],
    proposals: [],
  };
};
