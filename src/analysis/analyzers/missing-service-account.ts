import type { Analyzer, Finding } from '../types.js';
import { failedCreateEvents, ownerOf } from './failed-create.js';
import { makeFinding, objectId } from './objects.js';

const name = 'missing-service-account';
const notFound = /error looking up service account ([^/\s]+)\/([^:\s]+): serviceaccount "([^"]+)" not found/;

/** Pods name a ServiceAccount that does not exist: admission refuses them. Manual fix. */
export const analyzeMissingServiceAccount: Analyzer = (evidence) => {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const e of failedCreateEvents(evidence)) {
    const m = notFound.exec(e.message ?? '');
    if (!m) continue;
    const [, ns = '?', , sa = '?'] = m;
    if (seen.has(sa)) continue;
    seen.add(sa);
    const existsNow = evidence.objects?.serviceAccounts.includes(sa) ?? false;
    findings.push(
      makeFinding({
        analyzer: name,
        kind: 'missing-service-account',
        object: objectId('ServiceAccount', ns, sa),
        title: `ServiceAccount ${sa} does not exist in ${ns}`,
        summary: `The pod template names serviceAccountName ${sa}, which does not exist in ${ns}: the API server refuses every pod, so ${ownerOf(e)} creates none.${existsNow ? ' It exists now; the controller will retry.' : ''}`,
        evidence: [
          `Warning FailedCreate on ${ownerOf(e)}: ${e.message ?? ''}${(e.count ?? 1) > 1 ? ` (×${e.count ?? 1})` : ''}`,
          `service accounts in ${ns}: ${evidence.objects?.serviceAccounts.join(', ') || 'none read'}`,
        ],
        fix: `kubectl -n ${ns} create serviceaccount ${sa} — or set spec.template.spec.serviceAccountName to an existing account.`,
      }),
    );
  }
  return { findings, proposals: [] };
};
