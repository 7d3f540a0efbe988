/** The workload network's IP pool: leases handed out in order, kept for a VM's lifetime. */
import type { Network, NetworkPurpose } from './model/infrastructure.js';
import type { InventoryReader, InventoryRegistry } from './registry.js';
import { fail, ok, type TaskResult } from './model/faults.js';

function toInt(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function toIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

function poolSize(cidr: string): number {
  return 2 ** (32 - Number(cidr.split('/')[1]));
}

/** The address at `offset` inside a CIDR (offset 1 is the gateway). */
export function ipAt(cidr: string, offset: number): string {
  const base = toInt(cidr.split('/')[0]!);
  const size = poolSize(cidr);
  return toIp(base - (base % size) + offset);
}

/** The first IP pool of a purpose (workload networks are VMs' and pods'). */
export function networkFor(inventory: InventoryReader, purpose: NetworkPurpose): Network | undefined {
  // State dirs made before pools had a purpose hold only the workload network.
  return inventory.list('Network').find((n) => (n.purpose ?? 'workload') === purpose);
}

/** Every address held now, by VMs, pods and services. */
function addressesInUse(registry: InventoryReader): Set<string | undefined> {
  return new Set([
    ...registry.list('VirtualMachine').map((vm) => vm.ip),
    ...registry.list('Pod').map((p) => p.ip),
    ...registry.list('Service').flatMap((s) => [s.clusterIP, s.loadBalancerIP]),
  ]);
}

/** Leases the next free address of the pool of a purpose. */
export function leaseFrom(registry: InventoryRegistry, purpose: NetworkPurpose): TaskResult<string> {
  const network = networkFor(registry, purpose);
  return network ? leaseIp(registry, network) : fail('NotFound', `no ${purpose} network in the inventory`);
}

/**
 * Leases the next free address of the network (the network address, the gateway and the broadcast
 * are never leased). After the pool wraps, it searches for an address nobody holds.
 */
export function leaseIp(registry: InventoryRegistry, network: Network): TaskResult<string> {
  const size = poolSize(network.cidr);
  let offset = network.nextOffset;
  if (offset >= size - 1) {
    const inUse = addressesInUse(registry);
    offset = 2;
    while (offset < size - 1 && inUse.has(ipAt(network.cidr, offset))) offset++;
    if (offset >= size - 1) return fail('InsufficientResources', `network ${network.name} (${network.cidr}) has no free address`);
  }
  registry.put({ ...network, nextOffset: offset + 1 });
  return ok(ipAt(network.cidr, offset));
}
