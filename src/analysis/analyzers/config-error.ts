import type { Analyzer, Finding } from '../types.js';
import { containerProblems, describeEvent, eventsWhere, unique } from './helpers.js';
import { makeFinding, namespaceOf, subjectId } from './objects.js';

const name = 'config-error';

interface ConfigRef {
  kind: 'missing-configmap' | 'missing-secret' | 'missing-key';
  object: string;
  what: string;
  fix: string;
}

/** The kubelet's CreateContainerConfigError messages, to the object they name. */
export function parseConfigMessage(message: string, ns: string, keysOf: (cm: string) => string[] | undefined): ConfigRef | undefined {
  const missing = /(configmap|secret) "([^"]+)" not found/i.exec(message);
  if (missing) {
    const isSecret = missing[1]?.toLowerCase() === 'secret';
    const obj = missing[2] ?? '?';
    return {
      kind: isSecret ? 'missing-secret' : 'missing-configmap',
      object: `${isSecret ? 'Secret' : 'ConfigMap'}/${ns}/${obj}`,
      what: `${isSecret ? 'Secret' : 'ConfigMap'} ${obj} does not exist in ${ns}`,
      fix: isSecret
        ? `kubectl -n ${ns} create secret generic ${obj} --from-literal=<key>=<value> (with the keys the pod references), or fix the secretKeyRef / envFrom name.`
        : `kubectl -n ${ns} create configmap ${obj} --from-literal=<key>=<value> (with the keys the pod references), or fix the configMapKeyRef / envFrom name.`,
    };
  }
  const key = /couldn't find key (\S+) in (ConfigMap|Secret) ([^/\s]+)\/(\S+)/.exec(message);
  if (key) {
    const [, k = '?', kind = 'ConfigMap', kns = ns, obj = '?'] = key;
    const present = kind === 'ConfigMap' ? keysOf(obj) : undefined;
    return {
      kind: 'missing-key',
      object: `${kind}/${kns}/${obj}`,
      what: `${kind} ${obj} has no key ${k}${present ? ` (it has: ${present.join(', ') || 'no keys'})` : ''}`,
      fix:
        kind === 'ConfigMap'
          ? `kubectl -n ${kns} patch configmap ${obj} --type=merge -p '{"data":{"${k}":"<value>"}}' — or reference an existing key${present && present.length > 0 ? ` (${present.join(', ')})` : ''}.`
          : `Add key ${k} to Secret ${obj} (kubectl -n ${kns} edit secret ${obj}), or reference an existing key.`,
    };
  }
  return undefined;
}

/**
 * CreateContainerConfigError: a referenced ConfigMap / Secret (or a key in it) is missing.
 * Reported with the exact fix: no catalog action creates configuration, and Secrets are never read.
 */
export const analyzeConfigError: Analyzer = (evidence) => {
  const failing = containerProblems(evidence).filter((p) => p.waitingReason === 'CreateContainerConfigError' || p.waitingReason === 'CreateContainerError');
  if (failing.length === 0) return { findings: [], proposals: [] };
  const ns = namespaceOf(evidence);
  const keysOf = (cm: string) => evidence.objects?.configMaps.find((c) => c.name === cm)?.keys;
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const p of failing) {
    const message = p.waitingMessage ?? '';
    const ref = parseConfigMessage(message, ns, keysOf);
    const id = ref?.object ?? message;
    if (seen.has(id)) continue;
    seen.add(id);
    findings.push(
      makeFinding({
        analyzer: name,
        kind: ref?.kind ?? 'container-config-error',
        object: ref?.object ?? subjectId(evidence) ?? '?',
        title: `${subjectId(evidence) ?? '?'} cannot create its containers${ref ? `: ${ref.what}` : ''}`,
        summary: `Container ${p.status.name} cannot start (${p.waitingReason ?? ''}): ${message || 'no message'}.`,
        evidence: [`${p.waitingReason ?? ''}: ${message}`, `pods: ${unique(failing.map((f) => f.podName)).join(', ')}`, ...eventsWhere(evidence, (e) => e.reason === 'Failed' && /not found|couldn't find/i.test(e.message ?? ''), 2).map(describeEvent)],
        fix: ref?.fix ?? 'Fix the container configuration the message names.',
      }),
    );
  }
  return { findings, proposals: [] };
};
