import { describe, expect, it } from 'vitest';
import { createNamespace } from '../../daemon/inventory/namespace.js';
import { manifests, namespaceYaml, planOf, useInventoryStore, vmYaml } from '../support/fixtures.js';
import { planAndApply } from '../support/reconcile.js';

const ctx = useInventoryStore();

const ns = namespaceYaml('team-a', { 'limits.cpu': 8 });

describe('prune', () => {
  it('deletes what pacific created and the repo no longer declares, workloads before their namespace', async () => {
    await planAndApply(manifests({ 'ns.yaml': ns, 'vms.yaml': [vmYaml('team-a', 'a'), vmYaml('team-a', 'b')].join('---\n') }), ctx.registry, ctx.store);
    const plan = planOf(manifests({ 'ns.yaml': ns, 'vms.yaml': vmYaml('team-a', 'a') }), ctx.registry, ctx.store.ownership());
    expect(plan.changes.map((c) => `${c.action} ${c.kind}/${c.name}`)).toEqual(['delete VirtualMachine/b']);
    await planAndApply(manifests({ 'ns.yaml': ns, 'vms.yaml': vmYaml('team-a', 'a') }), ctx.registry, ctx.store);
    expect(ctx.registry.list('VirtualMachine').map((v) => v.name)).toEqual(['a']);
    expect(ctx.store.ownership().has('vmoperator.vmware.com/VirtualMachine/team-a/b')).toBe(false);

    const empty = await planAndApply([], ctx.registry, ctx.store);
    expect(empty.plan.changes.map((c) => `${c.action} ${c.kind}/${c.name}`)).toEqual(['delete VirtualMachine/a', 'delete ResourceQuota/compute', 'delete Namespace/team-a']);
    expect(empty.results.every((r) => r.outcome === 'deleted')).toBe(true);
    expect(ctx.registry.list('Namespace')).toEqual([]);
  });

  it('keeps an object annotated pacific.dev/prune: disabled', async () => {
    const kept = vmYaml('team-a', 'keep').replace('  namespace: team-a\n', '  namespace: team-a\n  annotations:\n    pacific.dev/prune: disabled\n');
    await planAndApply(manifests({ 'ns.yaml': ns, 'vms.yaml': kept }), ctx.registry, ctx.store);
    const plan = planOf(manifests({ 'ns.yaml': ns }), ctx.registry, ctx.store.ownership());
    expect(plan.changes).toEqual([]);
  });

  it('never deletes what pacific did not create: an adopted namespace is released, not deleted', async () => {
    ctx.registry.transaction(() => createNamespace(ctx.registry, { apiVersion: 'v1', kind: 'Namespace', namespace: '', name: 'legacy' }));
    const declared = manifests({ 'ns.yaml': namespaceYaml('legacy').replace('  name: legacy\n', '  name: legacy\n  labels:\n    owner: platform\n') });
    const adopt = await planAndApply(declared, ctx.registry, ctx.store);
    expect(adopt.results.map((r) => r.outcome)).toEqual(['configured']);
    expect(ctx.store.ownership().get('/Namespace//legacy')).toBe('adopted');
    const release = await planAndApply([], ctx.registry, ctx.store);
    expect(release.results.map((r) => r.outcome)).toEqual(['released']);
    expect(ctx.registry.find('Namespace', '', 'legacy')).toBeDefined();
    expect(ctx.store.ownership().size).toBe(0);
  });

  it('ignores objects nobody declared that pacific did not create', async () => {
    ctx.registry.transaction(() => createNamespace(ctx.registry, { apiVersion: 'v1', kind: 'Namespace', namespace: '', name: 'foreign' }));
    expect(planOf([], ctx.registry, ctx.store.ownership()).changes).toEqual([]);
  });

  it('refuses to delete a namespace that still holds a workload the revision keeps out of the prune', async () => {
    const kept = vmYaml('team-a', 'keep').replace('  namespace: team-a\n', '  namespace: team-a\n  annotations:\n    pacific.dev/prune: disabled\n');
    await planAndApply(manifests({ 'ns.yaml': ns, 'vms.yaml': kept }), ctx.registry, ctx.store);
    const { plan, results } = await planAndApply([], ctx.registry, ctx.store);
    const nsDelete = plan.changes.find((c) => c.kind === 'Namespace')!;
    expect(nsDelete.admission).toMatchObject({ allowed: false, reason: 'NamespaceNotEmpty' });
    expect(nsDelete.admission.message).toContain('vmoperator.vmware.com/VirtualMachine/team-a/keep');
    expect(results.find((r) => r.change.kind === 'Namespace')!.outcome).toBe('refused');
    expect(ctx.registry.find('Namespace', '', 'team-a')).toBeDefined();
  });
});
