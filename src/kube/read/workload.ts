import type { V1DaemonSet, V1Deployment, V1StatefulSet } from '@kubernetes/client-node';
import type { ClusterReader, WorkloadRef } from '../reader.js';

export type Workload = V1Deployment | V1StatefulSet | V1DaemonSet;

/** The Deployment, StatefulSet or DaemonSet a reference names; undefined when it does not exist. */
export async function readWorkload(reader: ClusterReader, ref: WorkloadRef): Promise<Workload | undefined> {
  if (ref.kind === 'Deployment') return reader.getDeployment(ref.namespace, ref.name);
  if (ref.kind === 'StatefulSet') return reader.getStatefulSet(ref.namespace, ref.name);
  return reader.getDaemonSet(ref.namespace, ref.name);
}
