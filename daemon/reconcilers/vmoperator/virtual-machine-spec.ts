/** Reading a VirtualMachine spec the way vm-operator does, across v1alpha2..v1alpha6. */
import type { PowerState, StoredObject, VirtualMachine } from '../../inventory/model.js';
import type { PlacementRequest } from '../../inventory/placement.js';
import type { ClassSize } from '../../plan/ledger.js';
import { vmConsumption } from '../../inventory/consumption.js';
import type { ResourceAmounts } from '../../quota.js';

export interface VmSpec {
  readonly className?: string;
  readonly imageName?: string;
  readonly image?: { readonly kind?: string; readonly name?: string };
  readonly storageClass?: string;
  readonly powerState?: PowerState;
  readonly nextRestartTime?: string;
}

export function vmSpec(object: StoredObject): VmSpec {
  return (object.spec ?? {}) as VmSpec;
}

/** The desired power state; vm-operator's mutating webhook defaults an empty one to PoweredOn. */
export function targetPowerState(spec: VmSpec): PowerState {
  return spec.powerState ?? 'PoweredOn';
}

/** The image a spec names: `spec.image.name` (v1alpha3+) or `spec.imageName`. */
export function imageRef(spec: VmSpec): string | undefined {
  return spec.image?.name ?? spec.imageName;
}

/** vm-operator resizes only across a power-off: when the VM ends powered off, or goes from off to on. */
export function resizesNow(actual: PowerState, target: PowerState): boolean {
  return target === 'PoweredOff' || (actual === 'PoweredOff' && target === 'PoweredOn');
}

export function classRequest(key: string, size: ClassSize, poweredOn: boolean): PlacementRequest {
  return {
    key,
    cpus: size.cpus,
    memoryBytes: size.memoryBytes,
    cpuReservationMillis: size.cpuReservationMillis,
    memoryReservationBytes: size.memoryReservationBytes,
    poweredOn,
  };
}

/** What a live VM counts against its namespace's quota. */
export function liveConsumption(vm: VirtualMachine): ResourceAmounts {
  return vmConsumption({ ...vm, storageClass: vm.storagePolicy });
}

/** True when the VM's configuration differs from the class it should have. */
export function differsFromClass(vm: VirtualMachine, size: ClassSize): boolean {
  return (
    vm.className !== size.name ||
    vm.cpus !== size.cpus ||
    vm.memoryBytes !== size.memoryBytes ||
    vm.cpuReservationMillis !== size.cpuReservationMillis ||
    vm.memoryReservationBytes !== size.memoryReservationBytes
  );
}
