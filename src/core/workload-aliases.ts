import type { Redis } from 'ioredis';
import type { AlertTarget } from './incident.js';

/**
 * One problem, one thread: the workload an incident is about (cluster + namespace + kind +
 * name) is an alias of that incident in Redis, so an Alertmanager or PagerDuty alert about a
 * workload the cluster watch already opened an incident for (or the reverse) joins that
 * incident instead of opening a second thread — across processes and restarts. An alias is
 * held while the incident is open and released when it closes.
 */
export interface WorkloadAliases {
  /**
   * Atomically: the open incident already holding one of `keys` (or of `candidates`, which
   * are only looked up), else `incidentId`, which then holds every key of `keys`.
   */
  claim(keys: readonly string[], candidates: readonly string[], incidentId: string): Promise<string>;
  /** Releases every alias `incidentId` holds (an alias taken over by another stays). */
  release(incidentId: string): Promise<void>;
}

const claimScript = `
local nKeys = tonumber(ARGV[2])
local winner = nil
for i = 1, #KEYS - 1 do
  local holder = redis.call('GET', KEYS[i])
  if holder then winner = holder break end
end
if not winner then winner = ARGV[1] end
if winner == ARGV[1] then
  for i = 1, nKeys do
    redis.call('SET', KEYS[i], winner, 'NX')
    redis.call('SADD', KEYS[#KEYS], KEYS[i])
  end
end
return winner
`;

const releaseScript = `
for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key) end
end
redis.call('DEL', KEYS[1])
return 1
`;

export function createWorkloadAliases(options: { redis: Redis; prefix: string }): WorkloadAliases {
  const { redis, prefix } = options;
  const held = (id: string) => `${prefix}:workload-aliases:${id}`;
  const aliasKey = (key: string) => `${prefix}:workload:${key}`;
  return {
    async claim(keys, candidates, incidentId) {
      if (keys.length === 0 && candidates.length === 0) return incidentId;
      const all = [...keys, ...candidates].map(aliasKey);
      return (await redis.eval(claimScript, all.length + 1, ...all, held(incidentId), incidentId, String(keys.length))) as string;
    },
    async release(incidentId) {
      await redis.eval(releaseScript, 1, held(incidentId), incidentId);
    },
  };
}

/** `cluster/namespace/Kind/name`: the workload key of one workload. */
export function workloadKeyOf(cluster: string, namespace: string, kind: string, name: string): string {
  return `${cluster}/${namespace}/${kind}/${name}`;
}

/**
 * The workload keys an alert target names (`keys`, claimed) and those its pod name may belong
 * to (`candidates`, only looked up): `web-7d4b9c8f6d-x2x9k` may be Deployment `web`,
 * `db-0` StatefulSet `db`, `agent-x2x9k` DaemonSet `agent`. Pure.
 */
export function workloadKeysOfTarget(target: AlertTarget, cluster: string | undefined): { keys: string[]; candidates: string[] } {
  const ns = target.namespace;
  if (cluster === undefined || ns === undefined) return { keys: [], candidates: [] };
  const keys: string[] = [];
  if (target.deployment) keys.push(workloadKeyOf(cluster, ns, 'Deployment', target.deployment));
  if (target.statefulset) keys.push(workloadKeyOf(cluster, ns, 'StatefulSet', target.statefulset));
  if (target.daemonset) keys.push(workloadKeyOf(cluster, ns, 'DaemonSet', target.daemonset));
  const candidates: string[] = [];
  const pod = target.pod;
  if (keys.length === 0 && pod) {
    const deployment = /^(.+)-[a-z0-9]{5,10}-[a-z0-9]{5}$/.exec(pod)?.[1];
    if (deployment) candidates.push(workloadKeyOf(cluster, ns, 'Deployment', deployment));
    const statefulset = /^(.+)-\d+$/.exec(pod)?.[1];
    if (statefulset) candidates.push(workloadKeyOf(cluster, ns, 'StatefulSet', statefulset));
    const daemonOrJob = /^(.+)-[a-z0-9]{5}$/.exec(pod)?.[1];
    if (daemonOrJob) candidates.push(workloadKeyOf(cluster, ns, 'DaemonSet', daemonOrJob), workloadKeyOf(cluster, ns, 'Job', daemonOrJob));
  }
  return { keys, candidates };
}
