import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../daemon/store/store.js';
import type { InventoryRegistry } from '../../daemon/inventory/registry.js';
import { createNamespace } from '../../daemon/inventory/namespace.js';
import { freshInventory, manifests, namespaceYaml, planOf, tempDir, vmYaml } from '../support/fixtures.js';
import { planAndApply } from '../support/reconcile.js';

let registry: InventoryRegistry;
let store: Store;
let cleanup: () => void;

beforeEach(() => {
  const tmp = tempDir();
  cleanup = tmp.cleanup;
  store = Store.open(tmp.dir);
  registry = freshInventory();
  store.saveInventory(registry.all());
});

afterEach(() => {
  store.close();
  cleanup();
});

const ns = namespaceYaml('team-a', { 'limits.cpu': 8 });

describe('prune', () => {
  it('deletes what pacific created and the repo no longer declares, workloads before their namespace', async () => {
    await planAndApply(manifests({ 'ns.yaml': ns, 'vms.yaml': [vmYaml('team-a', 'a'), vmYaml('team-a', 'b')].join('---\n') }), registry, store);
    const plan = planOf(manifests({ 'ns.yaml': ns, 'vms.yaml': vmYaml('team-a', 'a') }), registry, store.ownership());
    expect(plan.changes.map((c) => `${c.action} ${c.kind}/${c.name}`)).toEqual(['delete VirtualMachine/b']);
    await planAndApply(manifests({ 'ns.yaml': ns, 'vms.yaml': vmYaml('team-a', 'a') }), registry, store);
    expect(registry.list('VirtualMachine').map((v) => v.name)).toEqual(['a']);
    expect(store.ownership().has('vmoperator.vmware.com/VirtualMachine/team-a/b')).toBe(false);

    const empty = await planAndApply([], registry, store);
    expect(empty.plan.changes.map((c) => `${c.action} ${c.kind}/${c.name}`)).toEqual(['delete VirtualMachine/a', 'delete ResourceQuota/compute', 'delete Namespace/team-a']);
    expect(empty.results.every((r) => r.outcome === 'deleted')).toBe(true);
    expect(registry.list('Namespace')).toEqual([]);
  });

  it('keeps an object annotated pacific.dev/prune: disabled', async () => {
    const kept = vmYaml('team-a', 'keep').replace('  namespace: team-a\n', '  namespace: team-a\n  annotations:\n    pacific.dev/prune: disabled\n');
    await planAndApply(manifests({ 'ns.yaml': ns, 'vms.yaml': kept }), registry, store);
    const plan = planOf(manifests({ 'ns.yaml': ns }), registry, store.ownership());
    expect(plan.changes).toEqual([]);
  });

  it('never deletes what pacific did not create: an adopted namespace is released, not deleted', async () => {
    registry.transaction(() => createNamespace(registry, { apiVersion: 'v1', kind: 'Namespace', namespace: '', name: 'legacy' }));
    const declared = manifests({ 'ns.yaml': namespaceYaml('legacy').replace('  name: legacy\n', '  name: legacy\n  labels:\n    owner: platform\n') });
    const adopt = await planAndApply(declared, registry, store);
    expect(adopt.results.map((r) => r.outcome)).toEqual(['configured']);
    expect(store.ownership().get('/Namespace//legacy')).toBe('adopted');
    const release = await planAndApply([], registry, store);
    expect(release.results.map((r) => r.outcome)).toEqual(['released']);
    expect(registry.find('Namespace', '', 'legacy')).toBeDefined();
    expect(store.ownership().size).toBe(0);
  });

  it('ignores objects nobody declared that pacific did not create', async () => {
    registry.transaction(() => createNamespace(registry, { apiVersion: 'v1', kind: 'Namespace', namespace: '', name: 'foreign' }));
    expect(planOf([], registry, store.ownership()).changes).toEqual([]);
  });

  it('refuses to delete a namespace that still holds a workload the revision keeps out of the prune', async () => {
    const kept = vmYaml('team-a', 'keep').replace('  namespace: team-a\n', '  namespace: team-a\n  annotations:\n    pacific.dev/prune: disabled\n');
    await planAndApply(manifests({ 'ns.yaml': ns, 'vms.yaml': kept }), registry, store);
    const { plan, results } = await planAndApply([], registry, store);
    const nsDelete = plan.changes.find((c) => c.kind === 'Namespace')!;
    expect(nsDelete.admission).toMatchObject({ allowed: false, reason: 'NamespaceNotEmpty' });
    expect(nsDelete.admission.message).toContain('vmoperator.vmware.com/VirtualMachine/team-a/keep');
    expect(results.find((r) => r.change.kind === 'Namespace')!.outcome).toBe('refused');
    expect(registry.find('Namespace', '', 'team-a')).toBeDefined();
  });
});
