/**
 * What hosts and datastores have committed, kept incrementally by the registry (every VM put or
 * removal adds or subtracts its load), so placement never rescans the inventory.
 */
import type { Entity } from '../inventory/model/entity.js';
import type { Host } from '../inventory/model/infrastructure.js';
import type { Pod, VirtualMachine } from '../inventory/model/workloads.js';

/** Load committed on a host. Reservations and demand count running workloads; each takes a VM or pod slot. */
export interface HostLoad {
  vms: number;
  pods: number;
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
  return { vms: 0, pods: 0, cpuReservedMhz: 0, memoryReservedBytes: 0, cpuDemandVcpus: 0, memoryDemandBytes: 0 };
}

export function hostCpuCapacityMhz(host: Host): number {
  return host.cpuCores * host.cpuMhzPerCore;
}

/** What a workload puts on its host: a slot, and reservations and demand while it runs. */
export interface WorkloadLoad {
  readonly workload: 'vm' | 'pod';
  readonly running: boolean;
  readonly cpus: number;
  readonly memoryBytes: number;
  readonly cpuReservationMhz: number;
  readonly memoryReservationBytes: number;
}

/** The load of a VM (running when powered on) or a pod (running from creation: its pod VM is on). */
export function workloadLoad(e: VirtualMachine | Pod): WorkloadLoad {
  return e.type === 'Pod' ? { ...e, workload: 'pod', running: e.phase !== 'Failed' } : { ...e, workload: 'vm', running: e.powerState === 'PoweredOn' };
}

/** Adds (sign 1) or removes (sign -1) a workload's load. */
export function addLoad(load: HostLoad, w: WorkloadLoad, sign: 1 | -1 = 1): void {
  if (w.workload === 'pod') load.pods += sign;
  else load.vms += sign;
  if (!w.running) return;
  load.cpuReservedMhz += sign * w.cpuReservationMhz;
  load.memoryReservedBytes += sign * w.memoryReservationBytes;
  load.cpuDemandVcpus += sign * w.cpus;
  load.memoryDemandBytes += sign * w.memoryBytes;
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
    if (e.type === 'Disk' || e.type === 'Snapshot') {
      const bytes = e.type === 'Disk' ? e.capacityBytes : e.sizeBytes;
      this.datastores.set(e.datastore, (this.datastores.get(e.datastore) ?? 0) + sign * bytes);
      return;
    }
    if (e.type !== 'VirtualMachine' && e.type !== 'Pod') return;
    let load = this.hosts.get(e.host);
    if (!load) this.hosts.set(e.host, (load = emptyLoad()));
    addLoad(load, workloadLoad(e), sign);
    if (e.type === 'VirtualMachine') this.datastores.set(e.datastore, (this.datastores.get(e.datastore) ?? 0) + sign * e.diskBytes);
  }
}
