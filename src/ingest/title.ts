/** Longest stored title: the root's header shows 150 characters, the fallback text more. */
export const maxTitleChars = 300;

// C0 / C1 controls (newlines and tabs included: a header is one line) and the bidi
// overrides that would make a title read differently from what it says.
const controlChars = /[\p{Cc}\u202A-\u202E\u2066-\u2069]+/gu;

/** The text with controls turned into spaces, whitespace runs collapsed, cut to `max`; '' when nothing visible is left. */
export function cleanText(text: string | undefined, max = maxTitleChars): string {
  const clean = (text ?? '').replace(controlChars, ' ').replace(/\s+/g, ' ').trim();
  return clean.length <= max ? clean : `${clean.slice(0, max - 1)}…`;
}

/**
 * An incident title that Slack always accepts: the sender's, cleaned; else the first usable
 * hint (service, alert name, workload…); else "Untitled alert from <source>". A sender's
 * empty or absurd title must never cost an incident its thread.
 */
export function titleOf(raw: string | undefined, hints: readonly (string | undefined)[], source: string): string {
  for (const candidate of [raw, ...hints]) {
    const clean = cleanText(candidate);
    if (clean !== '') return clean;
  }
  return `Untitled alert from ${source}`;
}

/** `namespace/workload` from an alert's labels, for a title when the sender gave none. */
export function workloadHintOf(labels: Record<string, string | undefined>): string | undefined {
  const workload = labels.deployment ?? labels.statefulset ?? labels.daemonset ?? labels.pod ?? labels.node;
  if (!workload) return undefined;
  return labels.namespace ? `${labels.namespace}/${workload}` : workload;
}
