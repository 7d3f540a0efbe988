/**
 * VirtualMachineSnapshot (v1alpha5+) → a snapshot of a VM, counted against the namespace's storage
 * quota (its delta disks, and its memory when `spec.memory`). A VM reverts to one through
 * `spec.currentSnapshotName`. A snapshot is immutable but for its description.
 */
import { snapshotConsumption } from '../../capacity/consumption.js';
import { createVmSnapshot, deleteVmSnapshot, snapshotSize, updateVmSnapshot } from '../../inventory/snapshot.js';
import { ok } from '../../inventory/model/faults.js';
import { resolveImage, usableLibraries } from '../../inventory/content-library.js';
import type { Snapshot } from '../../inventory/model/workloads.js';
import { objectKey, type ManifestObject } from '../../manifests/types.js';
import { diffValues } from '../../plan/diff-fields.js';
import type { Admission, KindReconciler, PlanContext } from '../../plan/contract.js';
import { formatBytes } from '../../base/quantity.js';
import { ALLOWED, comparableObject, condition, observed, refused, storedObject } from '../../plan/contract.js';
import { imageRef, vmSpec } from './virtual-machine-spec.js';
import { specOf, type SpecOf } from '../../manifests/typed-spec.js';

const GROUP = 'vmoperator.vmware.com';

type SnapshotSpec = NonNullable<SpecOf<'VirtualMachineSnapshot'>>;

/** The size a snapshot will take: from the live VM, or (for a VM created in the same plan) its image and class. */
function plannedSize(desired: ManifestObject, spec: SnapshotSpec, ctx: PlanContext): number | undefined {
  const live = ctx.inventory.find('VirtualMachine', desired.namespace, spec.vmName!);
  if (live) return snapshotSize(live, spec.memory ?? false);
  const planned = ctx.desired.get(objectKey(GROUP, 'VirtualMachine', desired.namespace, spec.vmName!));
  if (!planned) return undefined;
  const vm = vmSpec(storedObject(planned));
  const image = resolveImage(ctx.inventory, imageRef(vm) ?? '', usableLibraries(ctx.ledger.policy(desired.namespace)));
  const size = ctx.ledger.resolveClass(desired.namespace, vm.className ?? '');
  return snapshotSize({ diskBytes: image.ok ? image.value.diskCapacityBytes : 0, memoryBytes: size?.memoryBytes ?? 0 }, spec.memory ?? false);
}

function admitCreate(desired: ManifestObject, ctx: PlanContext): Admission {
  if (!ctx.ledger.hasNamespace(desired.namespace)) return refused('NamespaceNotFound', `namespace ${desired.namespace} not found`);
  const spec = specOf(desired, 'VirtualMachineSnapshot') ?? {};
  if (!spec.vmName) return refused('Invalid', 'spec.vmName: Required value');
  const bytes = plannedSize(desired, spec, ctx);
  if (bytes === undefined) return refused('NotFound', `virtualmachines.vmoperator.vmware.com "${spec.vmName}" not found`);
  const storagePolicy = ctx.inventory.find('VirtualMachine', desired.namespace, spec.vmName)?.storagePolicy
    ?? vmSpec(storedObject(ctx.desired.get(objectKey(GROUP, 'VirtualMachine', desired.namespace, spec.vmName))!)).storageClass
    ?? '';
  const consumption = snapshotConsumption({ sizeBytes: bytes, storagePolicy });
  const over = ctx.ledger.checkQuota(desired.namespace, consumption);
  if (over) return refused('QuotaExceeded', `virtualmachinesnapshots "${desired.name}" is forbidden: ${over}`);
  ctx.ledger.addMember(desired.namespace, desired.key, consumption);
  return { ...ALLOWED, notes: [`snapshot of ${spec.vmName}: ${formatBytes(bytes)}${spec.memory ? ' including memory' : ''}`, ...ctx.ledger.quotaNotes(desired.namespace, Object.keys(consumption))] };
}

export const virtualMachineSnapshotReconciler: KindReconciler = {
  group: GROUP,
  kind: 'VirtualMachineSnapshot',

  *observe(inventory) {
    for (const s of inventory.list('Snapshot')) if (s.object) yield observed(GROUP, s as Snapshot & { object: NonNullable<Snapshot['object']> });
  },

  // Its storage is charged with every snapshot's when the ledger is built.
  seed: (live, ledger) => ledger.addMember(live.namespace, live.key),

  compare: (desired, live, ctx) => diffValues(live && comparableObject(live.object, ctx), comparableObject(storedObject(desired), ctx)),

  admit(desired, live, fields, ctx) {
    if (!live) return admitCreate(desired, ctx);
    return fields.every((f) => f.path.startsWith('metadata.') || f.path === 'spec.description') ? ALLOWED : refused('Immutable', 'spec: Forbidden: a snapshot cannot change, only its description');
  },

  admitDelete(live, { ledger }) {
    const s = live.entity as Snapshot;
    ledger.removeMember(live.namespace, live.key, snapshotConsumption(s));
    return ALLOWED;
  },

  apply(change, registry, ctx) {
    const existing = registry.inNamespace('Snapshot', change.namespace).find((s) => s.object?.name === change.name);
    if (change.action === 'delete') return existing ? deleteVmSnapshot(registry, existing) : ok(undefined);
    const object = storedObject(change.desired!);
    const spec = specOf(change.desired!, 'VirtualMachineSnapshot') ?? {};
    return existing ? updateVmSnapshot(registry, existing, object) : createVmSnapshot(registry, object, spec.vmName!, spec.memory ?? false, ctx.now);
  },

  status(desired, live, inventory, problem) {
    if (!live) return { conditions: [condition('VirtualMachineSnapshotReady', 'False', problem?.reason ?? 'Pending', problem?.message ?? '')] };
    const s = live.entity as Snapshot;
    return {
      conditions: [condition('VirtualMachineSnapshotReady', 'True', 'True', `of ${inventory.get('VirtualMachine', s.vm)?.name ?? s.vm}`)],
      fields: { vmName: specOf(desired, 'VirtualMachineSnapshot')?.vmName, size: formatBytes(s.sizeBytes), memory: s.memory ?? false, powerState: s.powerState, creationTime: new Date(s.createdAt).toISOString() },
    };
  },
};
