import { describe, expect, it } from 'vitest';
import { manifests, namespaceYaml, planOf, useInventoryStore, vmYaml } from '../../support/fixtures.js';
import { planAndApply } from '../../support/reconcile.js';
import { podYaml } from './workloads.js';

const ctx = useInventoryStore();
const claim = (name: string, size: string, mode = 'ReadWriteOnce') => `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${name}
  namespace: team-a
spec:
  accessModes: [${mode}]
  storageClassName: vsan-default-storage-policy
  resources:
    requests: {storage: ${size}}
`;
const usingClaim = (pod: string, claimName: string) => podYaml('team-a', pod, [{}], `  volumes:\n  - name: data\n    persistentVolumeClaim: {claimName: ${claimName}}\n`);
const vmWithClaim = (name: string, claimName: string) => vmYaml('team-a', name, { extra: `  volumes:\n  - name: data\n    persistentVolumeClaim:\n      claimName: ${claimName}` });
const sc = 'vsan-default-storage-policy.storageclass.storage.k8s.io/requests.storage';

describe('PersistentVolumeClaim', () => {
  it('becomes a first-class disk on the policy datastore, counted against the storage quota', async () => {
    const ns = namespaceYaml('team-a', { [sc]: '100Gi', 'requests.storage': '100Gi' });
    const { plan } = await planAndApply(manifests({ 'ns.yaml': ns, 'pvc.yaml': claim('data', '40Gi') }), ctx.registry, ctx.store);
    expect(plan.changes.find((c) => c.kind === 'PersistentVolumeClaim')!.admission.placement).toEqual({ host: '-', datastore: 'vsanDatastore' });
    const disk = ctx.registry.find('Disk', 'team-a', 'data')!;
    expect(disk).toMatchObject({ capacityBytes: 40 * 2 ** 30, storagePolicy: 'vsan-default-storage-policy', attachedTo: [] });
    expect(disk.id).toMatch(/^fcd-/);
    const over = planOf(manifests({ 'ns.yaml': ns, 'pvc.yaml': [claim('data', '40Gi'), claim('more', '70Gi')].join('---\n') }), ctx.registry, ctx.store.ownership());
    expect(over.changes.find((c) => c.name === 'more')!.admission.message).toBe(
      `persistentvolumeclaims "more" is forbidden: exceeded quota: compute, requested: requests.storage=70Gi,${sc}=70Gi, used: requests.storage=40Gi,${sc}=40Gi, limited: requests.storage=100Gi,${sc}=100Gi`,
    );
  });

  it('attaches to pods and VMs; a ReadWriteOnce claim serves one workload at a time', async () => {
    const files = { 'ns.yaml': namespaceYaml('team-a'), 'pvc.yaml': [claim('data', '10Gi'), claim('shared', '10Gi', 'ReadWriteMany')].join('---\n') };
    await planAndApply(manifests({ ...files, 'pod.yaml': usingClaim('db', 'data'), 'vm.yaml': vmWithClaim('app', 'shared'), 'pod2.yaml': usingClaim('reader', 'shared') }), ctx.registry, ctx.store);
    const pod = ctx.registry.find('Pod', 'team-a', 'db')!;
    expect(ctx.registry.find('Disk', 'team-a', 'data')!.attachedTo).toEqual([pod.id]);
    expect(ctx.registry.find('Disk', 'team-a', 'shared')!.attachedTo).toHaveLength(2);
    const second = planOf(manifests({ ...files, 'pod.yaml': usingClaim('db', 'data'), 'vm.yaml': vmWithClaim('app', 'shared'), 'pod2.yaml': usingClaim('reader', 'shared'), 'pod3.yaml': usingClaim('thief', 'data') }), ctx.registry, ctx.store.ownership());
    expect(second.changes.find((c) => c.name === 'thief')!.admission).toMatchObject({ allowed: false, reason: 'InUse', message: expect.stringContaining('Multi-Attach error for volume "data"') });
    const missing = planOf(manifests({ ...files, 'pod.yaml': usingClaim('lost', 'nope') }), ctx.registry, ctx.store.ownership());
    expect(missing.changes.find((c) => c.name === 'lost')!.admission).toMatchObject({ reason: 'ClaimNotFound', message: 'persistentvolumeclaim "nope" not found' });
  });

  it('is never pruned while a workload that stays uses it; pruned with its last consumer', async () => {
    const kept = usingClaim('db', 'data').replace('  namespace: team-a\n', '  namespace: team-a\n  annotations: {pacific.dev/prune: disabled}\n');
    await planAndApply(manifests({ 'ns.yaml': namespaceYaml('team-a'), 'pvc.yaml': claim('data', '10Gi'), 'pod.yaml': kept }), ctx.registry, ctx.store);
    const { plan } = await planAndApply(manifests({ 'ns.yaml': namespaceYaml('team-a') }), ctx.registry, ctx.store);
    expect(plan.changes.find((c) => c.kind === 'PersistentVolumeClaim')!.admission).toMatchObject({ allowed: false, reason: 'InUse' });
    expect(ctx.registry.find('Disk', 'team-a', 'data')).toBeDefined();

    await planAndApply(manifests({ 'ns.yaml': namespaceYaml('team-a'), 'pvc.yaml': claim('other', '10Gi'), 'pod.yaml': usingClaim('user', 'other') }), ctx.registry, ctx.store);
    const prune = await planAndApply(manifests({ 'ns.yaml': namespaceYaml('team-a') }), ctx.registry, ctx.store);
    expect(prune.results.filter((r) => r.change.name === 'user' || r.change.name === 'other').map((r) => `${r.change.kind} ${r.outcome}`)).toEqual(['Pod deleted', 'PersistentVolumeClaim deleted']);
  });

  it('grows but never shrinks; other spec changes are refused as the API server refuses them', async () => {
    await planAndApply(manifests({ 'ns.yaml': namespaceYaml('team-a'), 'pvc.yaml': claim('data', '10Gi') }), ctx.registry, ctx.store);
    const change = (yaml: string) => planOf(manifests({ 'ns.yaml': namespaceYaml('team-a'), 'pvc.yaml': yaml }), ctx.registry, ctx.store.ownership()).changes[0]!;
    expect(change(claim('data', '20Gi')).admission).toMatchObject({ allowed: true, notes: ['disk grows from 10Gi to 20Gi'] });
    expect(change(claim('data', '5Gi')).admission.message).toContain('field can not be less than previous value');
    expect(change(claim('data', '10Gi', 'ReadWriteMany')).admission.message).toContain('spec is immutable after creation except resources.requests');
    await planAndApply(manifests({ 'ns.yaml': namespaceYaml('team-a'), 'pvc.yaml': claim('data', '20Gi') }), ctx.registry, ctx.store);
    expect(ctx.registry.find('Disk', 'team-a', 'data')!.capacityBytes).toBe(20 * 2 ** 30);
  });
});
