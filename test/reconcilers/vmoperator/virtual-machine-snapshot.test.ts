import { describe, expect, it } from 'vitest';
import { manifests, namespaceYaml, planOf, useInventoryStore, vmYaml } from '../../support/fixtures.js';
import { planAndApply } from '../../support/reconcile.js';
import { virtualMachineSnapshotReconciler } from '../../../daemon/reconcilers/vmoperator/virtual-machine-snapshot.js';
import { GiB } from '../../../daemon/base/quantity.js';

const ctx = useInventoryStore();
const V5 = 'vmoperator.vmware.com/v1alpha5';
// ubuntu-22.04-cloudimg: a 10 GiB disk; best-effort-small: 4 GiB of memory. A snapshot holds 10% of the disks (+ memory).
const ns = namespaceYaml('team-a', { 'requests.storage': '12Gi' });
const vm = (extra?: string) => vmYaml('team-a', 'web', { apiVersion: V5, ...(extra ? { extra } : {}) });
const snapshot = (name: string, spec: string) => `apiVersion: ${V5}\nkind: VirtualMachineSnapshot\nmetadata: {name: ${name}, namespace: team-a}\nspec:\n  vmName: web\n${spec}`;
const changeOf = (files: Record<string, string>, name: string) => planOf(manifests(files), ctx.registry, ctx.store.ownership()).changes.find((c) => c.name === name);

describe('VirtualMachineSnapshot', () => {
  it('takes a snapshot of a VM, sized from its disks, with status; then nothing to do', async () => {
    const files = { 'ns.yaml': ns, 'vm.yaml': vm(), 's.yaml': snapshot('before-upgrade', '  description: before the upgrade\n') };
    const { plan } = await planAndApply(manifests(files), ctx.registry, ctx.store);
    expect(plan.changes.find((c) => c.kind === 'VirtualMachineSnapshot')!.admission).toMatchObject({ allowed: true, notes: expect.arrayContaining(['snapshot of web: 1Gi']) });
    const live = ctx.registry.inNamespace('Snapshot', 'team-a').find((s) => s.name === 'before-upgrade')!;
    expect(live).toMatchObject({ vm: ctx.registry.find('VirtualMachine', 'team-a', 'web')!.id, sizeBytes: GiB, memory: false, powerState: 'PoweredOn' });
    const observedSnapshot = [...virtualMachineSnapshotReconciler.observe(ctx.registry)].find((o) => o.name === 'before-upgrade')!;
    const status = virtualMachineSnapshotReconciler.status(manifests(files).find((d) => d.kind === 'VirtualMachineSnapshot')!, observedSnapshot, ctx.registry);
    expect(status.conditions[0]).toMatchObject({ type: 'VirtualMachineSnapshotReady', status: 'True' });
    expect(status.fields).toMatchObject({ vmName: 'web', size: '1Gi', memory: false });
    expect(planOf(manifests(files), ctx.registry, ctx.store.ownership()).changes).toEqual([]);
  });

  it('counts snapshots against the storage quota, memory included, and needs the VM', async () => {
    await planAndApply(manifests({ 'ns.yaml': ns, 'vm.yaml': vm(), 's.yaml': snapshot('disk-only', '') }), ctx.registry, ctx.store);
    const withMemory = changeOf({ 'ns.yaml': ns, 'vm.yaml': vm(), 's.yaml': snapshot('disk-only', '') + '---\n' + snapshot('with-memory', '  memory: true\n') }, 'with-memory')!;
    expect(withMemory.admission).toMatchObject({ allowed: false, reason: 'QuotaExceeded' });
    // 10Gi of VM disk + 1Gi of snapshot used; 1Gi + 4Gi more would exceed 12Gi.
    expect(withMemory.admission.message).toMatch(/^virtualmachinesnapshots "with-memory" is forbidden: .*requests\.storage/);
    const orphan = changeOf({ 'ns.yaml': ns, 's.yaml': `apiVersion: ${V5}\nkind: VirtualMachineSnapshot\nmetadata: {name: orphan, namespace: team-a}\nspec: {vmName: nowhere}\n` }, 'orphan')!;
    expect(orphan.admission).toMatchObject({ allowed: false, reason: 'NotFound', message: 'virtualmachines.vmoperator.vmware.com "nowhere" not found' });
  });

  it('is immutable but for its description', async () => {
    await planAndApply(manifests({ 'ns.yaml': ns, 'vm.yaml': vm(), 's.yaml': snapshot('s1', '  description: one\n') }), ctx.registry, ctx.store);
    expect(changeOf({ 'ns.yaml': ns, 'vm.yaml': vm(), 's.yaml': snapshot('s1', '  description: two\n') }, 's1')!.admission.allowed).toBe(true);
    expect(changeOf({ 'ns.yaml': ns, 'vm.yaml': vm(), 's.yaml': snapshot('s1', '  description: one\n  memory: true\n') }, 's1')!.admission).toMatchObject({
      allowed: false,
      reason: 'Immutable',
      message: 'spec: Forbidden: a snapshot cannot change, only its description',
    });
  });

  it('reverts a VM through spec.currentSnapshotName, once; a snapshot without memory reverts through power-off', async () => {
    const snapshots = snapshot('with-memory', '  memory: true\n') + '---\n' + snapshot('disk-only', '');
    await planAndApply(manifests({ 'vm.yaml': vm(), 'ns.yaml': namespaceYaml('team-a'), 's.yaml': snapshots }), ctx.registry, ctx.store);
    const revertTo = (name: string) => ({ 'ns.yaml': namespaceYaml('team-a'), 'vm.yaml': vm(`  currentSnapshotName: ${name}`), 's.yaml': snapshots });

    expect(changeOf(revertTo('missing'), 'web')!.admission).toMatchObject({ allowed: false, reason: 'NotFound', message: 'virtualmachinesnapshots.vmoperator.vmware.com "missing" not found for VM web' });

    const disk = await planAndApply(manifests(revertTo('disk-only')), ctx.registry, ctx.store);
    expect(disk.plan.changes.find((c) => c.name === 'web')!.admission.notes).toContain('reverts to snapshot disk-only, powered off, then to the declared power state');
    expect(ctx.registry.find('VirtualMachine', 'team-a', 'web')).toMatchObject({ currentSnapshot: 'disk-only', powerState: 'PoweredOn' });
    expect(planOf(manifests(revertTo('disk-only')), ctx.registry, ctx.store.ownership()).changes).toEqual([]);

    const memory = await planAndApply(manifests(revertTo('with-memory')), ctx.registry, ctx.store);
    expect(memory.plan.changes.find((c) => c.name === 'web')!.admission.notes).toContain('reverts to snapshot with-memory (with memory)');
    expect(ctx.registry.find('VirtualMachine', 'team-a', 'web')).toMatchObject({ currentSnapshot: 'with-memory', powerState: 'PoweredOn' });
  });
});
