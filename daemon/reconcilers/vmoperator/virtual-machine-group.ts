/**
 * VirtualMachineGroup (v1alpha2+): one declared power state for its member VMs, applied in boot
 * order, each stage after its cumulative `powerOnDelay`. The group owns its members' power state:
 * a member VM's own spec.powerState is not enforced while its group declares one. Members are the
 * VMs its boot order lists (a VM declares the link with spec.groupName); members that do not exist
 * yet are reported, not refused. Nested groups keep their own power state.
 */
import { kubeObjects } from '../../inventory/kube-object.js';
import { memberPower, memberPowerIn, pendingMemberPower, powerMember, type GroupSpec } from '../../inventory/group-power.js';
import { fail, ok, type TaskResult } from '../../inventory/model/faults.js';
import type { VirtualMachine } from '../../inventory/model/workloads.js';
import type { ManifestObject } from '../../manifests/types.js';
import type { FieldChange, PlanContext } from '../../plan/contract.js';
import { kubeObjectReconciler } from '../shared/kube-object.js';
import { condition } from '../../plan/contract.js';
import { liveSpecOf, specOf } from '../../manifests/typed-spec.js';

const GROUP = 'vmoperator.vmware.com';


function memberVms(spec: GroupSpec): string[] {
  return (spec.bootOrder ?? []).flatMap((s) => (s.members ?? []).filter((m) => (m.kind ?? 'VirtualMachine') === 'VirtualMachine').map((m) => m.name));
}

type DesiredGroup = { name: string; spec: GroupSpec | undefined };

// Every VM's compare asks for its namespace's groups: index a plan's desired objects once (they
// never change within a plan), not once per VM, which made planning quadratic in the VM count.
// (A map that grew since, as a test may build one, is indexed again.)
const groupsByPlan = new WeakMap<ReadonlyMap<string, ManifestObject>, { size: number; byNamespace: Map<string, DesiredGroup[]> }>();

/** Groups of a namespace in this plan (what VMs consult for group-owned power). */
export function desiredGroups(namespace: string, ctx: Pick<PlanContext, 'desired'>): DesiredGroup[] {
  let byNamespace = groupsByPlan.get(ctx.desired)?.byNamespace;
  if (!byNamespace || groupsByPlan.get(ctx.desired)!.size !== ctx.desired.size) {
    byNamespace = new Map();
    for (const o of ctx.desired.values()) {
      if (o.kind !== 'VirtualMachineGroup' || o.group !== GROUP) continue;
      const groups = byNamespace.get(o.namespace) ?? [];
      groups.push({ name: o.name, spec: specOf(o, 'VirtualMachineGroup') });
      byNamespace.set(o.namespace, groups);
    }
    groupsByPlan.set(ctx.desired, { size: ctx.desired.size, byNamespace });
  }
  return [...(byNamespace.get(namespace) ?? [])];
}

/** True when a group of this plan declares the VM's power state. */
export function groupOwnsPower(namespace: string, vmName: string, ctx: Pick<PlanContext, 'desired'>): boolean {
  return memberPowerIn(desiredGroups(namespace, ctx), vmName) !== undefined;
}

function memberFields(desired: ManifestObject, ctx: PlanContext): FieldChange[] {
  const spec: GroupSpec = specOf(desired, 'VirtualMachineGroup') ?? {};
  if (!spec.powerState) return [];
  const fields: FieldChange[] = [];
  for (const name of memberVms(spec)) {
    const vm = ctx.inventory.find('VirtualMachine', desired.namespace, name);
    if (vm && vm.powerState !== spec.powerState && !pendingMemberPower(ctx.inventory, vm.id) && !vm.recovery) {
      fields.push({ path: `status.members[name=${name}].powerState`, from: vm.powerState, to: spec.powerState });
    }
  }
  return fields;
}

export const virtualMachineGroupReconciler = kubeObjectReconciler({
  group: GROUP,
  kind: 'VirtualMachineGroup',
  extraFields: (desired, _live, ctx) => memberFields(desired, ctx),
  afterApply(object, _change, registry, ctx): TaskResult<unknown> {
    if (!object) return ok(undefined);
    for (const name of memberVms(liveSpecOf(object, 'VirtualMachineGroup') ?? {})) {
      const vm: VirtualMachine | undefined = registry.find('VirtualMachine', object.namespace, name);
      const power = vm && !pendingMemberPower(registry, vm.id) ? memberPower(registry, object.namespace, name) : undefined;
      if (!vm || !power) continue;
      const r = powerMember(registry, vm, power, ctx.now);
      if (!r.ok) return fail(r.error.fault, `member ${name}: ${r.error.message}`);
    }
    return ok(undefined);
  },
  status(desired, _live, inventory) {
    const spec: GroupSpec = specOf(desired, 'VirtualMachineGroup') ?? {};
    const members = memberVms(spec).map((name) => {
      const vm = inventory.find('VirtualMachine', desired.namespace, name);
      return { kind: 'VirtualMachine', name, ...(vm ? { powerState: vm.powerState } : { missing: true }) };
    });
    const missing = members.filter((m) => 'missing' in m).map((m) => m.name);
    const off = spec.powerState ? members.filter((m) => 'powerState' in m && m.powerState !== spec.powerState).map((m) => m.name) : [];
    const childGroups = kubeObjects(inventory, 'VirtualMachineGroup', desired.namespace).filter((g) => liveSpecOf(g.object, 'VirtualMachineGroup')?.groupName === desired.name).map((g) => g.object.name);
    return {
      conditions: [
        missing.length
          ? condition('GroupMembersReady', 'False', 'MemberNotFound', `members not found: ${missing.join(', ')}`)
          : off.length
            ? condition('GroupMembersReady', 'False', 'PowerStatePending', `not yet ${spec.powerState}: ${off.join(', ')}`)
            : condition('GroupMembersReady', 'True', 'True', `${members.length} member(s)`),
      ],
      fields: { members, ...(childGroups.length ? { childGroups } : {}) },
    };
  },
});

