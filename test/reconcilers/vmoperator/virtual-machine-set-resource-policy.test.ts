import { describe, expect, it } from 'vitest';
import { manifests, namespaceYaml, planOf, useInventoryStore, vmYaml } from '../../support/fixtures.js';
import { planAndApply } from '../../support/reconcile.js';

const ctx = useInventoryStore();
const resourcePolicy = (pool = '{name: pool}') => `apiVersion: vmoperator.vmware.com/v1alpha3
kind: VirtualMachineSetResourcePolicy
metadata: {name: control-plane, namespace: team-a}
spec:
  resourcePool: ${pool}
  clusterModuleGroups: [control-plane-group]
`;
/** A small VM that joins the policy's cluster module (or just its resource pool when `module` is false). */
const member = (name: string, module = true) =>
  vmYaml('team-a', name, { extra: '  reserved: {resourcePolicyName: control-plane}' }).replace(
    'metadata:\n',
    `metadata:\n${module ? '  annotations: {vsphere-cluster-module-group: control-plane-group}\n' : ''}`,
  );
/** Three big running VMs: DRS puts them on three of the four hosts, leaving one host empty. */
const bigVms = ['big-0', 'big-1', 'big-2'].map((n) => vmYaml('team-a', n, { className: 'best-effort-4xlarge' })).join('---\n');
const hostOf = (name: string) => ctx.registry.find('VirtualMachine', 'team-a', name)!.host;

describe('VirtualMachineSetResourcePolicy', () => {
  it('refuses a VM naming a policy that does not exist, and a pool reserving more than its limit', () => {
    const vm = planOf(manifests({ 'ns.yaml': namespaceYaml('team-a'), 'vm.yaml': member('cp-0') }), ctx.registry).changes.find((c) => c.kind === 'VirtualMachine')!;
    expect(vm.admission).toMatchObject({ allowed: false, reason: 'ResourcePolicyNotFound', message: 'virtualmachinesetresourcepolicies.vmoperator.vmware.com "control-plane" not found' });
    const pool = planOf(manifests({ 'ns.yaml': namespaceYaml('team-a'), 'p.yaml': resourcePolicy('{name: pool, reservations: {cpu: 4000m}, limits: {cpu: "2"}}') }), ctx.registry).changes.find((c) => c.kind === 'VirtualMachineSetResourcePolicy')!;
    expect(pool.admission).toMatchObject({ allowed: false, message: 'spec.resourcePool.reservations.cpu: must be less than or equal to spec.resourcePool.limits.cpu' });
  });

  // Three big running VMs take three of the four hosts first; then three small VMs arrive.
  const placeSmallVms = async (module: boolean) => {
    await planAndApply(manifests({ 'ns.yaml': namespaceYaml('team-a'), 'big.yaml': bigVms }), ctx.registry, ctx.store);
    const members = ['cp-0', 'cp-1', 'cp-2'].map((n) => member(n, module)).join('---\n');
    await planAndApply(manifests({ 'ns.yaml': namespaceYaml('team-a'), 'big.yaml': bigVms, 'p.yaml': resourcePolicy(), 'cp.yaml': members }), ctx.registry, ctx.store);
    return { big: ['big-0', 'big-1', 'big-2'].map(hostOf), small: ['cp-0', 'cp-1', 'cp-2'].map(hostOf) };
  };

  it('without a cluster module, DRS stacks small VMs on the emptiest host', async () => {
    const { big, small } = await placeSmallVms(false);
    expect(new Set(big).size).toBe(3);
    expect(new Set(small).size).toBe(1);
    expect(big).not.toContain(small[0]);
  });

  it('keeps the members of a cluster module on different hosts, and records the module', async () => {
    const { small } = await placeSmallVms(true);
    expect(new Set(small).size).toBe(3);
    expect(ctx.registry.find('VirtualMachine', 'team-a', 'cp-0')).toMatchObject({ resourcePolicy: 'control-plane', clusterModule: 'team-a/control-plane/control-plane-group' });
  });
});
