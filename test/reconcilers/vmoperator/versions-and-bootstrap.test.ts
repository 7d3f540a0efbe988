import { describe, expect, it } from 'vitest';
import { manifests, namespaceYaml, planOf, useInventoryStore, vmYaml } from '../../support/fixtures.js';
import { planAndApply } from '../../support/reconcile.js';
import { virtualMachineReconciler } from '../../../daemon/reconcilers/vmoperator/virtual-machine.js';
import { observed } from '../../../daemon/plan/contract.js';

const ctx = useInventoryStore();
const ns = namespaceYaml('team-a');
const secret = (name: string, keys: string[]) => `apiVersion: v1\nkind: Secret\nmetadata: {name: ${name}, namespace: team-a}\nstringData:\n${keys.map((k) => `  ${k}: value`).join('\n')}\n`;

const v1alpha1 = (extra = '') => `apiVersion: vmoperator.vmware.com/v1alpha1
kind: VirtualMachine
metadata: {name: old, namespace: team-a}
spec:
  className: best-effort-small
  imageName: ubuntu-22.04-cloudimg
  storageClass: vsan-default-storage-policy
  powerState: poweredOn
${extra}`;

const statusOf = (name: string, docs: ReturnType<typeof manifests>) => {
  const vm = ctx.registry.find('VirtualMachine', 'team-a', name)!;
  return virtualMachineReconciler.status(docs.find((d) => d.name === name)!, observed('vmoperator.vmware.com', vm), ctx.registry);
};

describe('VirtualMachine versions', () => {
  it('serves v1alpha1 with its lower-case power states and shows its status as v1alpha1 does', async () => {
    const docs = manifests({ 'ns.yaml': ns, 'vm.yaml': v1alpha1() });
    await planAndApply(docs, ctx.registry, ctx.store);
    expect(ctx.registry.find('VirtualMachine', 'team-a', 'old')).toMatchObject({ powerState: 'PoweredOn', cpus: 2 });
    expect(statusOf('old', docs).fields).toMatchObject({ powerState: 'poweredOn', phase: 'Created', vmIp: expect.stringMatching(/^10\.244\./) });
    expect(planOf(docs, ctx.registry, ctx.store.ownership()).changes).toEqual([]);
    const off = manifests({ 'ns.yaml': ns, 'vm.yaml': v1alpha1().replace('powerState: poweredOn', 'powerState: poweredOff') });
    expect(planOf(off, ctx.registry, ctx.store.ownership()).changes[0]!.fields).toEqual([{ path: 'spec.powerState', from: 'PoweredOn', to: 'PoweredOff' }]);
  });

  it('compares a VM rewritten in another version through one model: only the version changes', async () => {
    await planAndApply(manifests({ 'ns.yaml': ns, 'vm.yaml': v1alpha1() }), ctx.registry, ctx.store);
    const same = vmYaml('team-a', 'old', { apiVersion: 'vmoperator.vmware.com/v1alpha3', powerState: 'PoweredOn' }).replace('  powerState: PoweredOn', '  powerState: PoweredOn\n  powerOffMode: Hard\n  suspendMode: Hard\n  restartMode: Hard');
    const plan = planOf(manifests({ 'ns.yaml': ns, 'vm.yaml': same }), ctx.registry, ctx.store.ownership());
    expect(plan.changes[0]!.fields).toEqual([{ path: 'apiVersion', from: 'vmoperator.vmware.com/v1alpha1', to: 'vmoperator.vmware.com/v1alpha3' }]);
    // v1alpha1's modes default to Hard, v1alpha2+'s to TrySoft: leaving them out is a change across versions.
    const defaults = planOf(manifests({ 'ns.yaml': ns, 'vm.yaml': vmYaml('team-a', 'old', { apiVersion: 'vmoperator.vmware.com/v1alpha3' }) }), ctx.registry, ctx.store.ownership());
    expect(defaults.changes[0]!.fields.map((f) => f.path)).toEqual(['apiVersion', 'spec.powerOffMode', 'spec.suspendMode', 'spec.restartMode']);
  });

  it("converts v1alpha1's vmMetadata into bootstrap providers, with their secrets", async () => {
    const withMetadata = v1alpha1('  vmMetadata: {transport: CloudInit, secretName: cloud-init}\n');
    const refused = planOf(manifests({ 'ns.yaml': ns, 'vm.yaml': withMetadata }), ctx.registry).changes.find((c) => c.kind === 'VirtualMachine')!;
    expect(refused.admission).toMatchObject({ allowed: false, reason: 'SecretNotFound', message: 'spec.bootstrap.cloudInit.rawCloudConfig: secrets "cloud-init" not found' });
    const docs = manifests({ 'ns.yaml': ns, 's.yaml': secret('cloud-init', ['user-data']), 'vm.yaml': withMetadata });
    await planAndApply(docs, ctx.registry, ctx.store);
    expect(statusOf('old', docs).conditions).toContainEqual(expect.objectContaining({ type: 'VirtualMachineBootstrapReady', status: 'True', message: 'CloudInit' }));
  });
});

describe('bootstrap providers', () => {
  const bootstrap = (yaml: string) => vmYaml('team-a', 'web', { apiVersion: 'vmoperator.vmware.com/v1alpha3', extra: `  bootstrap:\n${yaml}` });
  const verdict = (yaml: string, files: Record<string, string> = {}) => planOf(manifests({ 'ns.yaml': ns, ...files, 'vm.yaml': bootstrap(yaml) }), ctx.registry).changes.find((c) => c.kind === 'VirtualMachine')!.admission;

  it('refuses combinations vm-operator refuses', () => {
    expect(verdict('    cloudInit: {cloudConfig: {}}\n    linuxPrep: {hardwareClockIsUTC: true}').message).toBe('spec.bootstrap.cloudInit: Forbidden: CloudInit may not be used with any other bootstrap provider');
    expect(verdict('    linuxPrep: {hardwareClockIsUTC: true}\n    sysprep: {rawSysprep: {name: unattend, key: unattend}}').message).toBe('spec.bootstrap: Forbidden: LinuxPrep and Sysprep are mutually exclusive');
    expect(verdict('    linuxPrep: {hardwareClockIsUTC: true}\n    vAppConfig: {properties: [{key: hostname, value: {value: web}}]}').allowed).toBe(true);
  });

  it('needs the secrets and keys it reads, declared in the same revision or already there', () => {
    const raw = '    cloudInit:\n      rawCloudConfig: {name: ci, key: user-data}';
    expect(verdict(raw)).toMatchObject({ reason: 'SecretNotFound', message: 'spec.bootstrap.cloudInit.rawCloudConfig: secrets "ci" not found' });
    expect(verdict(raw, { 's.yaml': secret('ci', ['meta-data']) }).message).toBe('spec.bootstrap.cloudInit.rawCloudConfig: required key "user-data" not found in Secret ci');
    expect(verdict(raw, { 's.yaml': secret('ci', ['user-data']) }).allowed).toBe(true);
    const password = '    sysprep:\n      sysprep:\n        guiUnattended: {autoLogon: true, password: {name: admin, key: password}}\n        userData: {fullName: ops, orgName: ops}';
    expect(verdict(password).message).toBe('spec.bootstrap.sysprep.sysprep.guiUnattended.password: secrets "admin" not found');
  });
});
