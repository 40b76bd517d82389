/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- claims and volumes are wire JSON */
import { selectorFromSpec } from '../api/selectors.js';
import { randomHex } from '../names.js';
import { parseQuantity } from '../quantity.js';
import type { KubeObject } from '../types.js';
import type { ClusterContext } from './context.js';

/** The PV controller resyncs every 15s; its events count once more per resync. */
const resyncMs = 15_000;
const noProvisioner = 'kubernetes.io/no-provisioner';

const classOf = (o: KubeObject): string => o.spec?.storageClassName ?? '';
const sizeOf = (q: unknown): number => parseQuantity(q) ?? 0;

/** checkVolumeSatisfyClaim: why a volume cannot serve a claim, in the controller's words, or undefined. */
function mismatchOf(volume: KubeObject, claim: KubeObject): string | undefined {
  if (sizeOf(volume.spec?.capacity?.storage) < sizeOf(claim.spec?.resources?.requests?.storage)) return 'requested PV is too small';
  if (classOf(volume) !== classOf(claim)) return 'storageClassName does not match';
  if ((volume.spec?.volumeMode ?? 'Filesystem') !== (claim.spec?.volumeMode ?? 'Filesystem')) return 'incompatible volumeMode';
  const modes: string[] = volume.spec?.accessModes ?? [];
  if ((claim.spec?.accessModes ?? []).some((m: string) => !modes.includes(m))) return 'incompatible accessMode';
  return undefined;
}

function isBoundTo(volume: KubeObject, claim: KubeObject): boolean {
  const ref = volume.spec?.claimRef;
  return Boolean(ref && ref.name === claim.metadata.name && ref.namespace === claim.metadata.namespace && (!ref.uid || ref.uid === claim.metadata.uid));
}

/** findMatchingVolume: the smallest free (or pre-bound) volume of the claim's class, access modes, size and selector. */
function findVolume(ctx: ClusterContext, claim: KubeObject): KubeObject | undefined {
  const selector = claim.spec?.selector;
  const matches = selector ? selectorFromSpec(selector) : () => true;
  const fits = ctx.store
    .scan('persistentvolumes')
    .filter((v) => (v.spec?.claimRef ? isBoundTo(v, claim) : v.status?.phase !== 'Released' && v.status?.phase !== 'Failed'))
    .filter((v) => !v.metadata.deletionTimestamp && mismatchOf(v, claim) === undefined && matches(v));
  // A volume pre-bound to this claim wins; then the smallest that fits.
  return [...fits].sort((a, b) => Number(isBoundTo(b, claim)) - Number(isBoundTo(a, claim)) || sizeOf(a.spec?.capacity?.storage) - sizeOf(b.spec?.capacity?.storage))[0];
}

function bind(ctx: ClusterContext, volume: KubeObject, claim: KubeObject): void {
  const byController = !volume.spec?.claimRef;
  ctx.store.update('persistentvolumes', {
    ...volume,
    metadata: { ...volume.metadata, annotations: { ...(volume.metadata.annotations ?? {}), ...(byController ? { 'pv.kubernetes.io/bound-by-controller': 'yes' } : {}) } },
    spec: { ...volume.spec, claimRef: { kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid, apiVersion: 'v1', resourceVersion: claim.metadata.resourceVersion } },
    status: { ...(volume.status ?? {}), phase: 'Bound' },
  });
  const annotations = { ...(claim.metadata.annotations ?? {}), 'pv.kubernetes.io/bind-completed': 'yes', ...(claim.spec?.volumeName ? {} : { 'pv.kubernetes.io/bound-by-controller': 'yes' }) };
  ctx.store.update('persistentvolumeclaims', {
    ...claim,
    metadata: { ...claim.metadata, annotations },
    spec: { ...claim.spec, volumeName: volume.metadata.name },
    status: { phase: 'Bound', accessModes: volume.spec?.accessModes ?? [], capacity: { ...(volume.spec?.capacity ?? {}) } },
  });
}

/** Whether a pod (not finished) names the claim: what a WaitForFirstConsumer class waits for. */
function hasConsumer(ctx: ClusterContext, claim: KubeObject): boolean {
  return ctx.store
    .scan('pods', claim.metadata.namespace)
    .some((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && (p.spec?.volumes ?? []).some((v: any) => v.persistentVolumeClaim?.claimName === claim.metadata.name));
}

/** What the sandbox's stand-in for a CSI external provisioner does: a volume of the asked size, pre-bound to the claim. */
function provision(ctx: ClusterContext, claim: KubeObject, storageClass: KubeObject): void {
  const provisioner: string = storageClass.provisioner;
  const name = `pvc-${claim.metadata.uid}`;
  const component = `${provisioner}_sandbox-csi-controller_${randomHex(8)}`;
  const key = `${claim.metadata.namespace}/${claim.metadata.name}`;
  ctx.events.record({ involved: claim, reason: 'Provisioning', message: `External provisioner is provisioning volume for claim "${key}"`, type: 'Normal', component });
  ctx.store.create('persistentvolumes', {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, uid: '', resourceVersion: '', creationTimestamp: '', annotations: { 'pv.kubernetes.io/provisioned-by': provisioner, 'volume.kubernetes.io/provisioner-deletion-secret-name': '', 'volume.kubernetes.io/provisioner-deletion-secret-namespace': '' }, finalizers: ['external-provisioner.volume.kubernetes.io/finalizer', 'kubernetes.io/pv-protection'] },
    spec: {
      accessModes: [...(claim.spec?.accessModes ?? [])],
      capacity: { storage: claim.spec?.resources?.requests?.storage ?? '1Gi' },
      claimRef: { kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid, apiVersion: 'v1', resourceVersion: claim.metadata.resourceVersion },
      csi: { driver: provisioner, volumeHandle: `sandbox-${claim.metadata.uid}`, fsType: 'ext4' },
      persistentVolumeReclaimPolicy: storageClass.reclaimPolicy ?? 'Delete',
      storageClassName: storageClass.metadata.name,
      volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
    },
    status: { phase: 'Bound' },
  });
  ctx.events.record({ involved: claim, reason: 'ProvisioningSucceeded', message: `Successfully provisioned volume ${name}`, type: 'Normal', component });
}

/** Records an event the controller repeats every resync while the claim waits. */
function pending(ctx: ClusterContext, claim: KubeObject, reason: string, message: string, type: 'Normal' | 'Warning'): void {
  const created = Date.parse(claim.metadata.creationTimestamp);
  ctx.events.record({ involved: claim, reason, message, type, component: 'persistentvolume-controller', count: 1 + Math.floor(Math.max(0, ctx.clock.now() - created) / resyncMs), firstAt: created });
}

/** syncUnboundClaim: bind to a volume, provision one, or say why the claim waits. Returns true when objects changed. */
function syncUnboundClaim(ctx: ClusterContext, claim: KubeObject): boolean {
  const requested: string | undefined = claim.spec?.volumeName;
  if (requested) {
    const volume = ctx.store.get('persistentvolumes', undefined, requested);
    if (!volume) return false;
    if (volume.spec?.claimRef && !isBoundTo(volume, claim)) {
      pending(ctx, claim, 'FailedBinding', `volume "${requested}" already bound to a different claim.`, 'Warning');
      return false;
    }
    const mismatch = mismatchOf(volume, claim);
    if (mismatch) {
      pending(ctx, claim, 'VolumeMismatch', `Cannot bind to requested volume "${requested}": ${mismatch}`, 'Warning');
      return false;
    }
    bind(ctx, volume, claim);
    return true;
  }
  const className = classOf(claim);
  const storageClass = className ? ctx.store.get('storageclasses', undefined, className) : undefined;
  if (storageClass?.volumeBindingMode === 'WaitForFirstConsumer' && !hasConsumer(ctx, claim)) {
    pending(ctx, claim, 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding', 'Normal');
    return false;
  }
  const volume = findVolume(ctx, claim);
  if (volume) {
    bind(ctx, volume, claim);
    return true;
  }
  if (!className) {
    pending(ctx, claim, 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set', 'Normal');
    return false;
  }
  if (!storageClass) {
    pending(ctx, claim, 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`, 'Warning');
    return false;
  }
  const provisioner: string = storageClass.provisioner ?? '';
  if (provisioner === noProvisioner) {
    pending(ctx, claim, 'ProvisioningFailed', `no volume plugin matched name: ${noProvisioner}`, 'Warning');
    return false;
  }
  pending(ctx, claim, 'ExternalProvisioning', `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`, 'Normal');
  const annotations = { ...(claim.metadata.annotations ?? {}), 'volume.beta.kubernetes.io/storage-provisioner': provisioner, 'volume.kubernetes.io/storage-provisioner': provisioner };
  ctx.store.update('persistentvolumeclaims', { ...claim, metadata: { ...claim.metadata, annotations } });
  provision(ctx, claim, storageClass);
  return true;
}

/** syncVolume: a free volume is Available; one whose claim is gone is Released, or deleted under the Delete policy. */
function syncVolume(ctx: ClusterContext, volume: KubeObject): boolean {
  const ref = volume.spec?.claimRef;
  const claim = ref ? ctx.store.get('persistentvolumeclaims', ref.namespace, ref.name) : undefined;
  let phase: string;
  if (!ref || !ref.uid) phase = 'Available';
  else if (claim && claim.metadata.uid === ref.uid) phase = claim.spec?.volumeName === volume.metadata.name ? 'Bound' : (volume.status?.phase ?? 'Bound');
  else if (volume.spec?.persistentVolumeReclaimPolicy === 'Delete') {
    ctx.store.remove('persistentvolumes', undefined, volume.metadata.name);
    return true;
  } else phase = volume.status?.phase === 'Failed' ? 'Failed' : 'Released';
  if (volume.status?.phase === phase) return false;
  ctx.store.update('persistentvolumes', { ...volume, status: { ...(volume.status ?? {}), phase } });
  return true;
}

/** The PersistentVolume controller: binds claims to volumes, provisions from storage classes, releases volumes. */
export function syncVolumes(ctx: ClusterContext): boolean {
  let changed = false;
  for (const claim of ctx.store.scan('persistentvolumeclaims')) {
    if (claim.metadata.deletionTimestamp) continue;
    if (claim.status?.phase === 'Bound' || claim.status?.phase === 'Lost') {
      const volume = claim.spec?.volumeName ? ctx.store.get('persistentvolumes', undefined, claim.spec.volumeName) : undefined;
      if (claim.status.phase === 'Bound' && !volume) {
        ctx.store.update('persistentvolumeclaims', { ...claim, status: { ...claim.status, phase: 'Lost' } });
        ctx.events.record({ involved: claim, reason: 'ClaimLost', message: 'Bound claim has lost its PersistentVolume. Data on the volume is lost!', type: 'Warning', component: 'persistentvolume-controller' });
        changed = true;
      }
      continue;
    }
    changed = syncUnboundClaim(ctx, claim) || changed;
  }
  for (const volume of ctx.store.scan('persistentvolumes')) changed = syncVolume(ctx, volume) || changed;
  return changed;
}

/**
 * The VolumeBinding plugin's PreFilter: a pod naming a missing claim, or an unbound claim of a
 * class that binds immediately, fits no node. Returns kube-scheduler's status message.
 */
export function unboundClaimsOf(ctx: ClusterContext, pod: KubeObject): string | undefined {
  let unbound = false;
  for (const v of pod.spec?.volumes ?? []) {
    const name: string | undefined = v.persistentVolumeClaim?.claimName;
    if (!name) continue;
    const claim = ctx.store.get('persistentvolumeclaims', pod.metadata.namespace, name);
    if (!claim) return `persistentvolumeclaim "${name}" not found`;
    if (claim.metadata.deletionTimestamp) return `persistentvolumeclaim "${name}" is being deleted`;
    if (claim.status?.phase === 'Bound') continue;
    const storageClass = classOf(claim) ? ctx.store.get('storageclasses', undefined, classOf(claim)) : undefined;
    if (storageClass?.volumeBindingMode !== 'WaitForFirstConsumer') unbound = true;
  }
  return unbound ? 'pod has unbound immediate PersistentVolumeClaims' : undefined;
}
