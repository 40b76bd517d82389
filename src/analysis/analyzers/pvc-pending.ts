import type { V1PodSpec } from '@kubernetes/client-node';
import type { Analyzer, Evidence, Finding } from '../types.js';
import { describeEvent, eventsOf, inScope, makeFinding, namespaceOf, podSpec, subjectId } from './objects.js';
import { claimCause } from './pvc-causes.js';
import { schedulingFailure } from './scheduling.js';

const name = 'pvc-pending';

/**
 * Claims the subject's pods mount that are not Bound (or do not exist), with the cause the
 * objects show (class missing, no class, access mode, capacity, selector, volume taken) and
 * the PV controller's and scheduler's words. Claims are immutable where it matters: the fix is
 * text, never a catalog action.
 */
export const analyzePvcPending: Analyzer = (evidence) => {
  const objects = evidence.objects;
  if (!objects) return { findings: [], proposals: [] };
  const ns = namespaceOf(evidence);
  const mounted = [...claimNames(podSpec(evidence)), ...templateClaims(evidence)];
  const findings: Finding[] = [];
  const sched = schedulingFailure(evidence);
  const schedLine = sched && /PersistentVolumeClaim|persistentvolumeclaim|persistent volumes/.test(sched.message) ? `PodScheduled=False Unschedulable: ${sched.message}` : undefined;
  for (const missing of mounted.filter((c) => !objects.claims.some((x) => x.metadata?.name === c))) {
    findings.push(
      makeFinding({
        analyzer: name,
        kind: 'pvc-missing',
        object: `PersistentVolumeClaim/${ns}/${missing}`,
        title: `Claim ${missing} does not exist`,
        summary: `The pods of ${subjectId(evidence) ?? '?'} mount PersistentVolumeClaim ${missing}, which does not exist in ${ns}: persistentvolumeclaim "${missing}" not found.`,
        evidence: [schedLine],
        fix: `Create PersistentVolumeClaim ${missing} in ${ns}, or fix the claimName in the pod template.`,
      }),
    );
  }
  for (const claim of objects.claims) {
    const claimName = claim.metadata?.name ?? '';
    if (claim.status?.phase === 'Bound' || !inScope(evidence, 'PersistentVolumeClaim', claimName, mounted.includes(claimName))) continue;
    const cause = claimCause(claim, objects.volumes, objects.storageClasses);
    const events = eventsOf(evidence, 'PersistentVolumeClaim', claimName, /ProvisioningFailed|FailedBinding|VolumeMismatch/).slice(0, 2);
    if (!cause && events.length === 0) continue;
    findings.push(
      makeFinding({
        analyzer: name,
        kind: cause?.kind ?? 'pvc-pending',
        object: cause?.object ?? `PersistentVolumeClaim/${ns}/${claimName}`,
        title: `PersistentVolumeClaim ${claimName} is ${claim.status?.phase ?? 'Pending'}${cause ? `: ${cause.kind.replace(/^pvc-/, '').replace(/-/g, ' ')}` : ''}`,
        summary: `${cause?.summary ?? events.map((e) => e.message ?? '').join(' ')}${mounted.includes(claimName) ? ` Pods of ${subjectId(evidence) ?? '?'} that mount it cannot start.` : ''}`,
        evidence: [`claim ${claimName}: phase ${claim.status?.phase ?? 'Pending'}, class ${claim.spec?.storageClassName ?? '(unset)'}, accessModes ${(claim.spec?.accessModes ?? []).join(',')}, requests ${claim.spec?.resources?.requests?.storage ?? '?'}`, ...(cause?.facts ?? []), ...events.map(describeEvent), schedLine],
        fix: cause?.fix ?? `kubectl -n ${ns} describe pvc ${claimName}: fix what the events above say.`,
      }),
    );
  }
  return { findings, proposals: [] };
};

/** A StatefulSet's claims from volumeClaimTemplates: `<template>-<set>-<ordinal>`. */
function templateClaims(evidence: Evidence): string[] {
  const sts = evidence.workload?.statefulSet;
  const set = sts?.metadata?.name ?? '';
  const prefixes = (sts?.spec?.volumeClaimTemplates ?? []).map((t) => `${t.metadata?.name ?? ''}-${set}-`);
  return (evidence.objects?.claims ?? []).map((c) => c.metadata?.name ?? '').filter((n) => prefixes.some((p) => n.startsWith(p)));
}

function claimNames(spec: V1PodSpec | undefined): string[] {
  return (spec?.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName).filter((c): c is string => c !== undefined);
}
