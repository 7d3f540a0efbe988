/**
 * PersistentVolumeClaim → a first-class disk on a datastore its storage class (a storage policy)
 * selects, counted against the namespace's storage quota and LimitRange. It can grow, never
 * shrink, and a prune never deletes it while a VM or pod that stays still uses it.
 */
import { createDisk, deleteDisk, updateDisk } from '../../inventory/disk.js';
import { fail, ok } from '../../inventory/model/faults.js';
import type { Disk } from '../../inventory/model/workloads.js';
import type { StoredObject } from '../../inventory/model/stored-object.js';
import type { ManifestObject } from '../../manifests/types.js';
import { diffValues } from '../../plan/diff-fields.js';
import type { PlanLedger } from '../../plan/ledger.js';
import { addAmounts } from '../../capacity/quota.js';
import type { Admission, KindReconciler, ObservedObject, PlanContext } from '../../plan/contract.js';
import { formatBytes, parseQuantity } from '../../base/quantity.js';
import { claimConsumption } from '../../capacity/consumption.js';
import { storageClassAdmission } from '../shared/namespace-rules.js';
import { encryptionFields } from '../shared/namespace-effects.js';
import { setCrypto } from '../../inventory/crypto.js';
import { requiredCryptoOf } from '../../inventory/namespace-policy.js';
import { ALLOWED, comparableObject, condition, observed, refused, storedObject } from '../../plan/contract.js';
import { liveSpecOf, type SpecFields } from '../../manifests/typed-spec.js';

type ClaimSpec = SpecFields<'PersistentVolumeClaim'>;

function specOf(object: StoredObject): ClaimSpec {
  return liveSpecOf(object, 'PersistentVolumeClaim') ?? {};
}

function requestedBytes(object: StoredObject): number {
  const q = specOf(object).resources?.requests?.storage;
  return q === undefined ? 0 : parseQuantity(q);
}

/** The storage class a claim gets: the one it names, else the namespace's only allowed one. */
function storageClassOf(object: StoredObject, ledger: PlanLedger): string | undefined {
  const named = specOf(object).storageClassName;
  if (named) return named;
  const allowed = ledger.policy(object.namespace)?.storagePolicies;
  return allowed?.length === 1 ? allowed[0] : undefined;
}

function checkLimits(desired: ManifestObject, bytes: number, ledger: PlanLedger): Admission | undefined {
  const bounds = ledger.limits(desired.namespace).PersistentVolumeClaim;
  const max = bounds.max['storage'];
  if (max !== undefined && bytes > max) return refused('LimitRangeViolation', `persistentvolumeclaims "${desired.name}" is forbidden: maximum storage usage per PersistentVolumeClaim is ${formatBytes(max)}, but request is ${formatBytes(bytes)}`);
  const min = bounds.min['storage'];
  if (min !== undefined && bytes < min) return refused('LimitRangeViolation', `persistentvolumeclaims "${desired.name}" is forbidden: minimum storage usage per PersistentVolumeClaim is ${formatBytes(min)}, but request is ${formatBytes(bytes)}`);
  return undefined;
}

function admitCreate(desired: ManifestObject, ctx: PlanContext): Admission {
  const { ledger } = ctx;
  if (!ledger.hasNamespace(desired.namespace)) return refused('NamespaceNotFound', `namespace ${desired.namespace} not found`);
  const object = storedObject(desired);
  const storageClass = storageClassOf(object, ledger);
  if (!storageClass) return refused('StorageClassNotFound', 'spec.storageClassName: Required value: the namespace has no single default storage class');
  const classVerdict = storageClassAdmission(desired.namespace, storageClass, ctx);
  if (classVerdict) return classVerdict;
  const bytes = requestedBytes(object);
  const limits = checkLimits(desired, bytes, ledger);
  if (limits) return limits;
  const consumption = claimConsumption(storageClass, bytes);
  const overQuota = ledger.checkQuota(desired.namespace, consumption);
  if (overQuota) return refused('QuotaExceeded', `persistentvolumeclaims "${desired.name}" is forbidden: ${overQuota}`);
  const placed = ledger.placeDisk(storageClass, bytes);
  if (!placed.ok) return refused('InsufficientResources', placed.error.message);
  ledger.addMember(desired.namespace, desired.key, consumption);
  ledger.putClaim(desired.namespace, desired.name, { capacityBytes: bytes, storageClass, accessModes: specOf(object).accessModes ?? [] });
  return { allowed: true, placement: { host: '-', datastore: placed.value.datastore }, notes: ledger.quotaNotes(desired.namespace, Object.keys(consumption)) };
}

function admitUpdate(desired: ManifestObject, live: ObservedObject, ctx: PlanContext): Admission {
  const before = specOf(live.object);
  const after = specOf(storedObject(desired));
  const disk = live.entity as Disk;
  const frozen = (s: ClaimSpec) => ({ ...s, resources: undefined });
  if (diffValues(frozen(before), frozen(after)).length) {
    return refused('Forbidden', `PersistentVolumeClaim "${desired.name}" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests for bound claims`);
  }
  const bytes = requestedBytes(storedObject(desired));
  if (bytes < disk.capacityBytes) return refused('Forbidden', `PersistentVolumeClaim "${desired.name}" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than previous value`);
  const limits = checkLimits(desired, bytes, ctx.ledger);
  if (limits) return limits;
  if (bytes === disk.capacityBytes) return ALLOWED;
  const delta = addAmounts(claimConsumption(disk.storagePolicy, bytes), claimConsumption(disk.storagePolicy, disk.capacityBytes), -1);
  const overQuota = ctx.ledger.checkQuota(desired.namespace, delta);
  if (overQuota) return refused('QuotaExceeded', `persistentvolumeclaims "${desired.name}" is forbidden: ${overQuota}`);
  ctx.ledger.charge(desired.namespace, delta);
  ctx.ledger.putClaim(desired.namespace, desired.name, { capacityBytes: bytes, storageClass: disk.storagePolicy, accessModes: after.accessModes ?? [] });
  return { ...ALLOWED, notes: [`disk grows from ${formatBytes(disk.capacityBytes)} to ${formatBytes(bytes)}`] };
}

export const persistentVolumeClaimReconciler: KindReconciler = {
  group: '',
  kind: 'PersistentVolumeClaim',

  observe: (inventory) => inventory.list('Disk').map((d) => observed('', d)),

  seed(live, ledger) {
    const disk = live.entity as Disk;
    ledger.addMember(live.namespace, live.key, claimConsumption(disk.storagePolicy, disk.capacityBytes));
    ledger.putClaim(live.namespace, live.name, { capacityBytes: disk.capacityBytes, storageClass: disk.storagePolicy, accessModes: specOf(live.object).accessModes ?? [] });
  },

  compare(desired, live, ctx) {
    const fields = diffValues(live && comparableObject(live.object, ctx), comparableObject(storedObject(desired), ctx));
    return live ? [...fields, ...encryptionFields((live.entity as Disk).crypto, desired.namespace, ctx)] : fields;
  },

  admit: (desired, live, _fields, ctx) => (live ? admitUpdate(desired, live, ctx) : admitCreate(desired, ctx)),

  admitDelete(live, { ledger }) {
    const consumers = [...(ledger.claim(live.namespace, live.name)?.consumers ?? [])];
    if (consumers.length) {
      return refused('InUse', `persistentvolumeclaim ${live.name} is in use by ${consumers.join(', ')}: it is deleted once they are gone`);
    }
    const disk = live.entity as Disk;
    ledger.removeMember(live.namespace, live.key, claimConsumption(disk.storagePolicy, disk.capacityBytes));
    ledger.removeClaim(live.namespace, live.name);
    ledger.freeDisk(disk.datastore, disk.capacityBytes);
    return ALLOWED;
  },

  apply(change, registry) {
    const disk = registry.find('Disk', change.namespace, change.name);
    if (change.action === 'delete') return disk ? deleteDisk(registry, disk) : ok(undefined);
    const object = storedObject(change.desired!);
    const crypto = requiredCryptoOf(registry, object.namespace);
    if (disk) {
      const updated = updateDisk(registry, disk, object, requestedBytes(object));
      return updated.ok && crypto && change.fields.some((f) => f.path.startsWith('status.crypto')) ? ok(setCrypto(registry, updated.value, crypto)) : updated;
    }
    const datastore = registry.list('Datastore').find((d) => d.name === change.admission.placement?.datastore);
    if (!datastore) return fail('NotFound', 'the plan carries no datastore for this claim');
    const storagePolicy = specOf(object).storageClassName ?? registry.list('StoragePolicy').find((p) => p.datastores.includes(datastore.id))!.name;
    const created = createDisk(registry, { object, capacityBytes: requestedBytes(object), storagePolicy, datastore: datastore.id });
    return created.ok && crypto ? ok(setCrypto(registry, created.value, crypto)) : created;
  },

  status(_desired, live, inventory, problem) {
    if (!live) return { conditions: [condition('Bound', 'False', problem?.reason ?? 'Pending', problem?.message ?? '')] };
    const disk = live.entity as Disk;
    const users = disk.attachedTo.map((id) => {
      const e = inventory.get('VirtualMachine', id) ?? inventory.get('Pod', id);
      return e ? `${e.type === 'Pod' ? 'Pod' : 'VirtualMachine'}/${e.name}` : id;
    });
    return {
      conditions: [condition('Bound', 'True', 'Bound', `disk ${disk.id} on ${inventory.get('Datastore', disk.datastore)?.name ?? disk.datastore}`)],
      fields: { phase: 'Bound', capacity: { storage: formatBytes(disk.capacityBytes) }, volumeName: disk.id, storageClassName: disk.storagePolicy, attachedTo: users, ...(disk.crypto?.encrypted ? { encrypted: true, keyProvider: disk.crypto.keyProvider } : {}) },
    };
  },
};
