import { formatMemory, parseQuantity } from '../../decisions/actions/risk.js';
import type { Analyzer, Finding } from '../types.js';
import { failedCreateEvents, ownerOf } from './failed-create.js';
import { makeFinding, namespaceOf, objectId } from './objects.js';

const name = 'quota-exceeded';

/** `exceeded quota: q, requested: a=1,b=2, used: …, limited: …` (the API server's quota admission). */
const exceeded = /exceeded quota: ([^,]+), requested: (\S+), used: (\S+), limited: (\S+)$/;
/** `failed quota: q: must specify limits.cpu,limits.memory`. */
const mustSpecify = /failed quota: ([^:]+): must specify (\S+)$/;

const pairs = (s: string) => new Map(s.split(',').map((kv) => kv.split('=') as [string, string]));

/**
 * A ResourceQuota refuses the workload's pods. One finding per quota and kind, naming each
 * exceeded resource with requested / used / limited and the quota value that would admit the
 * pod. No catalog action raises a quota, so the fix is given as text.
 */
export const analyzeQuotaExceeded: Analyzer = (evidence) => {
  const findings: Finding[] = [];
  const ns = namespaceOf(evidence);
  const done = new Set<string>();
  for (const e of failedCreateEvents(evidence)) {
    const message = e.message ?? '';
    const m = exceeded.exec(message);
    if (m) {
      const [, quota = '?', requested = '', used = '', limited = ''] = m;
      if (done.has(`x/${quota}`)) continue;
      done.add(`x/${quota}`);
      const req = pairs(requested);
      const use = pairs(used);
      const lim = pairs(limited);
      const resources = [...req.keys()];
      const needed = resources.map((r) => `"${r}":"${sumQuantity(r, use.get(r) ?? '0', req.get(r) ?? '0')}"`).join(',');
      const q = evidence.objects?.quotas.find((x) => x.metadata?.name === quota);
      findings.push(
        makeFinding({
          analyzer: name,
          kind: 'quota-exceeded',
          object: objectId('ResourceQuota', ns, quota),
          title: `ResourceQuota ${quota} refuses new pods (${resources.join(', ')})`,
          summary: `The namespace's quota ${quota} is used up for ${resources.map((r) => `${r} (used ${use.get(r) ?? '?'} of ${lim.get(r) ?? '?'}, a pod needs ${req.get(r) ?? '?'})`).join(', ')}: the API server refuses every new pod, so ${ownerOf(e)} cannot create its replicas.`,
          evidence: [
            `Warning FailedCreate on ${ownerOf(e)}: ${message}${(e.count ?? 1) > 1 ? ` (×${e.count ?? 1})` : ''}`,
            q ? `ResourceQuota ${quota}: hard ${JSON.stringify(q.status?.hard ?? q.spec?.hard ?? {})}, used ${JSON.stringify(q.status?.used ?? {})}` : undefined,
          ],
          fix: `Raise the quota: kubectl -n ${ns} patch resourcequota ${quota} --type=merge -p '{"spec":{"hard":{${needed}}}}' — or free ${resources.join(', ')} in ${ns} (scale down or lower requests of other workloads).`,
        }),
      );
      continue;
    }
    const s = mustSpecify.exec(message);
    if (s) {
      const [, quota = '?', missing = ''] = s;
      if (done.has(`s/${quota}`)) continue;
      done.add(`s/${quota}`);
      findings.push(
        makeFinding({
          analyzer: name,
          kind: 'quota-must-specify',
          object: objectId('ResourceQuota', ns, quota),
          title: `ResourceQuota ${quota} refuses pods that do not state ${missing}`,
          summary: `Quota ${quota} tracks ${missing}, so every pod in ${ns} must state them; the pod template of ${ownerOf(e)} does not, and the API server refuses it.`,
          evidence: [`Warning FailedCreate on ${ownerOf(e)}: ${message}`],
          fix: `Set ${missing} on every container of the template (kubectl set resources … --${missing.includes('limits') ? 'limits' : 'requests'}=…), or add a LimitRange with defaults in ${ns}.`,
        }),
      );
    }
  }
  return { findings, proposals: [] };
};

function sumQuantity(resource: string, a: string, b: string): string {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  if (x === undefined || y === undefined) return `≥ ${a} + ${b}`;
  const total = x + y;
  if (/memory|storage/.test(resource)) return formatMemory(total);
  if (/cpu/.test(resource)) return Number.isInteger(total) ? String(total) : `${Math.ceil(total * 1000)}m`;
  return String(Math.ceil(total));
}
