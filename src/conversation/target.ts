import { targetOfIncident, type GatherTarget } from '../analysis/port.js';
import type { Incident } from '../core/incident.js';
import type { ClusterReader } from '../kube/reader.js';
import type { QuestionScope } from './scope.js';

export interface TargetInput {
  scope: QuestionScope;
  incident: Incident | undefined;
  /** What the thread is about when no incident is (an ask about one workload): `Deployment/cart`, `Pod/x`. */
  subject?: string | undefined;
  /** The namespace the thread or channel implies (ask scope, context, incident, channel default). */
  namespace: string | undefined;
  /** The channel's namespaces (deckhand.yaml); a place among them is a namespace without asking the cluster. */
  channelNamespaces: readonly string[];
  reader: ClusterReader | undefined;
}

/**
 * Where a question looks: a workload, pod or node it names replaces the incident's; "in the
 * cluster" drops the namespace (a cluster sweep); a bare place ("what is wrong in shop?") is a
 * namespace when the channel or the cluster knows one by that name, else a workload name to
 * search for. Otherwise the incident's target (or the ask thread's subject) in the thread's
 * namespace.
 */
export async function resolveTarget(input: TargetInput): Promise<GatherTarget> {
  const { scope, incident } = input;
  if (scope.everywhere) return {};
  if (scope.place !== undefined && (await isNamespace(scope.place, input))) return { namespace: scope.place };
  const target: GatherTarget = {
    ...(incident ? incidentTarget(incident) : subjectTarget(input.subject)),
    namespace: scope.namespace ?? input.namespace,
    ...(scope.workload ? workloadTarget(scope.workload) : {}),
    ...(scope.pod ? { ...noObject, pod: scope.pod } : {}),
    ...(scope.node ? { ...noObject, node: scope.node } : {}),
  };
  if (scope.place !== undefined) return { ...target, ...noObject, deployment: undefined, statefulset: undefined, daemonset: undefined, pod: undefined, names: [scope.place] };
  return target;
}

async function isNamespace(place: string, input: TargetInput): Promise<boolean> {
  if (input.channelNamespaces.includes(place)) return true;
  if (!input.reader) return false;
  try {
    return (await input.reader.listNamespaces()).includes(place);
  } catch {
    return false;
  }
}

const subjectKinds = { Deployment: 'deployment', StatefulSet: 'statefulset', DaemonSet: 'daemonset', Pod: 'pod' } as const;

/** `Deployment/cart` for a question that names one workload or pod; what its thread is then about. */
export function subjectOf(scope: QuestionScope): string | undefined {
  if (scope.workload) return `${scope.workload.kind}/${scope.workload.name}`;
  return scope.pod === undefined ? undefined : `Pod/${scope.pod}`;
}

function subjectTarget(subject: string | undefined): GatherTarget {
  const [kind, name, ...rest] = (subject ?? '').split('/');
  if (name === undefined || name === '' || rest.length > 0 || !(kind !== undefined && kind in subjectKinds)) return {};
  return { [subjectKinds[kind as keyof typeof subjectKinds]]: name };
}

/** What the incident is about, read from its labels as its analysis reads them (no title search). */
export function incidentTarget(incident: Incident): GatherTarget {
  const { names: _names, ...target } = targetOfIncident(incident).target;
  return Object.fromEntries(Object.entries(target).filter(([, v]) => v !== undefined));
}

/** The incident's Job, CronJob, Service, claim, budget or HPA: what a question naming something else drops. */
const noObject: GatherTarget = { job: undefined, cronjob: undefined, service: undefined, pvc: undefined, pdb: undefined, hpa: undefined };

function workloadTarget(workload: { kind: 'Deployment' | 'StatefulSet' | 'DaemonSet'; name: string }): GatherTarget {
  // A workload named in the question replaces the incident's: ask about one thing at a time.
  const cleared: GatherTarget = { ...noObject, deployment: undefined, statefulset: undefined, daemonset: undefined, pod: undefined };
  if (workload.kind === 'Deployment') return { ...cleared, deployment: workload.name };
  if (workload.kind === 'StatefulSet') return { ...cleared, statefulset: workload.name };
  return { ...cleared, daemonset: workload.name };
}
