import { describe, expect, it } from 'vitest';
import { manifests, namespaceYaml, planOf, useInventoryStore, vmYaml } from '../../support/fixtures.js';
import { advanceAndRunTasks, planAndApply } from '../../support/reconcile.js';
import { virtualMachineGroupReconciler } from '../../../daemon/reconcilers/vmoperator/virtual-machine-group.js';
import { virtualMachineReconciler } from '../../../daemon/reconcilers/vmoperator/virtual-machine.js';
import { observed } from '../../../daemon/plan/contract.js';

const ctx = useInventoryStore();
const group = (powerState: string, extraMember = '') => `apiVersion: vmoperator.vmware.com/v1alpha4
kind: VirtualMachineGroup
metadata: {name: shop, namespace: team-a}
spec:
  powerState: ${powerState}
  bootOrder:
  - members: [{name: db}]
  - members: [{name: app-0}, {name: app-1}${extraMember}]
    powerOnDelay: 10s
`;
const vms = ['db', 'app-0', 'app-1'].map((n) => vmYaml('team-a', n, { powerState: 'PoweredOff' })).join('---\n');
const files = (groupYaml?: string) => ({ 'ns.yaml': namespaceYaml('team-a'), 'vms.yaml': vms, ...(groupYaml ? { 'group.yaml': groupYaml } : {}) });
const power = () => Object.fromEntries(['db', 'app-0', 'app-1'].map((n) => [n, ctx.registry.find('VirtualMachine', 'team-a', n)!.powerState]));
const groupStatus = (groupYaml: string) => {
  const live = [...virtualMachineGroupReconciler.observe(ctx.registry)].find((o) => o.name === 'shop')!;
  return virtualMachineGroupReconciler.status(manifests(files(groupYaml)).find((d) => d.kind === 'VirtualMachineGroup')!, live, ctx.registry);
};

describe('VirtualMachineGroup', () => {
  it('powers members on in boot order, each stage after its delay, and owns their power state', async () => {
    await planAndApply(manifests(files()), ctx.registry, ctx.store);
    expect(power()).toEqual({ db: 'PoweredOff', 'app-0': 'PoweredOff', 'app-1': 'PoweredOff' });

    const on = group('PoweredOn');
    const { plan } = await planAndApply(manifests(files(on)), ctx.registry, ctx.store);
    expect(plan.changes.find((c) => c.kind === 'VirtualMachineGroup')!.admission.allowed).toBe(true);
    expect(power()).toEqual({ db: 'PoweredOn', 'app-0': 'PoweredOff', 'app-1': 'PoweredOff' });
    expect(groupStatus(on).conditions[0]).toMatchObject({ type: 'GroupMembersReady', status: 'False', reason: 'PowerStatePending', message: 'not yet PoweredOn: app-0, app-1' });
    // Waiting for its stage is not drift: nothing to do.
    expect(planOf(manifests(files(on)), ctx.registry, ctx.store.ownership()).changes).toEqual([]);

    advanceAndRunTasks(ctx.registry, ctx.store, 9_000);
    expect(power()['app-0']).toBe('PoweredOff');
    advanceAndRunTasks(ctx.registry, ctx.store, 1_000);
    expect(power()).toEqual({ db: 'PoweredOn', 'app-0': 'PoweredOn', 'app-1': 'PoweredOn' });
    expect(groupStatus(on).conditions[0]).toMatchObject({ status: 'True', message: '3 member(s)' });
    // The members' own PoweredOff is not enforced while the group declares their power.
    expect(planOf(manifests(files(on)), ctx.registry, ctx.store.ownership()).changes).toEqual([]);

    await planAndApply(manifests(files(group('PoweredOff'))), ctx.registry, ctx.store);
    expect(power()).toEqual({ db: 'PoweredOff', 'app-0': 'PoweredOff', 'app-1': 'PoweredOff' });
  });

  it("makes members Ready at the group's power state, not their own", async () => {
    const members = ['db', 'app-0', 'app-1'].map((n) => vmYaml('team-a', n)).join('---\n'); // PoweredOn by default
    const desired = manifests({ 'ns.yaml': namespaceYaml('team-a'), 'vms.yaml': members, 'group.yaml': group('PoweredOff') });
    await planAndApply(desired, ctx.registry, ctx.store);
    expect(power()).toEqual({ db: 'PoweredOff', 'app-0': 'PoweredOff', 'app-1': 'PoweredOff' });
    for (const name of ['db', 'app-0', 'app-1']) {
      const vm = ctx.registry.find('VirtualMachine', 'team-a', name)!;
      const status = virtualMachineReconciler.status(desired.find((d) => d.kind === 'VirtualMachine' && d.name === name)!, observed('vmoperator.vmware.com', vm), ctx.registry);
      expect(status.conditions).toContainEqual(expect.objectContaining({ type: 'VirtualMachinePowerStateSynced', status: 'True' }));
    }
    expect(planOf(desired, ctx.registry, ctx.store.ownership()).changes).toEqual([]);
  });

  it('reports members that do not exist instead of refusing the group', async () => {
    const withGhost = group('PoweredOn', ', {name: ghost}');
    const { plan } = await planAndApply(manifests(files(withGhost)), ctx.registry, ctx.store);
    expect(plan.changes.find((c) => c.kind === 'VirtualMachineGroup')!.admission.allowed).toBe(true);
    expect(groupStatus(withGhost).conditions[0]).toMatchObject({ status: 'False', reason: 'MemberNotFound', message: 'members not found: ghost' });
    expect(groupStatus(withGhost).fields!['members']).toContainEqual({ kind: 'VirtualMachine', name: 'ghost', missing: true });
  });
});
