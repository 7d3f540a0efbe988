/**
 * VM snapshots taken on request (VirtualMachineSnapshot): delta disks on the VM's datastore,
 * counted against storage quota; a memory snapshot also keeps the power state. Reverting puts the
 * VM back to the snapshot: powered off, unless the snapshot holds memory.
 */
import { fail, ok, type TaskResult } from './model/faults.js';
import type { Snapshot, VirtualMachine } from './model/workloads.js';
import type { StoredObject } from './model/stored-object.js';
import type { InventoryReader, InventoryRegistry } from './registry.js';
import { SNAPSHOT_DELTA_FRACTION } from './snapshot-schedule.js';

/** Storage a snapshot of this VM takes: the changed blocks of its disks, plus its memory if asked. */
export function snapshotSize(vm: Pick<VirtualMachine, 'diskBytes' | 'memoryBytes'>, memory: boolean): number {
  return Math.ceil(vm.diskBytes * SNAPSHOT_DELTA_FRACTION) + (memory ? vm.memoryBytes : 0);
}

export function findVmSnapshot(inventory: InventoryReader, namespace: string, name: string): Snapshot | undefined {
  return inventory.inNamespace('Snapshot', namespace).find((s) => s.object?.name === name);
}

/** Takes a snapshot of a VM. */
export function createVmSnapshot(registry: InventoryRegistry, object: StoredObject, vmName: string, memory: boolean, now: number): TaskResult<Snapshot> {
  const vm = registry.find('VirtualMachine', object.namespace, vmName);
  if (!vm) return fail('NotFound', `virtualmachines.vmoperator.vmware.com "${vmName}" not found`);
  const snapshot: Snapshot = {
    type: 'Snapshot',
    id: `snapshot-${vm.id}-${object.name}`,
    name: object.name,
    namespace: object.namespace,
    vm: vm.id,
    createdAt: now,
    sizeBytes: snapshotSize(vm, memory),
    storagePolicy: vm.storagePolicy,
    datastore: vm.datastore,
    object,
    memory,
    powerState: vm.powerState,
  };
  registry.put(snapshot);
  return ok(snapshot);
}

/** Records a snapshot's new description (the only thing a snapshot lets change). */
export function updateVmSnapshot(registry: InventoryRegistry, snapshot: Snapshot, object: StoredObject): TaskResult<Snapshot> {
  const updated = { ...snapshot, object };
  registry.put(updated);
  return ok(updated);
}

export function deleteVmSnapshot(registry: InventoryRegistry, snapshot: Snapshot): TaskResult<void> {
  registry.remove(snapshot.id);
  return ok(undefined);
}

/** Reverts a VM to one of its snapshots. */
export function revertVirtualMachine(registry: InventoryRegistry, vm: VirtualMachine, snapshotName: string): TaskResult<VirtualMachine> {
  const snapshot = findVmSnapshot(registry, vm.namespace, snapshotName);
  if (!snapshot || snapshot.vm !== vm.id) return fail('NotFound', `virtualmachinesnapshots.vmoperator.vmware.com "${snapshotName}" not found for VM ${vm.name}`);
  const reverted: VirtualMachine = { ...vm, currentSnapshot: snapshotName, powerState: snapshot.memory ? (snapshot.powerState ?? vm.powerState) : 'PoweredOff' };
  registry.put(reverted);
  return ok(reverted);
}
