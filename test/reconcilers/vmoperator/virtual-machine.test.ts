import { describe, expect, it } from 'vitest';
import { setPowerState } from '../../../daemon/inventory/virtual-machine.js';
import { virtualMachineReconciler } from '../../../daemon/reconcilers/vmoperator/virtual-machine.js';
import { observed } from '../../../daemon/plan/contract.js';
import { manifests, namespaceYaml, planOf, useInventoryStore, vmYaml, type VmOptions } from '../../support/fixtures.js';
import { planAndApply } from '../../support/reconcile.js';

const ctx = useInventoryStore();

const desiredVm = (o: VmOptions = {}) => manifests({ 'ns.yaml': namespaceYaml('team-a'), 'vm.yaml': vmYaml('team-a', 'web', o) });
const vm = () => ctx.registry.find('VirtualMachine', 'team-a', 'web')!;
const vmChange = (o: VmOptions) => planOf(desiredVm(o), ctx.registry, ctx.store.ownership()).changes.find((c) => c.kind === 'VirtualMachine');

describe('VirtualMachine power state', () => {
  it('creates a VM powered on with an IP, a host and a vCenter id', async () => {
    await planAndApply(desiredVm(), ctx.registry, ctx.store);
    expect(vm()).toMatchObject({ powerState: 'PoweredOn', ip: '10.244.0.2', cpus: 2, memoryBytes: 4 * 2 ** 30, className: 'best-effort-small' });
    expect(vm().id).toMatch(/^vm-\d+$/);
    expect(ctx.registry.get('Host', vm().host)?.name).toMatch(/^esx-0\d\.pacific\.local$/);
  });

  it('allows PoweredOn → PoweredOff → PoweredOn and Suspended → PoweredOn', async () => {
    await planAndApply(desiredVm(), ctx.registry, ctx.store);
    for (const state of ['PoweredOff', 'PoweredOn', 'Suspended', 'PoweredOn', 'Suspended', 'PoweredOff'] as const) {
      const { results } = await planAndApply(desiredVm({ powerState: state }), ctx.registry, ctx.store);
      expect(results.map((r) => r.outcome)).toEqual(['configured']);
      expect(vm().powerState).toBe(state);
    }
    expect(vm().ip).toBe('10.244.0.2'); // the lease is kept across power cycles
  });

  it('refuses PoweredOff → Suspended and creating a suspended VM, as vm-operator does', async () => {
    expect(vmChange({ powerState: 'Suspended' })!.admission).toMatchObject({
      allowed: false,
      reason: 'InvalidPowerState',
      message: "spec.powerState: Invalid value: \"Suspended\": cannot set a new VM's power state to Suspended",
    });
    await planAndApply(desiredVm({ powerState: 'PoweredOff' }), ctx.registry, ctx.store);
    expect(vmChange({ powerState: 'Suspended' })!.admission).toMatchObject({ allowed: false, message: expect.stringContaining('cannot suspend a VM that is powered off') });
  });

  it('restarts a running VM once per nextRestartTime value and refuses it for a stopped VM', async () => {
    await planAndApply(desiredVm(), ctx.registry, ctx.store);
    const restart = { extra: '  nextRestartTime: "2026-11-21T10:00:00Z"' };
    const { results } = await planAndApply(desiredVm(restart), ctx.registry, ctx.store);
    expect(results[0]!.outcome).toBe('configured');
    expect(vm().lastRestartTime).toBe('2026-11-21T10:00:00Z');
    expect(planOf(desiredVm(restart), ctx.registry, ctx.store.ownership()).changes).toEqual([]);
    await planAndApply(desiredVm({ powerState: 'PoweredOff', ...restart }), ctx.registry, ctx.store);
    expect(vmChange({ powerState: 'PoweredOff', extra: '  nextRestartTime: "2026-11-22T10:00:00Z"' })!.admission).toMatchObject({ reason: 'InvalidPowerState' });
  });
});

describe('VirtualMachine class and image', () => {
  it('resizes only across a power-off: a running VM keeps its size and reports ClassNameChanged', async () => {
    await planAndApply(desiredVm(), ctx.registry, ctx.store);
    const change = vmChange({ className: 'best-effort-large' })!;
    expect(change.fields).toEqual([{ path: 'spec.className', from: 'best-effort-small', to: 'best-effort-large' }]);
    expect(change.admission.notes?.[0]).toContain('waits for the VM to be powered off');
    await planAndApply(desiredVm({ className: 'best-effort-large' }), ctx.registry, ctx.store);
    expect(vm()).toMatchObject({ cpus: 2, className: 'best-effort-small' });
    const live = observed('vmoperator.vmware.com', vm());
    const status = virtualMachineReconciler.status(desiredVm({ className: 'best-effort-large' })[1]!, live, ctx.registry);
    expect(status.conditions).toContainEqual(expect.objectContaining({ type: 'VirtualMachineClassConfigurationSynced', status: 'False', reason: 'ClassNameChanged' }));
    // Idempotent while it waits; resized when powered off.
    expect(planOf(desiredVm({ className: 'best-effort-large' }), ctx.registry, ctx.store.ownership()).changes).toEqual([]);
    const off = vmChange({ className: 'best-effort-large', powerState: 'PoweredOff' })!;
    expect(off.fields).toContainEqual({ path: 'status.hardware.cpus', from: 2, to: 4 });
    await planAndApply(desiredVm({ className: 'best-effort-large', powerState: 'PoweredOff' }), ctx.registry, ctx.store);
    expect(vm()).toMatchObject({ cpus: 4, memoryBytes: 16 * 2 ** 30, className: 'best-effort-large', powerState: 'PoweredOff' });
  });

  it('refuses to change the image: imageName is immutable', async () => {
    await planAndApply(desiredVm(), ctx.registry, ctx.store);
    expect(vmChange({ image: 'photon-5' })!.admission).toMatchObject({ allowed: false, reason: 'Immutable', message: 'spec.imageName: Invalid value: "photon-5": field is immutable' });
    // The same image by its vmi- name is not a change of image.
    expect(vmChange({ image: vm().imageName })!.admission.allowed).toBe(true);
  });

  it('deploys an ISO VM from its first connected CD-ROM, and a CD-ROM change later is no image change', async () => {
    const isoVm = (connected: 'first' | 'second') =>
      manifests({
        'ns.yaml': namespaceYaml('team-a'),
        'vm.yaml': [
          'apiVersion: vmoperator.vmware.com/v1alpha5',
          'kind: VirtualMachine',
          'metadata: {name: web, namespace: team-a}',
          'spec:',
          '  className: best-effort-small',
          '  storageClass: vsan-default-storage-policy',
          '  hardware:',
          '    cdrom:',
          `      - {name: cdrom1, image: {kind: VirtualMachineImage, name: photon-5}, connected: ${connected === 'first'}}`,
          `      - {name: cdrom2, image: {kind: VirtualMachineImage, name: ubuntu-24.04-cloudimg}, connected: ${connected === 'second'}}`,
          '',
        ].join('\n'),
      });
    const { results } = await planAndApply(isoVm('second'), ctx.registry, ctx.store);
    expect(results.map((r) => `${r.change.kind} ${r.outcome}`)).toContain('VirtualMachine created');
    const ubuntu = ctx.registry.list('LibraryItem').find((i) => i.name === 'ubuntu-24.04-cloudimg')!;
    expect(vm().imageName).toBe(ubuntu.imageName);
    const change = planOf(isoVm('first'), ctx.registry, ctx.store.ownership()).changes.find((c) => c.kind === 'VirtualMachine')!;
    expect(change.admission.allowed).toBe(true);
  });

  it('refuses a VM naming an EncryptionClass (pacific serves none), and reports one named later', async () => {
    const crypto = '  crypto: {encryptionClassName: my-encryption-class}';
    const message = 'encryptionclasses.encryption.vmware.com "my-encryption-class" not found';
    const created = await planAndApply(desiredVm({ apiVersion: 'vmoperator.vmware.com/v1alpha5', extra: crypto }), ctx.registry, ctx.store);
    expect(created.results.find((r) => r.change.kind === 'VirtualMachine')).toMatchObject({ outcome: 'refused', problem: { reason: 'EncryptionClassNotFound', message } });
    const refusedStatus = virtualMachineReconciler.status(desiredVm({ apiVersion: 'vmoperator.vmware.com/v1alpha5', extra: crypto })[1]!, undefined, ctx.registry, { reason: 'EncryptionClassNotFound', message });
    expect(refusedStatus.conditions[0]).toMatchObject({ type: 'VirtualMachineEncryptionSynced', status: 'False', reason: 'EncryptionClassNotFound', message });

    await planAndApply(desiredVm({ apiVersion: 'vmoperator.vmware.com/v1alpha5' }), ctx.registry, ctx.store);
    const later = desiredVm({ apiVersion: 'vmoperator.vmware.com/v1alpha5', extra: crypto });
    await planAndApply(later, ctx.registry, ctx.store);
    const status = virtualMachineReconciler.status(later[1]!, observed('vmoperator.vmware.com', vm()), ctx.registry);
    expect(status.conditions).toContainEqual({ type: 'VirtualMachineEncryptionSynced', status: 'False', reason: 'EncryptionClassNotFound', message });
    expect(vm().powerState).toBe('PoweredOn');
  });

  it('resolves a namespace VirtualMachineClass before the vCenter class of the same name', async () => {
    const cls = [
      'apiVersion: vmoperator.vmware.com/v1alpha3',
      'kind: VirtualMachineClass',
      'metadata:',
      '  name: best-effort-small',
      '  namespace: team-a',
      'spec:',
      '  hardware:',
      '    cpus: 3',
      '    memory: 6Gi',
      '',
    ].join('\n');
    await planAndApply(manifests({ 'ns.yaml': namespaceYaml('team-a'), 'c.yaml': cls, 'vm.yaml': vmYaml('team-a', 'web') }), ctx.registry, ctx.store);
    expect(vm()).toMatchObject({ cpus: 3, memoryBytes: 6 * 2 ** 30 });
  });

  it('sizes VMs by a class sized only by spec.configSpec; spec.hardware takes precedence where set', async () => {
    const cls = (hardware: string) =>
      [
        'apiVersion: vmoperator.vmware.com/v1alpha2',
        'kind: VirtualMachineClass',
        'metadata: {name: from-config-spec, namespace: team-a}',
        'spec:',
        '  configSpec: {_typeName: VirtualMachineConfigSpec, numCPUs: 3, memoryMB: 3072}',
        hardware,
        '',
      ].join('\n');
    const files = (hardware: string) => ({ 'ns.yaml': namespaceYaml('team-a'), 'c.yaml': cls(hardware), 'vm.yaml': vmYaml('team-a', 'web', { className: 'from-config-spec', powerState: 'PoweredOff' }) });
    await planAndApply(manifests(files('')), ctx.registry, ctx.store);
    expect(vm()).toMatchObject({ cpus: 3, memoryBytes: 3 * 2 ** 30 });
    await planAndApply(manifests(files('  hardware: {cpus: 4, memory: 8Gi}')), ctx.registry, ctx.store);
    expect(vm()).toMatchObject({ cpus: 4, memoryBytes: 8 * 2 ** 30 });
  });
});

describe('VirtualMachine drift', () => {
  it('powers a VM back on and restores its class size after an out-of-band change', async () => {
    await planAndApply(desiredVm(), ctx.registry, ctx.store);
    ctx.registry.transaction(() => {
      const off = setPowerState(ctx.registry, vm(), 'PoweredOff');
      if (!off.ok) throw new Error(off.error.message);
      ctx.registry.put({ ...off.value, cpus: 8 });
    });
    const change = vmChange({})!;
    expect(change.fields).toEqual([
      { path: 'spec.powerState', from: 'PoweredOff', to: 'PoweredOn' },
      { path: 'status.hardware.cpus', from: 8, to: 2 },
    ]);
    await planAndApply(desiredVm(), ctx.registry, ctx.store);
    expect(vm()).toMatchObject({ powerState: 'PoweredOn', cpus: 2 });
  });

  it('recreates a VM deleted out of band, exactly once', async () => {
    await planAndApply(desiredVm(), ctx.registry, ctx.store);
    ctx.registry.transaction(() => ctx.registry.remove(vm().id));
    const { results } = await planAndApply(desiredVm(), ctx.registry, ctx.store);
    expect(results.map((r) => r.outcome)).toEqual(['created']);
    expect(ctx.registry.list('VirtualMachine')).toHaveLength(1);
  });
});
