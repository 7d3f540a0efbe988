/**
 * Out-of-band operations, as a vCenter administrator would perform them behind the GitOps
 * reconciler's back. They exist so drift can be caused on purpose; the next resync corrects it.
 */
import { fail, ok, type TaskResult } from './model/faults.js';
import type { VirtualMachine } from './model/workloads.js';
import type { InventoryRegistry } from './registry.js';
import { destroyVirtualMachine, setPowerState } from './virtual-machine.js';
import { parseQuantity } from '../base/quantity.js';

export type AdminVmAction = { readonly action: 'power-off' } | { readonly action: 'power-on' } | { readonly action: 'resize'; readonly cpus?: number; readonly memory?: string } | { readonly action: 'delete' };

/** Performs an administrator action on a VM (resize needs the VM powered off, as without CPU/memory hot-add). */
export function adminVirtualMachine(registry: InventoryRegistry, namespace: string, name: string, request: AdminVmAction): TaskResult<VirtualMachine | undefined> {
  const vm = registry.find('VirtualMachine', namespace, name);
  if (!vm) return fail('NotFound', `VirtualMachine ${namespace}/${name} not found`);
  switch (request.action) {
    case 'power-off':
      return setPowerState(registry, vm, 'PoweredOff');
    case 'power-on':
      return setPowerState(registry, vm, 'PoweredOn');
    case 'resize': {
      if (vm.powerState !== 'PoweredOff') return fail('InvalidPowerState', `VM ${namespace}/${name} must be powered off to resize (CPU and memory hot-add are disabled)`);
      const memoryBytes = request.memory === undefined ? vm.memoryBytes : parseQuantity(request.memory);
      if (!Number.isFinite(memoryBytes) || memoryBytes <= 0) return fail('InvalidArgument', `memory ${request.memory} is not a quantity`);
      const cpus = request.cpus ?? vm.cpus;
      if (!Number.isInteger(cpus) || cpus < 1) return fail('InvalidArgument', `cpus ${request.cpus} must be a positive integer`);
      const resized = { ...vm, cpus, memoryBytes };
      registry.put(resized);
      return ok(resized);
    }
    case 'delete': {
      const off = setPowerState(registry, vm, 'PoweredOff');
      if (!off.ok) return off;
      const gone = destroyVirtualMachine(registry, off.value);
      return gone.ok ? ok(undefined) : gone;
    }
  }
}
