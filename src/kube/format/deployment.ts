import type { V1Container, V1Deployment, V1ReplicaSet } from '@kubernetes/client-node';
import { revisionOf } from '../selectors.js';
import { boundHead, clip, defaultMaxChars, type BoundOptions } from './bound.js';
import { formatEnvVar, formatResourceList } from './container.js';

const changeCause = 'kubernetes.io/change-cause';

function images(containers: readonly V1Container[] | undefined): string {
  return (containers ?? []).map((c) => `${c.name}=${c.image ?? '?'}`).join(', ') || 'none';
}

/**
 * What changed in the pod template between two revisions, container by container:
 * image, env, resources. Kept short: this is the usual "what did the last rollout change".
 */
export function diffTemplates(older: V1ReplicaSet, newer: V1ReplicaSet): string[] {
  const before = new Map((older.spec?.template?.spec?.containers ?? []).map((c) => [c.name, c]));
  const changes: string[] = [];
  for (const c of newer.spec?.template?.spec?.containers ?? []) {
    const old = before.get(c.name);
    if (!old) {
      changes.push(`container ${c.name} added`);
      continue;
    }
    if (old.image !== c.image) changes.push(`container ${c.name} image ${old.image ?? '?'} → ${c.image ?? '?'}`);
    const oldEnv = new Map((old.env ?? []).map((e) => [e.name, formatEnvVar(e)]));
    const newEnv = new Map((c.env ?? []).map((e) => [e.name, formatEnvVar(e)]));
    for (const [name, value] of newEnv) {
      const was = oldEnv.get(name);
      if (was === undefined) changes.push(`container ${c.name} env added ${value}`);
      else if (was !== value) changes.push(`container ${c.name} env ${was} → ${value}`);
    }
    for (const name of oldEnv.keys()) if (!newEnv.has(name)) changes.push(`container ${c.name} env removed ${name}`);
    for (const part of ['limits', 'requests'] as const) {
      const a = formatResourceList(old.resources?.[part]);
      const b = formatResourceList(c.resources?.[part]);
      if (a !== b) changes.push(`container ${c.name} ${part} ${a} → ${b}`);
    }
  }
  for (const name of before.keys()) {
    if (!(newer.spec?.template?.spec?.containers ?? []).some((c) => c.name === name)) changes.push(`container ${name} removed`);
  }
  return changes;
}

/**
 * A deployment with its rollout state and history: replicas desired/updated/ready/available,
 * conditions (ProgressDeadlineExceeded shows here), each revision's images and change-cause,
 * and what the current revision changed compared with the one before.
 */
export function formatDeployment(deployment: V1Deployment, replicaSets: readonly V1ReplicaSet[], options: BoundOptions = {}): string {
  const meta = deployment.metadata;
  const spec = deployment.spec;
  const status = deployment.status;
  const desired = spec?.replicas ?? 1;
  const lines = [
    `deployment ${meta?.namespace ?? '?'}/${meta?.name ?? '?'}: replicas desired ${desired}, updated ${status?.updatedReplicas ?? 0}, ready ${status?.readyReplicas ?? 0}, available ${status?.availableReplicas ?? 0}, unavailable ${status?.unavailableReplicas ?? 0}, total ${status?.replicas ?? 0}`,
    `  revision ${revisionOf(meta) || '?'}, generation ${meta?.generation ?? '?'} (observed ${status?.observedGeneration ?? '?'})${spec?.paused ? ', PAUSED' : ''}`,
  ];
  const strategy = spec?.strategy;
  if (strategy?.type === 'RollingUpdate' || (strategy?.type === undefined && strategy?.rollingUpdate)) {
    const ru = strategy.rollingUpdate;
    lines.push(`  strategy RollingUpdate (maxUnavailable ${String(ru?.maxUnavailable ?? '25%')}, maxSurge ${String(ru?.maxSurge ?? '25%')})`);
  } else if (strategy?.type) {
    lines.push(`  strategy ${strategy.type}`);
  }
  lines.push(`  images: ${images(spec?.template.spec?.containers)}`);
  for (const c of spec?.template.spec?.containers ?? []) {
    lines.push(`  container ${c.name} resources: limits ${formatResourceList(c.resources?.limits)}; requests ${formatResourceList(c.resources?.requests)}`);
  }
  for (const c of status?.conditions ?? []) {
    const why = c.reason ? ` ${c.reason}` : '';
    lines.push(`  condition ${c.type}=${c.status}${why}${c.message ? `: ${clip(c.message, 300)}` : ''}`);
  }
  const history = [...replicaSets].sort((a, b) => revisionOf(b.metadata) - revisionOf(a.metadata));
  if (history.length === 0) {
    lines.push('  rollout history: none found');
  } else {
    const current = revisionOf(meta);
    lines.push('  rollout history (newest first):');
    for (const rs of history.slice(0, 10)) {
      const revision = revisionOf(rs.metadata);
      const cause = rs.metadata?.annotations?.[changeCause];
      const counts = `replicas ${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} ready ${rs.status?.readyReplicas ?? 0}`;
      const marker = revision === current ? ' (current)' : '';
      lines.push(
        `    revision ${revision}${marker}: ${rs.metadata?.name ?? '?'} ${images(rs.spec?.template?.spec?.containers)}; ${counts}; change-cause ${cause ? clip(cause, 200) : '<none>'}`,
      );
    }
    if (history.length > 10) lines.push(`    … ${history.length - 10} older revisions`);
    const [newest, previous] = history;
    if (newest && previous) {
      const changes = diffTemplates(previous, newest);
      const versus = `  revision ${revisionOf(newest.metadata)} vs ${revisionOf(previous.metadata)}`;
      lines.push(changes.length ? `${versus} changed:` : `${versus}: no container image/env/resource change`);
      for (const change of changes.slice(0, 20)) lines.push(`    ${clip(change, 300)}`);
    }
  }
  return boundHead(lines.join('\n'), options.maxChars ?? defaultMaxChars);
}
