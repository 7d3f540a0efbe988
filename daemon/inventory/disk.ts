/** First-class disks: what PersistentVolumeClaims become, attached to VMs and pod VMs. */
import { nameUuid } from '../base/ids.js';
import { fail, ok, type TaskResult } from './model/faults.js';
import type { Disk } from './model/workloads.js';
import type { StoredObject } from './model/stored-object.js';
import type { InventoryRegistry } from './registry.js';

export interface DiskSpec {
  readonly object: StoredObject;
  readonly capacityBytes: number;
  readonly storagePolicy: string;
  readonly datastore: string;
}

/** Creates a disk on a datastore, checking its free space as vCenter does. */
export function createDisk(registry: InventoryRegistry, spec: DiskSpec): TaskResult<Disk> {
  const { object } = spec;
  if (registry.find('Disk', object.namespace, object.name)) return fail('AlreadyExists', `disk for ${object.namespace}/${object.name} already exists`);
  const datastore = registry.get('Datastore', spec.datastore);
  if (!datastore) return fail('NotFound', `datastore ${spec.datastore} not found`);
  const free = datastore.capacityBytes - registry.datastoreUsedBytes(datastore.id);
  if (spec.capacityBytes > free) return fail('InsufficientResources', `datastore ${datastore.name} has ${free} bytes free, the disk needs ${spec.capacityBytes}`);
  const disk: Disk = {
    type: 'Disk',
    id: `fcd-${nameUuid(`disk/${object.namespace}/${object.name}/${registry.allocateId('')}`)}`,
    name: object.name,
    namespace: object.namespace,
    object,
    capacityBytes: spec.capacityBytes,
    storagePolicy: spec.storagePolicy,
    datastore: datastore.id,
    attachedTo: [],
  };
  registry.put(disk);
  return ok(disk);
}

/** Records a new claim object and grows the disk (a disk never shrinks). */
export function updateDisk(registry: InventoryRegistry, disk: Disk, object: StoredObject, capacityBytes: number): TaskResult<Disk> {
  if (capacityBytes < disk.capacityBytes) return fail('InvalidArgument', 'a disk cannot shrink');
  const datastore = registry.get('Datastore', disk.datastore)!;
  const free = datastore.capacityBytes - registry.datastoreUsedBytes(datastore.id);
  if (capacityBytes - disk.capacityBytes > free) return fail('InsufficientResources', `datastore ${datastore.name} has ${free} bytes free`);
  const updated = { ...disk, object, capacityBytes };
  registry.put(updated);
  return ok(updated);
}

/** Deletes a disk; vCenter refuses while it is attached. */
export function deleteDisk(registry: InventoryRegistry, disk: Disk): TaskResult<void> {
  if (disk.attachedTo.length) return fail('ResourceInUse', `disk ${disk.name} is attached to ${disk.attachedTo.join(', ')}`);
  registry.remove(disk.id);
  return ok(undefined);
}

/** Attaches the disks of these claims to a VM or pod VM. */
export function attachClaims(registry: InventoryRegistry, namespace: string, claims: readonly string[], consumerId: string): TaskResult<void> {
  for (const claim of claims) {
    const disk = registry.find('Disk', namespace, claim);
    if (!disk) return fail('NotFound', `persistentvolumeclaim "${claim}" not found`);
    if (!disk.attachedTo.includes(consumerId)) registry.put({ ...disk, attachedTo: [...disk.attachedTo, consumerId] });
  }
  return ok(undefined);
}

/** Detaches every disk from a VM or pod VM (it is being deleted), or the ones not in `keep`. */
export function detachDisks(registry: InventoryRegistry, namespace: string, consumerId: string, keep: readonly string[] = []): void {
  for (const disk of registry.inNamespace('Disk', namespace)) {
    if (disk.attachedTo.includes(consumerId) && !keep.includes(disk.name)) registry.put({ ...disk, attachedTo: disk.attachedTo.filter((id) => id !== consumerId) });
  }
}
