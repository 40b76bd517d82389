/**
 * What a free-text question says about where to look: "in namespace shop", "-n shop",
 * "on cluster prod", "deployment web", "pod web-5d9…". Pure; values are validated as
 * Kubernetes names so nothing odd reaches the API.
 */
export interface QuestionScope {
  cluster?: string;
  namespace?: string;
  workload?: { kind: 'Deployment' | 'StatefulSet' | 'DaemonSet'; name: string };
  pod?: string;
  node?: string;
  /**
   * A bare name after "in", "of", "for", "with" or "about" ("what is wrong in shop?"): a namespace or
   * a workload, which only the cluster can tell.
   */
  place?: string;
  /** "in the cluster", "across all namespaces", "everywhere": the whole cluster. */
  everywhere?: boolean;
}

const label = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const subdomain = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
// Cluster names come from deckhand.yaml keys; allow the usual identifier characters.
const clusterName = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,62}[A-Za-z0-9])?$/;

// "the deployment is failing", "which cluster is it": words that follow a kind but are no name.
const stopwords = new Set(
  'a an the is are was were be been it its this that these those of on in at to for from with and or not no do does did has have had keeps keep still again now crashing failing broken down up restarting running pending healthy unhealthy ok fine okay doing going looking'.split(
    ' ',
  ),
);

// "in general", "of them", "about namespaces": words after a preposition that name no place.
const placeStopwords = new Set(
  'all any my our your their them there here general total detail details short namespace namespaces cluster clusters deployment deployments pods pod services workloads prod production now today yesterday minutes hours days last past me us you one'.split(
    ' ',
  ),
);

function firstMatch(text: string, patterns: RegExp[], valid: RegExp): string | undefined {
  for (const pattern of patterns) {
    const m = pattern.exec(text);
    const value = m?.[1]?.replace(/[.,;:!?)'"`]+$/, '').replace(/^[`'"(]+/, '');
    if (value && valid.test(value) && !stopwords.has(value.toLowerCase())) return value;
  }
  return undefined;
}

export function extractScope(text: string): QuestionScope {
  const scope: QuestionScope = {};
  const namespace = firstMatch(
    text,
    [/(?:^|\s)(?:-n|--namespace)(?:\s+|=)(\S+)/i, /\bnamespace[:\s]+(\S+)/i, /\bns[:\s]+(\S+)/i, /\bin\s+ns\/(\S+)/i],
    label,
  );
  if (namespace) scope.namespace = namespace;
  const cluster = firstMatch(text, [/(?:^|\s)(?:--cluster|--context)(?:\s+|=)(\S+)/i, /\bcluster[:\s]+(\S+)/i, /\bcontext[:\s]+(\S+)/i], clusterName);
  if (cluster) scope.cluster = cluster;

  const kinds: [RegExp, 'Deployment' | 'StatefulSet' | 'DaemonSet'][] = [
    [/\b(?:deployment|deploy)(?:\/|\s+)(\S+)/i, 'Deployment'],
    [/\b(?:statefulset|sts)(?:\/|\s+)(\S+)/i, 'StatefulSet'],
    [/\b(?:daemonset|ds)(?:\/|\s+)(\S+)/i, 'DaemonSet'],
  ];
  for (const [pattern, kind] of kinds) {
    const name = firstMatch(text, [pattern], subdomain);
    if (name) {
      scope.workload = { kind, name };
      break;
    }
  }
  const pod = firstMatch(text, [/\bpod(?:\/|\s+)(\S+)/i], subdomain);
  if (pod) scope.pod = pod;
  const node = firstMatch(text, [/\bnode(?:\/|\s+)(\S+)/i], subdomain);
  if (node) scope.node = node;
  if (/\b(?:in|across|on)\s+(?:the\s+)?(?:whole\s+|entire\s+)?cluster\b(?!\s*[-\w])|\b(?:all|every)\s+namespaces?\b|\beverywhere\b|\bcluster-wide\b/i.test(text)) scope.everywhere = true;
  if (!scope.namespace && !scope.workload && !scope.pod && !scope.node && !scope.everywhere) {
    const place = firstMatch(text, [/\b(?:in|of|for|about|with)\s+([a-z0-9][-a-z0-9]*)(?=[\s?.!,;:]|$)/i], label);
    if (place && !placeStopwords.has(place.toLowerCase())) scope.place = place.toLowerCase();
  }
  return scope;
}
