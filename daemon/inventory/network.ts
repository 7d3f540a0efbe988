/** The workload network's IP pool: leases handed out in order, kept for a VM's lifetime. */
import type { InventoryRegistry } from './registry.js';
import type { Network } from './model.js';
import { fail, ok, type TaskResult } from './faults.js';

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

/**
 * Leases the next free address of the network (the network address, the gateway and the broadcast
 * are never leased). After the pool wraps, it searches for an address no VM holds.
 */
export function leaseIp(registry: InventoryRegistry, network: Network): TaskResult<string> {
  const size = poolSize(network.cidr);
  let offset = network.nextOffset;
  if (offset >= size - 1) {
    const inUse = new Set(registry.list('VirtualMachine').map((vm) => vm.ip));
    offset = 2;
    while (offset < size - 1 && inUse.has(ipAt(network.cidr, offset))) offset++;
    if (offset >= size - 1) return fail('InsufficientResources', `network ${network.name} (${network.cidr}) has no free address`);
  }
  registry.put({ ...network, nextOffset: offset + 1 });
  return ok(ipAt(network.cidr, offset));
}
