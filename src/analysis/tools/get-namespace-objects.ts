import * as z from 'zod';
import { NamespaceName } from '../../core/vocabulary.js';
import type { ClusterReader } from '../../kube/reader.js';
import { defineTool } from './tool.js';

const kinds = ['services', 'claims', 'quotas', 'jobs', 'cronjobs', 'pdbs', 'configmaps', 'serviceaccounts'] as const;
type Kind = (typeof kinds)[number];

const line = {
  async services(r: ClusterReader, ns: string) {
    const [services, endpoints] = await Promise.all([r.listServices(ns), r.listEndpoints(ns)]);
    return services.map((s) => {
      const ep = endpoints.find((e) => e.metadata?.name === s.metadata?.name);
      const ready = (ep?.subsets ?? []).reduce((n, x) => n + (x.addresses ?? []).length, 0);
      const notReady = (ep?.subsets ?? []).reduce((n, x) => n + (x.notReadyAddresses ?? []).length, 0);
      const ports = (s.spec?.ports ?? []).map((p) => `${p.port}→${String(p.targetPort ?? p.port)}/${p.protocol ?? 'TCP'}`).join(',');
      return `Service ${s.metadata?.name ?? '?'}: ${s.spec?.type ?? 'ClusterIP'} selector ${JSON.stringify(s.spec?.selector ?? {})} ports ${ports}; endpoints ${ready} ready, ${notReady} not ready`;
    });
  },
  async claims(r: ClusterReader, ns: string) {
    return (await r.listPersistentVolumeClaims(ns)).map((c) => `PVC ${c.metadata?.name ?? '?'}: ${c.status?.phase ?? '?'}, class ${c.spec?.storageClassName ?? '(unset)'}, ${(c.spec?.accessModes ?? []).join(',')}, requests ${c.spec?.resources?.requests?.storage ?? '?'}${c.spec?.volumeName ? `, volume ${c.spec.volumeName}` : ''}`);
  },
  async quotas(r: ClusterReader, ns: string) {
    return (await r.listResourceQuotas(ns)).map((q) => `ResourceQuota ${q.metadata?.name ?? '?'}: hard ${JSON.stringify(q.status?.hard ?? q.spec?.hard ?? {})}, used ${JSON.stringify(q.status?.used ?? {})}`);
  },
  async jobs(r: ClusterReader, ns: string) {
    return (await r.listJobs(ns)).map((j) => {
      const c = (j.status?.conditions ?? []).filter((x) => x.status === 'True').map((x) => `${x.type}${x.reason ? ` ${x.reason}` : ''}`);
      return `Job ${j.metadata?.name ?? '?'}: ${j.status?.succeeded ?? 0} succeeded, ${j.status?.failed ?? 0} failed, ${j.status?.active ?? 0} active, backoffLimit ${j.spec?.backoffLimit ?? 6}${c.length > 0 ? `; ${c.join(', ')}` : ''}`;
    });
  },
  async cronjobs(r: ClusterReader, ns: string) {
    return (await r.listCronJobs(ns)).map((c) => `CronJob ${c.metadata?.name ?? '?'}: "${c.spec?.schedule ?? '?'}"${c.spec?.suspend ? ' SUSPENDED' : ''}, last schedule ${c.status?.lastScheduleTime ? new Date(c.status.lastScheduleTime).toISOString() : 'never'}, last success ${c.status?.lastSuccessfulTime ? new Date(c.status.lastSuccessfulTime).toISOString() : 'never'}`);
  },
  async pdbs(r: ClusterReader, ns: string) {
    return (await r.listPodDisruptionBudgets(ns)).map((p) => `PDB ${p.metadata?.name ?? '?'}: ${p.spec?.minAvailable !== undefined ? `minAvailable ${String(p.spec.minAvailable)}` : `maxUnavailable ${String(p.spec?.maxUnavailable ?? '?')}`}, disruptionsAllowed ${p.status?.disruptionsAllowed ?? '?'}, healthy ${p.status?.currentHealthy ?? '?'}/${p.status?.expectedPods ?? '?'}`);
  },
  async configmaps(r: ClusterReader, ns: string) {
    return (await r.listConfigMapKeys(ns)).map((c) => `ConfigMap ${c.name}: keys ${c.keys.join(', ') || '(none)'}`);
  },
  async serviceaccounts(r: ClusterReader, ns: string) {
    return [`ServiceAccounts: ${(await r.listServiceAccountNames(ns)).join(', ') || '(none)'}`];
  },
} satisfies Record<Kind, (r: ClusterReader, ns: string) => Promise<string[]>>;

export const getNamespaceObjects = defineTool({
  name: 'get_namespace_objects',
  description:
    'Objects of a namespace beyond workloads and pods, one line each: Services with their endpoints, PVCs, ResourceQuotas (hard/used), Jobs, CronJobs, PodDisruptionBudgets, ConfigMaps (names and keys only) and ServiceAccount names. Secrets are never shown.',
  input: z.strictObject({ namespace: NamespaceName, kinds: z.array(z.enum(kinds)).max(kinds.length).optional() }),
  async run({ namespace, kinds: wanted }, ctx) {
    const out: string[] = [];
    for (const kind of wanted ?? kinds) out.push(...(await line[kind](ctx.reader, namespace)));
    return out.length === 0 ? `nothing of ${(wanted ?? kinds).join(', ')} in ${namespace}` : out.join('\n').slice(0, ctx.maxChars);
  },
});
