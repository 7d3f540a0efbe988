import { describe, expect, it } from 'vitest';
import { manifests, namespaceYaml, planOf, useInventoryStore, vmYaml } from '../../support/fixtures.js';
import { advanceAndRunTasks, planAndApply } from '../../support/reconcile.js';
import { findKubeObject } from '../../../daemon/inventory/kube-object.js';
import { DEFAULT_DELAYS } from '../../../daemon/inventory/topology.js';

const ctx = useInventoryStore();
const request = (target: string, name = 'web') => `apiVersion: vmoperator.vmware.com/v1alpha3
kind: VirtualMachinePublishRequest
metadata: {name: ${name}, namespace: team-a}
spec:
  target:
${target}`;
const toLibrary = (library: string, item?: string) => `    location: {name: ${library}}\n${item ? `    item: {name: ${item}}\n` : ''}`;
// The VI admin lets team-a write pacific-images (a namespace publishes only where its policy lets it write).
const writable = 'apiVersion: pacific.dev/v1alpha1\nkind: NamespacePolicy\nmetadata: {name: policy, namespace: team-a}\nspec:\n  writableContentLibraries: [pacific-images]\n';
const base = { 'ns.yaml': namespaceYaml('team-a'), 'policy.yaml': writable, 'vm.yaml': vmYaml('team-a', 'web', { image: 'photon-5' }) };
const admissionOf = (files: Record<string, string>) => planOf(manifests(files), ctx.registry, ctx.store.ownership()).changes.find((c) => c.kind === 'VirtualMachinePublishRequest')!.admission;
const requestStatus = () => findKubeObject(ctx.registry, 'VirtualMachinePublishRequest', 'team-a', 'web')!.status ?? {};

describe('VirtualMachinePublishRequest', () => {
  it('publishes a VM as a new content library item, once; a VM then boots from it by name', async () => {
    const files = { ...base, 'publish.yaml': request(toLibrary('pacific-images')) };
    await planAndApply(manifests(files), ctx.registry, ctx.store);
    expect(requestStatus()).toMatchObject({ startTime: expect.any(String) });
    expect(ctx.registry.list('LibraryItem').some((i) => i.name === 'web-image')).toBe(false);

    advanceAndRunTasks(ctx.registry, ctx.store, DEFAULT_DELAYS.publishMs);
    const item = ctx.registry.list('LibraryItem').find((i) => i.name === 'web-image')!;
    // The source VM's disk and OS carry over; the image name derives from the new item's UUID.
    expect(item).toMatchObject({ osType: 'vmwarePhoton64Guest', diskCapacityBytes: ctx.registry.find('VirtualMachine', 'team-a', 'web')!.diskBytes, imageName: expect.stringMatching(/^vmi-[0-9a-f]{17}$/) });
    expect(requestStatus()).toMatchObject({ ready: true, imageName: item.imageName, completionTime: expect.any(String) });

    // Declared still, never repeated.
    expect(planOf(manifests(files), ctx.registry, ctx.store.ownership()).changes).toEqual([]);
    await planAndApply(manifests(files), ctx.registry, ctx.store);
    advanceAndRunTasks(ctx.registry, ctx.store, DEFAULT_DELAYS.publishMs);
    expect(ctx.registry.list('LibraryItem').filter((i) => i.name === 'web-image')).toHaveLength(1);

    await planAndApply(manifests({ ...files, 'clone.yaml': vmYaml('team-a', 'clone', { image: 'web-image' }) }), ctx.registry, ctx.store);
    expect(ctx.registry.find('VirtualMachine', 'team-a', 'clone')).toMatchObject({ imageName: item.imageName, powerState: 'PoweredOn' });
  });

  it("publishes a request without spec.target.location to the namespace's default content library", async () => {
    const policy = 'apiVersion: pacific.dev/v1alpha1\nkind: NamespacePolicy\nmetadata: {name: policy, namespace: team-a}\nspec:\n  defaultContentLibrary: pacific-images\n';
    const files = { ...base, 'policy.yaml': policy, 'publish.yaml': 'apiVersion: vmoperator.vmware.com/v1alpha5\nkind: VirtualMachinePublishRequest\nmetadata: {name: web, namespace: team-a}\n' };
    expect(admissionOf(files).allowed).toBe(true);
    await planAndApply(manifests(files), ctx.registry, ctx.store);
    advanceAndRunTasks(ctx.registry, ctx.store, DEFAULT_DELAYS.publishMs);
    const library = ctx.registry.list('ContentLibrary').find((l) => l.name === 'pacific-images')!;
    expect(ctx.registry.list('LibraryItem').find((i) => i.name === 'web-image')).toMatchObject({ library: library.id });
    expect(requestStatus()).toMatchObject({ ready: true });
  });

  it('refuses a request without its source VM, target library, or with an item name the library has', () => {
    expect(admissionOf({ 'ns.yaml': namespaceYaml('team-a'), 'p.yaml': request(toLibrary('pacific-images')) })).toMatchObject({
      allowed: false,
      message: 'spec.source: virtualmachines.vmoperator.vmware.com "web" not found',
    });
    expect(admissionOf({ ...base, 'p.yaml': request('    item: {name: x}\n') })).toMatchObject({
      allowed: false,
      reason: 'NotFound',
      message: 'spec.target.location: namespace team-a has no default content library (NamespacePolicy spec.defaultContentLibrary)',
    });
    expect(admissionOf({ ...base, 'p.yaml': request(toLibrary('elsewhere')) }).message).toBe('spec.target.location: content library elsewhere not found');
    expect(admissionOf({ ...base, 'p.yaml': request(toLibrary('pacific-images', 'photon-5')) }).message).toBe(
      'spec.target.item.name: an item named photon-5 already exists in content library pacific-images',
    );
  });
});
