/**
 * What hosts and datastores have committed, kept incrementally by the registry (every VM put or
 * removal adds or subtracts its load), so placement never rescans the inventory.
 */
import type { Entity, Host, VirtualMachine } from './model.js';

/** Load committed on a host. Reservations and demand count powered-on VMs; every VM takes a slot. */
export interface HostLoad {
  vms: number;
  cpuReservedMhz: number;
  memoryReservedBytes: number;
  /** vCPUs of powered-on VMs (demand as DRS's initial placement estimates it). */
  cpuDemandVcpus: number;
  memoryDemandBytes: number;
}

/** A host with its load: what placement scores. */
export interface HostUsage extends HostLoad {
  readonly host: Host;
}

export function emptyLoad(): HostLoad {
  return { vms: 0, cpuReservedMhz: 0, memoryReservedBytes: 0, cpuDemandVcpus: 0, memoryDemandBytes: 0 };
}

export function hostCpuCapacityMhz(host: Host): number {
  return host.cpuCores * host.cpuMhzPerCore;
}

type LoadingVm = Pick<VirtualMachine, 'powerState' | 'cpus' | 'memoryBytes' | 'cpuReservationMhz' | 'memoryReservationBytes'>;

/** Adds (sign 1) or removes (sign -1) a VM's load. */
export function addVmLoad(load: HostLoad, vm: LoadingVm, sign: 1 | -1 = 1): void {
  load.vms += sign;
  if (vm.powerState !== 'PoweredOn') return;
  load.cpuReservedMhz += sign * vm.cpuReservationMhz;
  load.memoryReservedBytes += sign * vm.memoryReservationBytes;
  load.cpuDemandVcpus += sign * vm.cpus;
  load.memoryDemandBytes += sign * vm.memoryBytes;
}

/** Incremental usage of hosts and datastores, maintained by the registry's index. */
export class UsageIndex {
  private readonly hosts = new Map<string, HostLoad>();
  private readonly datastores = new Map<string, number>();

  hostLoad(hostId: string): HostLoad {
    return { ...(this.hosts.get(hostId) ?? emptyLoad()) };
  }

  datastoreUsedBytes(datastoreId: string): number {
    return this.datastores.get(datastoreId) ?? 0;
  }

  add(e: Entity): void {
    this.apply(e, 1);
  }

  remove(e: Entity): void {
    this.apply(e, -1);
  }

  private apply(e: Entity, sign: 1 | -1): void {
    if (e.type !== 'VirtualMachine') return;
    let load = this.hosts.get(e.host);
    if (!load) this.hosts.set(e.host, (load = emptyLoad()));
    addVmLoad(load, e, sign);
    this.datastores.set(e.datastore, (this.datastores.get(e.datastore) ?? 0) + sign * e.diskBytes);
  }
}
