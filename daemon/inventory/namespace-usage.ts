import type { InventoryReader } from './registry.js';
import { claimConsumption, podConsumption, snapshotConsumption, vmConsumption } from '../capacity/consumption.js';
import type { ResourceAmounts } from '../capacity/quota.js';

/** What a namespace's VMs, pods, disks and snapshots consume now. */
export function namespaceUsage(inventory: InventoryReader, namespace: string): Record<string, number> {
  const used: Record<string, number> = {};
  const add = (amounts: ResourceAmounts) => {
    for (const [r, v] of Object.entries(amounts)) used[r] = (used[r] ?? 0) + v;
  };
  for (const vm of inventory.inNamespace('VirtualMachine', namespace)) add(vmConsumption({ ...vm, storageClass: vm.storagePolicy }));
  for (const pod of inventory.inNamespace('Pod', namespace)) add(podConsumption(pod));
  for (const disk of inventory.inNamespace('Disk', namespace)) add(claimConsumption(disk.storagePolicy, disk.capacityBytes));
  for (const snapshot of inventory.inNamespace('Snapshot', namespace)) add(snapshotConsumption(snapshot));
  return used;
}
