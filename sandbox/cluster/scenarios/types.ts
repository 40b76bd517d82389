/* eslint-disable @typescript-eslint/no-explicit-any -- pod templates are wire JSON */

/** A pod template as stored in a workload's spec.template. */
export interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string>; [key: string]: unknown };
  spec: { containers: any[]; [key: string]: any };
}

export interface Revision {
  template: PodTemplate;
  /** Replicas this revision's ReplicaSet holds when the scenario starts. */
  replicas: number;
  ageMinutes: number;
}

export interface WorkloadSpec {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  namespace: string;
  name: string;
  replicas: number;
  /** Oldest first; the last one is the workload's current template. StatefulSets and DaemonSets use only the last. */
  revisions: Revision[];
}

export interface NodeSpec {
  name: string;
  ready: boolean;
  cpu: string;
  memory: string;
  internalIP: string;
  podCidr: string;
}

export interface Scenario {
  name: string;
  summary: string;
  nodes?: NodeSpec[];
  namespaces?: string[];
  workloads: WorkloadSpec[];
  /** Extra objects stored as they are (HPAs…), keyed by store table. */
  objects?: { resource: string; object: Record<string, any> }[];
}
