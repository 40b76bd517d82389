import type { Analyzer } from '../types.js';
import { makeFinding, subjectId } from './objects.js';
import { reasonMatching, schedulingFailure } from './scheduling.js';

const name = 'pod-anti-affinity';

/**
 * `node(s) didn't match pod anti-affinity rules` / `didn't satisfy existing pods anti-affinity
 * rules`: more replicas than topology domains allow. Manual fix: more nodes, fewer replicas
 * or a preferred rule.
 */
export const analyzePodAntiAffinity: Analyzer = (evidence) => {
  const f = schedulingFailure(evidence);
  const hit = f && reasonMatching(f, /anti-affinity rules/)[0];
  if (!f || !hit) return { findings: [], proposals: [] };
  const terms = f.pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  const keys = [...new Set(terms.map((t) => t.topologyKey))];
  const domains = new Set(evidence.nodes.filter((n) => n.spec?.unschedulable !== true).map((n) => keys.map((k) => n.metadata?.labels?.[k] ?? '').join('/')));
  const object = subjectId(evidence) ?? '?';
  const replicas = evidence.workload?.deployment?.spec?.replicas ?? evidence.workload?.statefulSet?.spec?.replicas;
  const existing = /existing pods anti-affinity/.test(hit.text);
  return {
    findings: [
      makeFinding({
        analyzer: name,
        kind: 'pod-anti-affinity',
        object,
        title: `${object} cannot be scheduled: pod anti-affinity leaves no node`,
        summary: existing
          ? `Pods already running forbid this pod on ${hit.count} node(s) by their own required anti-affinity.`
          : `The required pod anti-affinity (one pod per ${keys.join(', ') || 'topology domain'}) allows ${domains.size} pod(s) here${replicas !== undefined ? `, but ${replicas} replicas are wanted` : ''}.`,
        evidence: [
          `PodScheduled=False Unschedulable: ${f.message}`,
          ...terms.map((t) => `requiredDuringSchedulingIgnoredDuringExecution: labelSelector ${JSON.stringify(t.labelSelector?.matchLabels ?? t.labelSelector ?? {})}, topologyKey ${t.topologyKey}`),
          `schedulable topology domains: ${domains.size}`,
        ],
        fix: `Add nodes (one per extra replica), or scale ${object} to ${domains.size} replicas, or make the rule preferredDuringSchedulingIgnoredDuringExecution.`,
      }),
    ],
    proposals: [],
  };
};
