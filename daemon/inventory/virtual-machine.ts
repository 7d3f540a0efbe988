/**
 * VirtualMachine tasks: the vCenter operations the VM operator path performs. Each checks what
 * vSphere checks (power state, host capacity for reservations at power-on) and returns a fault
 * as a value; callers run them inside a registry transaction.
 */
import type { InventoryReader, InventoryRegistry } from './registry.js';
import { simulatorSettings } from './settings.js';
import type { HostUsage } from '../capacity/usage.js';
import type { LibraryItem, PowerState, StoragePolicy, VmClass } from './model/infrastructure.js';
import type { StoredObject } from './model/stored-object.js';
import type { VirtualMachine } from './model/workloads.js';
import { fail, ok, type TaskResult } from './model/faults.js';
import { cpuReservationMhz, haAdmission, hostRejection, type PlacementRequest } from '../capacity/placement.js';
import { leaseFrom } from './network.js';
import { nameUuid } from '../base/ids.js';
import { detachDisks } from './disk.js';

export interface VirtualMachineCreateSpec {
  readonly object: StoredObject;
  readonly vmClass: VmClass;
  readonly image: LibraryItem;
  readonly storagePolicy: StoragePolicy;
  readonly host: string;
  readonly datastore: string;
  readonly powerState: PowerState;
}

/** What a VM asks of a host when it runs. */
export function placementOf(vm: Pick<VirtualMachine, 'cpus' | 'memoryBytes' | 'cpuReservationMillis' | 'memoryReservationBytes'>, key: string, poweredOn = true): PlacementRequest {
  return {
    key,
    cpus: vm.cpus,
    memoryBytes: vm.memoryBytes,
    cpuReservationMillis: vm.cpuReservationMillis,
    memoryReservationBytes: vm.memoryReservationBytes,
    poweredOn,
  };
}

/** Every host with its committed load (for cluster-wide checks such as HA admission control). */
export function hostUsages(registry: InventoryReader): HostUsage[] {
  return registry.list('Host').map((host) => ({ host, ...registry.hostLoad(host.id) }));
}

/**
 * vSphere admission control at power-on: the host must have the VM's reservation unreserved, and
 * vSphere HA must keep its failover capacity.
 */
function admitPowerOn(registry: InventoryRegistry, vm: VirtualMachine): TaskResult<void> {
  const host = registry.get('Host', vm.host);
  if (!host) return fail('NotFound', `host ${vm.host} of VM ${vm.name} not found`);
  // The VM's own slot is already counted; check the reservation as if it were a new arrival.
  const load = registry.hostLoad(vm.host);
  const req = placementOf(vm, vm.id);
  const why = hostRejection({ host, ...load, vms: load.vms - 1 }, req) ?? haAdmission(hostUsages(registry), req, simulatorSettings(registry).hostFailuresToTolerate);
  return why ? fail(host.state === 'connected' ? 'InsufficientResources' : 'NoAvailableHosts', why) : ok(undefined);
}

/** Deploys a VM from a library item onto a chosen host and datastore, then powers it on if asked. */
export function createVirtualMachine(registry: InventoryRegistry, spec: VirtualMachineCreateSpec): TaskResult<VirtualMachine> {
  const { object } = spec;
  if (registry.find('VirtualMachine', object.namespace, object.name)) {
    return fail('AlreadyExists', `VirtualMachine ${object.namespace}/${object.name} already exists`);
  }
  const host = registry.get('Host', spec.host);
  if (!host) return fail('NotFound', `host ${spec.host} not found`);
  const datastore = registry.get('Datastore', spec.datastore);
  if (!datastore) return fail('NotFound', `datastore ${spec.datastore} not found`);
  const free = datastore.capacityBytes - registry.datastoreUsedBytes(datastore.id);
  if (spec.image.diskCapacityBytes > free) {
    return fail('InsufficientResources', `datastore ${datastore.name} has ${free} bytes free, the image disk needs ${spec.image.diskCapacityBytes}`);
  }
  const id = registry.allocateId('vm-');
  const vm: VirtualMachine = {
    type: 'VirtualMachine',
    id,
    name: object.name,
    namespace: object.namespace,
    object,
    className: spec.vmClass.name,
    imageName: spec.image.imageName,
    storagePolicy: spec.storagePolicy.name,
    cpus: spec.vmClass.cpus,
    memoryBytes: spec.vmClass.memoryBytes,
    cpuReservationMillis: spec.vmClass.cpuReservationMillis,
    cpuReservationMhz: cpuReservationMhz(spec.vmClass.cpuReservationMillis, host.cpuMhzPerCore),
    memoryReservationBytes: spec.vmClass.memoryReservationBytes,
    diskBytes: spec.image.diskCapacityBytes,
    host: host.id,
    datastore: datastore.id,
    powerState: 'PoweredOff',
    biosUUID: nameUuid(`bios/${id}/${object.namespace}/${object.name}`),
    instanceUUID: nameUuid(`instance/${id}/${object.namespace}/${object.name}`),
  };
  const why = hostRejection({ host, ...registry.hostLoad(host.id) }, placementOf(vm, id, false));
  if (why) return fail(host.state === 'connected' ? 'InsufficientResources' : 'NoAvailableHosts', why);
  registry.put(vm);
  return spec.powerState === 'PoweredOff' ? ok(vm) : setPowerState(registry, vm, spec.powerState);
}

/** Records a new desired object (labels, annotations, spec) on an existing VM. */
export function recordVirtualMachineObject(registry: InventoryRegistry, vm: VirtualMachine, object: StoredObject, className = vm.className): VirtualMachine {
  const updated: VirtualMachine = { ...vm, object, className };
  registry.put(updated);
  return updated;
}

/** Applies a class's size to a powered-off VM (vm-operator resizes only across a power-off). */
export function resizeVirtualMachine(registry: InventoryRegistry, vm: VirtualMachine, vmClass: VmClass): TaskResult<VirtualMachine> {
  if (vm.powerState !== 'PoweredOff') {
    return fail('InvalidPowerState', `VM ${vm.namespace}/${vm.name} must be powered off to resize (it is ${vm.powerState})`);
  }
  const host = registry.get('Host', vm.host);
  const updated: VirtualMachine = {
    ...vm,
    className: vmClass.name,
    cpus: vmClass.cpus,
    memoryBytes: vmClass.memoryBytes,
    cpuReservationMillis: vmClass.cpuReservationMillis,
    cpuReservationMhz: cpuReservationMhz(vmClass.cpuReservationMillis, host?.cpuMhzPerCore ?? 0),
    memoryReservationBytes: vmClass.memoryReservationBytes,
  };
  registry.put(updated);
  return ok(updated);
}

/** Moves a VM to a power state; powering on checks reservations and leases an IP the first time. */
export function setPowerState(registry: InventoryRegistry, vm: VirtualMachine, target: PowerState): TaskResult<VirtualMachine> {
  if (vm.powerState === target) return ok(vm);
  if (target === 'Suspended' && vm.powerState !== 'PoweredOn') {
    return fail('InvalidPowerState', `cannot suspend VM ${vm.namespace}/${vm.name}: it is ${vm.powerState}`);
  }
  let ip = vm.ip;
  if (target === 'PoweredOn') {
    const admitted = admitPowerOn(registry, vm);
    if (!admitted.ok) return admitted;
    if (!ip) {
      const lease = leaseFrom(registry, 'workload');
      if (!lease.ok) return lease;
      ip = lease.value;
    }
  }
  const updated: VirtualMachine = { ...vm, powerState: target, ...(ip ? { ip } : {}) };
  registry.put(updated);
  return ok(updated);
}

/** Restarts a powered-on VM (spec.nextRestartTime) and remembers which request it honoured. */
export function restartVirtualMachine(registry: InventoryRegistry, vm: VirtualMachine, requestedAt: string): TaskResult<VirtualMachine> {
  if (vm.powerState !== 'PoweredOn') return fail('InvalidPowerState', 'can only restart powered on vm');
  const updated: VirtualMachine = { ...vm, lastRestartTime: requestedAt };
  registry.put(updated);
  return ok(updated);
}

/** Destroys a VM; vSphere refuses to destroy a powered-on VM, so callers power off first. */
export function destroyVirtualMachine(registry: InventoryRegistry, vm: VirtualMachine): TaskResult<void> {
  if (vm.powerState !== 'PoweredOff') return fail('InvalidPowerState', `VM ${vm.namespace}/${vm.name} must be powered off to destroy (it is ${vm.powerState})`);
  detachDisks(registry, vm.namespace, vm.id);
  registry.remove(vm.id);
  return ok(undefined);
}
