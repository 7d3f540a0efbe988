import { describe, expect, it } from 'vitest';
import { DEFAULT_TOPOLOGY } from '../../../daemon/inventory/topology.js';
import { freshInventory, manifests, namespaceYaml, planOf, useInventoryStore, vmYaml } from '../../support/fixtures.js';
import { advanceAndRunTasks, planAndApply } from '../../support/reconcile.js';
import { podYaml } from './workloads.js';

const ctx = useInventoryStore();

function policyYaml(spec: string): string {
  return `apiVersion: pacific.dev/v1alpha1
kind: NamespacePolicy
metadata:
  name: policy
  namespace: team-a
spec:
${spec}`;
}

const claim = (name: string) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: ${name}, namespace: team-a}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: vsan-default-storage-policy
  resources: {requests: {storage: 5Gi}}
`;

describe('NamespacePolicy admission', () => {
  it('refuses a VM whose class, image library or storage class the namespace does not allow, naming the rule', () => {
    const topology = {
      ...DEFAULT_TOPOLOGY,
      contentLibraries: [...DEFAULT_TOPOLOGY.contentLibraries, { name: 'untrusted', items: [{ name: 'random-image', uuid: '0f0f0f0f-1111-4222-8333-444455556666', osType: 'otherGuest64', diskCapacityBytes: 2 ** 30 }] }],
    };
    const registry = freshInventory(topology);
    const policy = policyYaml('  vmClasses: [best-effort-small, best-effort-medium]\n  contentLibraries: [pacific-images]\n  storagePolicies: [vsan-default-storage-policy]\n');
    const verdict = (vm: string) => planOf(manifests({ 'ns.yaml': namespaceYaml('team-a'), 'policy.yaml': policy, 'vm.yaml': vm }), registry).changes.find((c) => c.kind === 'VirtualMachine')!.admission;
    expect(verdict(vmYaml('team-a', 'ok')).allowed).toBe(true);
    expect(verdict(vmYaml('team-a', 'big', { className: 'guaranteed-large' }))).toMatchObject({
      allowed: false,
      reason: 'NotAllowedByPolicy',
      message: 'VM class guaranteed-large is not bound to namespace team-a (NamespacePolicy spec.vmClasses: best-effort-small, best-effort-medium)',
    });
    expect(verdict(vmYaml('team-a', 'odd', { image: 'random-image' })).message).toBe('images of content library untrusted are not allowed in namespace team-a (NamespacePolicy spec.contentLibraries: pacific-images)');
  });

  it('refuses a storage class the namespace does not allow, for VMs and claims', () => {
    const policy = policyYaml('  storagePolicies: []\n');
    const plan = planOf(manifests({ 'ns.yaml': namespaceYaml('team-a'), 'policy.yaml': policy, 'vm.yaml': vmYaml('team-a', 'v'), 'pvc.yaml': claim('data') }), ctx.registry);
    for (const kind of ['VirtualMachine', 'PersistentVolumeClaim']) {
      expect(plan.changes.find((c) => c.kind === kind)!.admission).toMatchObject({ allowed: false, reason: 'NotAllowedByPolicy', message: 'storage class vsan-default-storage-policy is not allowed in namespace team-a (NamespacePolicy spec.storagePolicies: none)' });
    }
  });

  it('refuses a policy naming what vCenter lacks, both hosts and a host group, or a second policy', () => {
    const verdict = (...policies: string[]) => planOf(manifests({ 'ns.yaml': namespaceYaml('team-a'), 'policy.yaml': policies.join('---\n') }), ctx.registry).changes.filter((c) => c.kind === 'NamespacePolicy').map((c) => c.admission.message ?? 'allowed');
    expect(verdict(policyYaml('  vmClasses: [gold-xl]\n'))).toEqual(['spec.vmClasses: gold-xl not found in vCenter']);
    expect(verdict(policyYaml('  placement: {hosts: [esx-01.pacific.local], hostGroup: rack-a}\n'))).toEqual(['spec.placement: set either hosts or hostGroup, not both']);
    expect(verdict(policyYaml('  defaultContentLibrary: nowhere\n'))).toEqual(['spec.defaultContentLibrary: nowhere not found in vCenter']);
    expect(verdict(policyYaml('  contentLibraries: [pacific-images]\n  defaultContentLibrary: kubernetes-releases\n'))).toEqual([
      'spec.defaultContentLibrary: kubernetes-releases is not one of spec.contentLibraries (pacific-images)',
    ]);
    expect(verdict(policyYaml('  vmClasses: []\n'), policyYaml('  vmClasses: []\n').replace('name: policy', 'name: second'))).toEqual(['allowed', 'namespace team-a already has NamespacePolicy policy; a namespace has one policy']);
  });
});

describe('namespace-wide operations', () => {
  const members = { 'ns.yaml': namespaceYaml('team-a'), 'vms.yaml': ['a', 'b', 'c'].map((n) => vmYaml('team-a', n)).join('---\n'), 'pods.yaml': ['p', 'q'].map((n) => podYaml('team-a', n)).join('---\n'), 'pvc.yaml': [claim('d1'), claim('d2')].join('---\n') };

  it('encrypts every VM, pod VM and disk of the namespace when the policy requires it, and re-keys them all when the key provider changes', async () => {
    await planAndApply(manifests(members), ctx.registry, ctx.store);
    const encrypt = manifests({ ...members, 'policy.yaml': policyYaml('  encryption: {required: true}\n') });
    const plan = planOf(encrypt, ctx.registry, ctx.store.ownership());
    const touched = plan.changes.filter((c) => c.fields.some((f) => f.path === 'status.crypto.encrypted'));
    expect(touched.map((c) => c.kind).sort()).toEqual(['PersistentVolumeClaim', 'PersistentVolumeClaim', 'Pod', 'Pod', 'VirtualMachine', 'VirtualMachine', 'VirtualMachine']);
    await planAndApply(encrypt, ctx.registry, ctx.store);
    const all = () => [...ctx.registry.inNamespace('VirtualMachine', 'team-a'), ...ctx.registry.inNamespace('Pod', 'team-a'), ...ctx.registry.inNamespace('Disk', 'team-a')];
    expect(all().map((e) => e.crypto)).toEqual(Array(7).fill({ encrypted: true, keyProvider: 'pacific-native-key-provider' }));
    expect(planOf(encrypt, ctx.registry, ctx.store.ownership()).changes).toEqual([]);

    const rekey = manifests({ ...members, 'policy.yaml': policyYaml('  encryption: {required: true, keyProvider: hytrust-kms}\n') });
    const rekeyPlan = await planAndApply(rekey, ctx.registry, ctx.store);
    expect(rekeyPlan.plan.changes.filter((c) => c.fields.some((f) => f.path === 'status.crypto.keyProvider' && f.to === 'hytrust-kms'))).toHaveLength(7);
    expect(all().every((e) => e.crypto?.keyProvider === 'hytrust-kms')).toBe(true);
    // New members are created encrypted.
    await planAndApply(manifests({ ...members, 'policy.yaml': policyYaml('  encryption: {required: true, keyProvider: hytrust-kms}\n'), 'late.yaml': vmYaml('team-a', 'late') }), ctx.registry, ctx.store);
    expect(ctx.registry.find('VirtualMachine', 'team-a', 'late')!.crypto).toEqual({ encrypted: true, keyProvider: 'hytrust-kms' });
  });

  it('moves every VM and pod by vMotion when the namespace is pinned to a host group, at most 8 at a time per host', async () => {
    const many = { ...members, 'vms.yaml': Array.from({ length: 20 }, (_, i) => vmYaml('team-a', `vm-${i}`)).join('---\n'), 'pods.yaml': Array.from({ length: 12 }, (_, i) => podYaml('team-a', `pod-${i}`)).join('---\n') };
    await planAndApply(manifests(many), ctx.registry, ctx.store);
    advanceAndRunTasks(ctx.registry, ctx.store, 300);
    const rackA = new Set(['esx-01.pacific.local', 'esx-02.pacific.local']);
    const hostOf = (id: string) => ctx.registry.get('Host', id)!.name;
    const workloads = () => [...ctx.registry.inNamespace('VirtualMachine', 'team-a'), ...ctx.registry.inNamespace('Pod', 'team-a')];
    const outside = workloads().filter((w) => !rackA.has(hostOf(w.host))).length;
    expect(outside).toBeGreaterThan(8);

    const pinned = manifests({ ...many, 'policy.yaml': policyYaml('  placement: {hostGroup: rack-a}\n') });
    const { plan } = await planAndApply(pinned, ctx.registry, ctx.store);
    const moves = plan.changes.filter((c) => c.fields.some((f) => f.path === 'status.host'));
    expect(moves).toHaveLength(outside);
    expect(moves.every((c) => rackA.has(c.admission.placement!.host))).toBe(true);
    // Every workload counts on its new host at once; the vMotions run at most 8 per host at a time.
    expect(workloads().every((w) => rackA.has(hostOf(w.host)))).toBe(true);
    const dueTimes = ctx.registry.list('Task').filter((t) => t.kind === 'VMotionCompleted').map((t) => t.dueAt);
    expect(dueTimes).toHaveLength(outside);
    const perSlot = new Map<number, number>();
    for (const t of dueTimes) perSlot.set(t, (perSlot.get(t) ?? 0) + 1);
    expect(Math.max(...perSlot.values())).toBeLessThanOrEqual(16); // 8 per source host, two source hosts
    expect(planOf(pinned, ctx.registry, ctx.store.ownership()).changes).toEqual([]); // in flight: nothing more to do
    for (let i = 0; i < 10; i++) advanceAndRunTasks(ctx.registry, ctx.store, 2000);
    expect(workloads().filter((w) => w.migration)).toEqual([]);
    expect(ctx.store.recentEvents(100).filter((e) => e.reason === 'VMotionCompleted')).toHaveLength(outside);
    // New members land on the group's hosts.
    const late = planOf(manifests({ ...many, 'policy.yaml': policyYaml('  placement: {hostGroup: rack-a}\n'), 'late.yaml': vmYaml('team-a', 'late') }), ctx.registry, ctx.store.ownership());
    expect(rackA.has(late.changes.find((c) => c.name === 'late')!.admission.placement!.host)).toBe(true);
  });
});

describe('registry', () => {
  const registryPolicy = (enabled: boolean) =>
    policyYaml(`  registry: {enabled: ${enabled}, storageQuota: 200Gi}
  permissions:
  - {subject: {kind: User, name: alice@vsphere.local}, role: owner}
  - {subject: {kind: Group, name: web-devs@vsphere.local}, role: edit}
  - {subject: {kind: User, name: auditor@vsphere.local}, role: view}
`);

  it('gives an enabled namespace a project of the same name whose members mirror its permissions, and removes it with the namespace', async () => {
    await planAndApply(manifests({ 'ns.yaml': namespaceYaml('team-a'), 'policy.yaml': registryPolicy(true) }), ctx.registry, ctx.store);
    const project = ctx.registry.find('KubeObject', 'team-a', 'RegistryProject/team-a')!;
    expect(project.object.spec).toEqual({
      members: [
        { subject: { kind: 'User', name: 'alice@vsphere.local' }, role: 'projectAdmin' },
        { subject: { kind: 'Group', name: 'web-devs@vsphere.local' }, role: 'developer' },
        { subject: { kind: 'User', name: 'auditor@vsphere.local' }, role: 'guest' },
      ],
      storageQuota: '200Gi',
    });
    expect(project.object.owner).toBe('NamespacePolicy/team-a/policy');
    const disabled = await planAndApply(manifests({ 'ns.yaml': namespaceYaml('team-a'), 'policy.yaml': registryPolicy(false) }), ctx.registry, ctx.store);
    expect(disabled.plan.changes.map((c) => `${c.action} ${c.kind}`)).toEqual(['update NamespacePolicy', 'delete RegistryProject']);
    await planAndApply(manifests({ 'ns.yaml': namespaceYaml('team-a'), 'policy.yaml': registryPolicy(true) }), ctx.registry, ctx.store);
    const gone = await planAndApply([], ctx.registry, ctx.store);
    expect(gone.results.map((r) => `${r.change.kind} ${r.outcome}`)).toEqual(['RegistryProject deleted', 'NamespacePolicy deleted', 'Namespace deleted']);
    expect(ctx.registry.list('KubeObject')).toEqual([]);
  });
});

describe('snapshot policy', () => {
  const snapshotPolicy = policyYaml('  snapshots: {schedule: "0 2 * * *", retention: 2}\n');

  it('snapshots every VM on schedule, keeps the retention, and counts snapshots against the storage quota', async () => {
    const quota = namespaceYaml('team-a', { 'requests.storage': '66Gi' });
    const files = { 'ns.yaml': quota, 'policy.yaml': snapshotPolicy, 'vms.yaml': ['a', 'b', 'c'].map((n) => vmYaml('team-a', n)).join('---\n') };
    await planAndApply(manifests(files), ctx.registry, ctx.store);
    const snaps = () => ctx.registry.inNamespace('Snapshot', 'team-a');
    expect(advanceAndRunTasks(ctx.registry, ctx.store, 2 * 3600_000)).toBe(1); // 02:00 on the first day
    expect(snaps()).toHaveLength(3);
    expect(snaps()[0]!.sizeBytes).toBe(2 ** 30); // 10% of a 10 GiB image disk
    advanceAndRunTasks(ctx.registry, ctx.store, 24 * 3600_000);
    advanceAndRunTasks(ctx.registry, ctx.store, 24 * 3600_000);
    expect(snaps()).toHaveLength(6); // 2 per VM
    // 3 × 10Gi disks + 6 × 1Gi snapshots = 36Gi of 66Gi: a claim of 31Gi does not fit.
    const big = `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: big, namespace: team-a}\nspec:\n  accessModes: [ReadWriteOnce]\n  storageClassName: vsan-default-storage-policy\n  resources: {requests: {storage: 31Gi}}\n`;
    const plan = planOf(manifests({ ...files, 'pvc.yaml': big }), ctx.registry, ctx.store.ownership());
    expect(plan.changes.find((c) => c.name === 'big')!.admission.message).toContain('requested: requests.storage=31Gi, used: requests.storage=36Gi, limited: requests.storage=66Gi');
    expect(ctx.store.recentEvents(20).find((e) => e.reason === 'SnapshotsTaken')!.message).toBe('took 3 scheduled snapshot(s), removed 3 beyond the retention of 2');
  });

  it('skips a snapshot that would exceed the quota, with a warning, and stops with the policy', async () => {
    const files = { 'ns.yaml': namespaceYaml('team-a', { 'requests.storage': '11Gi' }), 'policy.yaml': snapshotPolicy, 'vms.yaml': vmYaml('team-a', 'a') };
    await planAndApply(manifests(files), ctx.registry, ctx.store);
    advanceAndRunTasks(ctx.registry, ctx.store, 2 * 3600_000);
    advanceAndRunTasks(ctx.registry, ctx.store, 24 * 3600_000);
    expect(ctx.registry.inNamespace('Snapshot', 'team-a')).toHaveLength(1);
    expect(ctx.store.recentEvents(20).find((e) => e.reason === 'SnapshotSkipped')!.message).toContain('exceeded quota: compute');
    await planAndApply(manifests({ 'ns.yaml': files['ns.yaml'], 'vms.yaml': files['vms.yaml'] }), ctx.registry, ctx.store);
    expect(ctx.registry.list('Task').filter((t) => t.kind === 'NamespaceSnapshots')).toEqual([]);
  });

  it('refuses a schedule that is not a cron expression', () => {
    const plan = planOf(manifests({ 'ns.yaml': namespaceYaml('team-a'), 'policy.yaml': policyYaml('  snapshots: {schedule: "every night", retention: 2}\n') }), ctx.registry);
    expect(plan.changes.find((c) => c.kind === 'NamespacePolicy')!.admission.message).toMatch(/^spec\.snapshots\.schedule: /);
  });
});
