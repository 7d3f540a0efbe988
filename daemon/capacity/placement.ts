/**
 * DRS-like initial placement, pure: filter hosts that can take the VM (connected, under the VM
 * count maximum, enough unreserved CPU and memory for its reservation, large enough for its
 * size), then pick the least loaded, breaking ties with a seeded hash so results are reproducible.
 */
import { createHash } from 'node:crypto';
import { fail, ok, type TaskResult } from '../inventory/model/faults.js';
import { hostCpuCapacityMhz, type HostUsage } from './usage.js';
import { formatBytes } from '../base/quantity.js';

export interface PlacementRequest {
  /** Stable identity of the workload (object key): part of the tie-break. */
  readonly key: string;
  /** A VM takes a VM slot of its host; a vSphere Pod a pod slot. */
  readonly workload?: 'vm' | 'pod';
  readonly cpus: number;
  readonly memoryBytes: number;
  /** CPU reservation as the class states it; a host turns it into MHz at its clock speed. */
  readonly cpuReservationMillis: number;
  readonly memoryReservationBytes: number;
  /** Counts as demand on the chosen host (powered-on at creation). */
  readonly poweredOn: boolean;
  /** Host names the workload's namespace is pinned to (NamespacePolicy placement); any host when absent. */
  readonly allowedHosts?: ReadonlySet<string>;
  /** Hosts already running members of the workload's cluster module: avoided when another host can take it. */
  readonly avoidHosts?: ReadonlySet<string>;
}

/** Logical processors per core: ESXi schedules vCPUs on hyperthreads, so a VM may have up to 2× cores. */
const THREADS_PER_CORE = 2;

/** CPU reservation in MHz on a host: vm-operator's CPUQuantityToMhz, ceil(milli × MHz / 1000). */
export function cpuReservationMhz(millis: number, cpuMhzPerCore: number): number {
  return Math.ceil((millis * cpuMhzPerCore) / 1000);
}

function tieBreak(seed: string, key: string, hostId: string): string {
  return createHash('sha1').update(`${seed}\u0000${key}\u0000${hostId}`).digest('hex');
}

function loadAfter(u: HostUsage, req: PlacementRequest): number {
  const cpu = ((u.cpuDemandVcpus + (req.poweredOn ? req.cpus : 0)) * u.host.cpuMhzPerCore) / hostCpuCapacityMhz(u.host);
  const mem = (u.memoryDemandBytes + (req.poweredOn ? req.memoryBytes : 0)) / u.host.memoryBytes;
  return Math.max(cpu, mem);
}

function ghz(mhz: number): string {
  return `${(mhz / 1000).toFixed(1)} GHz`;
}

/** Why a host cannot take the VM, or undefined when it can. */
export function hostRejection(u: HostUsage, req: PlacementRequest): string | undefined {
  const h = u.host;
  if (h.state !== 'connected') return `${h.name} is ${h.state}`;
  if (req.allowedHosts && !req.allowedHosts.has(h.name)) return `${h.name} is outside the namespace's host placement`;
  if (req.workload === 'pod') {
    if (u.pods >= h.maxPods) return `${h.name} has ${u.pods} of ${h.maxPods} vSphere Pods`;
  } else if (u.vms >= h.maxVms) return `${h.name} has ${u.vms} of ${h.maxVms} VMs`;
  const what = req.workload === 'pod' ? 'pod' : 'VM';
  if (req.cpus > h.cpuCores * THREADS_PER_CORE) return `${h.name} has ${h.cpuCores * THREADS_PER_CORE} logical CPUs, ${what} needs ${req.cpus}`;
  if (req.memoryBytes > h.memoryBytes) return `${h.name} has ${formatBytes(h.memoryBytes)} memory, ${what} needs ${formatBytes(req.memoryBytes)}`;
  const freeCpu = hostCpuCapacityMhz(h) - u.cpuReservedMhz;
  const reserveMhz = cpuReservationMhz(req.cpuReservationMillis, h.cpuMhzPerCore);
  if (reserveMhz > freeCpu) return `${h.name} has ${ghz(freeCpu)} CPU unreserved, ${what} reserves ${ghz(reserveMhz)}`;
  const freeMem = h.memoryBytes - u.memoryReservedBytes;
  if (req.memoryReservationBytes > freeMem) return `${h.name} has ${formatBytes(freeMem)} memory unreserved, ${what} reserves ${formatBytes(req.memoryReservationBytes)}`;
  return undefined;
}

/**
 * vSphere HA admission control (cluster resource percentage from "host failures to tolerate"):
 * powering on must leave the reserved CPU and memory within what the cluster keeps after losing
 * its largest `failures` hosts. Undefined when the request is admitted, else why not.
 */
export function haAdmission(hosts: readonly HostUsage[], req: PlacementRequest, failures: number): string | undefined {
  if (!req.poweredOn || failures <= 0) return undefined;
  const up = hosts.filter((u) => u.host.state === 'connected');
  if (up.length <= failures) return undefined; // nothing to keep in reserve for: HA cannot protect this cluster anyway
  const spare = (values: number[]) => values.sort((a, b) => b - a).slice(0, failures).reduce((a, b) => a + b, 0);
  const cpuCapacity = up.reduce((sum, u) => sum + hostCpuCapacityMhz(u.host), 0);
  const memCapacity = up.reduce((sum, u) => sum + u.host.memoryBytes, 0);
  const cpuAllowed = cpuCapacity - spare(up.map((u) => hostCpuCapacityMhz(u.host)));
  const memAllowed = memCapacity - spare(up.map((u) => u.host.memoryBytes));
  const mhzPerCore = Math.min(...up.map((u) => u.host.cpuMhzPerCore));
  const cpuAfter = up.reduce((sum, u) => sum + u.cpuReservedMhz, 0) + cpuReservationMhz(req.cpuReservationMillis, mhzPerCore);
  const memAfter = up.reduce((sum, u) => sum + u.memoryReservedBytes, 0) + req.memoryReservationBytes;
  const keep = `capacity of ${failures} host${failures > 1 ? 's' : ''} kept for failover`;
  if (cpuAfter > cpuAllowed) return `vSphere HA admission control: CPU reservations would reach ${ghz(cpuAfter)} of ${ghz(cpuAllowed)} allowed (${keep})`;
  if (memAfter > memAllowed) return `vSphere HA admission control: memory reservations would reach ${formatBytes(memAfter)} of ${formatBytes(memAllowed)} allowed (${keep})`;
  return undefined;
}

/**
 * Chooses a host. Faults: `NoAvailableHosts` when no host is connected, `InsufficientResources`
 * when connected hosts exist but none can take the VM (the message names each host's shortfall)
 * or vSphere HA admission control would lose the cluster's failover capacity.
 */
export function placeVm(hosts: Iterable<HostUsage>, req: PlacementRequest, seed = 'pacific', haFailures = 0): TaskResult<HostUsage> {
  const all = [...hosts];
  const connected = all.filter((u) => u.host.state === 'connected');
  if (connected.length === 0) {
    const states = all.map((u) => `${u.host.name} ${u.host.state}`).join(', ');
    return fail('NoAvailableHosts', `no connected host to place the ${req.workload === 'pod' ? 'vSphere Pod' : 'VM'} on${states ? ` (${states})` : ''}`);
  }
  const candidates: HostUsage[] = [];
  const reasons: string[] = [];
  for (const u of connected) {
    const why = hostRejection(u, req);
    if (why) reasons.push(why);
    else candidates.push(u);
  }
  const what = req.workload === 'pod' ? 'vSphere Pod' : 'VM';
  if (candidates.length === 0) return fail('InsufficientResources', `no host can take the ${what}: ${reasons.join('; ')}`);
  const ha = haAdmission(all, req, haFailures);
  if (ha) return fail('InsufficientResources', ha);
  // Cluster-module anti-affinity is a preference, as vSphere's cluster modules are: kept when it can be.
  const apart = req.avoidHosts ? candidates.filter((u) => !req.avoidHosts!.has(u.host.id)) : [];
  if (apart.length) candidates.splice(0, candidates.length, ...apart);
  let best = candidates[0]!;
  let bestLoad = loadAfter(best, req);
  // The seeded hash only decides between equally loaded hosts: computed only then.
  let bestTie: string | undefined;
  for (const u of candidates.slice(1)) {
    const load = loadAfter(u, req);
    if (load < bestLoad - 1e-12) {
      best = u;
      bestLoad = load;
      bestTie = undefined;
    } else if (Math.abs(load - bestLoad) <= 1e-12) {
      const tie = tieBreak(seed, req.key, u.host.id);
      bestTie ??= tieBreak(seed, req.key, best.host.id);
      if (tie < bestTie) {
        best = u;
        bestLoad = load;
        bestTie = tie;
      }
    }
  }
  return ok(best);
}

