/**
 * VirtualMachineGroup boot order: members of later boot stages power on after their stage's
 * cumulative `powerOnDelay`, as vm-operator's group controller sequences them (a task per member).
 */
import { ok, type TaskResult } from './model/faults.js';
import type { PowerState } from './model/infrastructure.js';
import type { VirtualMachine } from './model/workloads.js';
import { kubeObjects } from './kube-object.js';
import type { InventoryReader, InventoryRegistry } from './registry.js';
import { scheduleTask, type TaskCompletion } from './tasks.js';
import { setPowerState } from './virtual-machine.js';
import { parseDuration } from '../base/duration.js';
import { liveSpecOf, type SpecOf } from '../manifests/typed-spec.js';

export const GROUP_MEMBER_POWER = 'GroupMemberPowerOn';

/** A VirtualMachineGroup's spec at any version. */
export type GroupSpec = NonNullable<SpecOf<'VirtualMachineGroup'>>;

/** How a group powers a member VM: the group's power state, and when (ms after the group acts). */
export interface MemberPower {
  readonly group: string;
  readonly state: PowerState;
  readonly delayMs: number;
}

/** The power a group declares for a VM, from the group objects given (desired or live), or undefined. */
export function memberPowerIn(groups: Iterable<{ readonly name: string; readonly spec?: GroupSpec | undefined }>, vmName: string): MemberPower | undefined {
  for (const g of groups) {
    const spec: GroupSpec = g.spec ?? {};
    if (!spec.powerState) continue;
    let delay = 0;
    for (const stage of spec.bootOrder ?? []) {
      if (stage.powerOnDelay) delay += parseDuration(stage.powerOnDelay);
      if ((stage.members ?? []).some((m) => (m.kind ?? 'VirtualMachine') === 'VirtualMachine' && m.name === vmName)) {
        return { group: g.name, state: spec.powerState, delayMs: spec.powerState === 'PoweredOn' ? delay : 0 };
      }
    }
  }
  return undefined;
}

/** The power a live group declares for a VM. */
export function memberPower(inventory: InventoryReader, namespace: string, vmName: string): MemberPower | undefined {
  return memberPowerIn(kubeObjects(inventory, 'VirtualMachineGroup', namespace).map((o) => ({ name: o.object.name, spec: liveSpecOf(o.object, 'VirtualMachineGroup') })), vmName);
}

/** A member power-on waiting for its boot stage. */
export function pendingMemberPower(inventory: InventoryReader, vmId: string): boolean {
  return inventory.list('Task').some((t) => t.kind === GROUP_MEMBER_POWER && t.target === vmId);
}

/** Brings a member to its group's power state: now, or after its boot stage's delay. */
export function powerMember(registry: InventoryRegistry, vm: VirtualMachine, power: MemberPower, now: number): TaskResult<VirtualMachine> {
  if (vm.powerState === power.state) return ok(vm);
  if (power.delayMs > 0) {
    scheduleTask(registry, GROUP_MEMBER_POWER, vm.id, now + power.delayMs, { group: power.group });
    return ok(vm);
  }
  return setPowerState(registry, vm, power.state);
}

/** A member's boot stage has come: power it on. */
export const completeMemberPower: TaskCompletion = (registry, task) => {
  const vm = registry.get('VirtualMachine', task.target);
  if (!vm || vm.powerState === 'PoweredOn') return ok({ events: [] });
  const on = setPowerState(registry, vm, 'PoweredOn');
  if (!on.ok) return on;
  return ok({ events: [{ type: 'Normal', reason: 'GroupMemberPoweredOn', object: `VirtualMachine/${vm.namespace}/${vm.name}`, message: `powered on in the boot order of group ${String(task.args?.['group'])}` }] });
};
