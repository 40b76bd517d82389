import type { V1PersistentVolume, V1PersistentVolumeClaim, V1StorageClass } from '@kubernetes/client-node';
import { parseQuantity } from '../../decisions/actions/risk.js';
import { matchesSelector } from './objects.js';

export interface ClaimCause {
  kind: string;
  /** The root-cause object: the claim, its class or the volume it names. */
  object: string;
  summary: string;
  facts: string[];
  fix: string;
}

const defaultClassAnnotation = 'storageclass.kubernetes.io/is-default-class';

/**
 * Why a claim stays Pending, decided from the objects as the PV controller decides: the
 * volume it names, its class, its selector, then the volumes that could match (static
 * binding). Undefined when nothing is wrong that the objects show (e.g. WaitForFirstConsumer).
 */
export function claimCause(claim: V1PersistentVolumeClaim, volumes: V1PersistentVolume[], classes: V1StorageClass[]): ClaimCause | undefined {
  const ns = claim.metadata?.namespace ?? '?';
  const name = claim.metadata?.name ?? '?';
  const claimId = `PersistentVolumeClaim/${ns}/${name}`;
  const cls = claim.spec?.storageClassName;
  const modes = claim.spec?.accessModes ?? [];
  const want = parseQuantity(claim.spec?.resources?.requests?.storage ?? '') ?? 0;
  const recreate = `claims are immutable there: kubectl -n ${ns} delete pvc ${name} and re-create it`;
  const volumeName = claim.spec?.volumeName;
  if (volumeName) {
    const pv = volumes.find((v) => v.metadata?.name === volumeName);
    const pvId = `PersistentVolume/${volumeName}`;
    if (!pv) return { kind: 'pvc-volume-missing', object: pvId, summary: `The claim names volume ${volumeName}, which does not exist.`, facts: [`spec.volumeName: ${volumeName}`], fix: `Create PersistentVolume ${volumeName}, or ${recreate} without spec.volumeName.` };
    const ref = pv.spec?.claimRef;
    if (ref && (ref.name !== name || ref.namespace !== ns)) {
      return { kind: 'pvc-volume-bound', object: pvId, summary: `Volume ${volumeName} is already bound to claim ${ref.namespace ?? '?'}/${ref.name ?? '?'}.`, facts: [`spec.volumeName: ${volumeName}`, `${pvId} claimRef: ${ref.namespace ?? '?'}/${ref.name ?? '?'}, phase ${pv.status?.phase ?? '?'}`], fix: `Pick a free volume: ${recreate} with another spec.volumeName (or none); or release ${volumeName} if its claim is gone.` };
    }
    const mismatch = volumeMismatch(claim, pv, want);
    if (mismatch) return { ...mismatch, object: pvId, fix: `${mismatch.fix} — or ${recreate} to match volume ${volumeName}.` };
  }
  if (cls !== undefined && cls !== '') {
    const sc = classes.find((c) => c.metadata?.name === cls);
    if (!sc) {
      return { kind: 'pvc-class-not-found', object: `StorageClass/${cls}`, summary: `The claim asks for StorageClass ${cls}, which does not exist.`, facts: [`spec.storageClassName: ${cls}`, `storage classes: ${classes.map((c) => c.metadata?.name).join(', ') || 'none'}`], fix: `Create StorageClass ${cls}, or ${recreate} with spec.storageClassName one of: ${classes.map((c) => c.metadata?.name).join(', ') || '(none exist)'}.` };
    }
    if (sc.provisioner !== 'kubernetes.io/no-provisioner' || volumeName) return undefined;
  } else if (!volumeName && classes.some((c) => c.metadata?.annotations?.[defaultClassAnnotation] === 'true')) {
    return undefined;
  }
  if (volumeName) return undefined;
  // A volume nobody claims (Available, or Pending just after creation) is a binding candidate.
  const candidates = volumes.filter((v) => !['Bound', 'Released', 'Failed'].includes(v.status?.phase ?? '') && !v.spec?.claimRef && (v.spec?.storageClassName ?? '') === (cls ?? ''));
  const selected = claim.spec?.selector ? candidates.filter((v) => matchesSelector(claim.spec?.selector, v.metadata?.labels ?? {})) : candidates;
  if (claim.spec?.selector && candidates.length > 0 && selected.length === 0) {
    return { kind: 'pvc-selector', object: claimId, summary: `No available volume matches the claim's selector ${JSON.stringify(claim.spec.selector.matchLabels ?? claim.spec.selector)}.`, facts: [`spec.selector: ${JSON.stringify(claim.spec.selector)}`, ...candidates.map((v) => `PersistentVolume/${v.metadata?.name ?? '?'} labels ${JSON.stringify(v.metadata?.labels ?? {})}`)], fix: `Label a volume to match, or ${recreate} with a selector that matches.` };
  }
  const withModes = selected.filter((v) => modes.every((m) => (v.spec?.accessModes ?? []).includes(m)));
  if (selected.length > 0 && withModes.length === 0) {
    return { kind: 'pvc-access-mode', object: claimId, summary: `The claim asks for ${modes.join(', ')}; the available volumes offer only ${[...new Set(selected.flatMap((v) => v.spec?.accessModes ?? []))].join(', ')}.`, facts: selected.map((v) => `PersistentVolume/${v.metadata?.name ?? '?'}: accessModes ${(v.spec?.accessModes ?? []).join(',')}, capacity ${v.spec?.capacity?.storage ?? '?'}`), fix: `${recreate} with accessModes the volumes offer, or provide a volume with ${modes.join(', ')}.` };
  }
  const bigEnough = withModes.filter((v) => (parseQuantity(v.spec?.capacity?.storage ?? '') ?? 0) >= want);
  if (withModes.length > 0 && bigEnough.length === 0) {
    return { kind: 'pvc-capacity', object: claimId, summary: `The claim requests ${claim.spec?.resources?.requests?.storage ?? '?'}; the largest matching volume holds ${withModes.map((v) => v.spec?.capacity?.storage ?? '?').join(', ')}.`, facts: withModes.map((v) => `PersistentVolume/${v.metadata?.name ?? '?'}: capacity ${v.spec?.capacity?.storage ?? '?'}`), fix: `${recreate} requesting at most the volume's size, or provide a volume of ${claim.spec?.resources?.requests?.storage ?? '?'}.` };
  }
  if (selected.length === 0 && (cls === undefined || cls === '')) {
    return { kind: 'pvc-no-class', object: claimId, summary: 'The claim names no StorageClass, no class is the default, and no volume is available for it: no persistent volumes available for this claim and no storage class is set.', facts: [`spec.storageClassName: ${cls === undefined ? 'unset' : '""'}`, `storage classes: ${classes.map((c) => c.metadata?.name).join(', ') || 'none'}`], fix: `${recreate} with spec.storageClassName set${classes[0] ? ` (e.g. ${classes[0].metadata?.name ?? ''})` : ''}, or mark a class default: kubectl patch storageclass <class> -p '{"metadata":{"annotations":{"${defaultClassAnnotation}":"true"}}}'` };
  }
  return undefined;
}

function volumeMismatch(claim: V1PersistentVolumeClaim, pv: V1PersistentVolume, want: number): Omit<ClaimCause, 'object'> | undefined {
  const pvName = pv.metadata?.name ?? '?';
  const cls = claim.spec?.storageClassName ?? '';
  if ((pv.spec?.storageClassName ?? '') !== cls) {
    return { kind: 'pvc-class-mismatch', summary: `Cannot bind to requested volume "${pvName}": storageClassName does not match (claim "${cls}", volume "${pv.spec?.storageClassName ?? ''}").`, facts: [`claim storageClassName: "${cls}"`, `volume storageClassName: "${pv.spec?.storageClassName ?? ''}"`], fix: `Set the volume's storageClassName to "${cls}"` };
  }
  const modes = claim.spec?.accessModes ?? [];
  if (!modes.every((m) => (pv.spec?.accessModes ?? []).includes(m))) {
    return { kind: 'pvc-access-mode', summary: `Cannot bind to requested volume "${pvName}": incompatible accessMode (claim ${modes.join(',')}, volume ${(pv.spec?.accessModes ?? []).join(',')}).`, facts: [`claim accessModes: ${modes.join(',')}`, `volume accessModes: ${(pv.spec?.accessModes ?? []).join(',')}`], fix: `Use a volume offering ${modes.join(',')}` };
  }
  const has = parseQuantity(pv.spec?.capacity?.storage ?? '') ?? 0;
  if (has < want) {
    return { kind: 'pvc-capacity', summary: `Cannot bind to requested volume "${pvName}": requested PV is too small (claim ${claim.spec?.resources?.requests?.storage ?? '?'}, volume ${pv.spec?.capacity?.storage ?? '?'}).`, facts: [`claim requests ${claim.spec?.resources?.requests?.storage ?? '?'}`, `volume capacity ${pv.spec?.capacity?.storage ?? '?'}`], fix: `Provide a volume of at least ${claim.spec?.resources?.requests?.storage ?? '?'}` };
  }
  return undefined;
}
