import type { AlertTarget } from '../core/incident.js';

const targetKeys = ['cluster', 'namespace', 'pod', 'deployment', 'statefulset', 'daemonset', 'node', 'container'] as const;

/** Picks the Kubernetes coordinates out of alert labels (kube-state-metrics naming). */
export function targetFromLabels(labels: Record<string, string>): AlertTarget {
  const target: AlertTarget = {};
  for (const key of targetKeys) {
    const value = labels[key];
    if (value !== undefined && value !== '') target[key] = value;
  }
  return target;
}
