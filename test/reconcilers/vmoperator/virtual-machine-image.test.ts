import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { freshInventory, manifests, namespaceYaml, planOf, useInventoryStore } from '../../support/fixtures.js';
import { planAndApply } from '../../support/reconcile.js';
import { DEFAULT_TOPOLOGY } from '../../../daemon/inventory/topology.js';
import { virtualMachineImageReconciler, clusterVirtualMachineImageReconciler } from '../../../daemon/reconcilers/vmoperator/virtual-machine-image.js';

const ctx = useInventoryStore();
/** vm-operator's rule, computed here independently: `vmi-` + 17 hex of SHA-1 of the item UUID without hyphens. */
const vmi = (uuid: string) => `vmi-${createHash('sha1').update(uuid.replaceAll('-', '')).digest('hex').slice(0, 17)}`;
const UBUNTU = vmi('8f2d6c1e-3b4a-4e5f-9a7b-2c1d0e9f8a7b');
const UNTRUSTED_UUID = '0f0f0f0f-1111-4222-8333-444455556666';
const image = (kind: string, name: string, namespace?: string) =>
  `apiVersion: vmoperator.vmware.com/v1alpha3\nkind: ${kind}\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}`;
const policy = (libraries: string) => `apiVersion: pacific.dev/v1alpha1\nkind: NamespacePolicy\nmetadata: {name: policy, namespace: team-a}\nspec:\n  contentLibraries: [${libraries}]\n`;

describe('VirtualMachineImage and ClusterVirtualMachineImage', () => {
  it('accepts a declaration of an image the libraries have, in a namespace new in the same commit, and leaves it unchanged', async () => {
    const docs = manifests({ 'ns.yaml': namespaceYaml('team-a'), 'images.yaml': `${image('VirtualMachineImage', UBUNTU, 'team-a')}---\n${image('ClusterVirtualMachineImage', UBUNTU)}` });
    const first = await planAndApply(docs, ctx.registry, ctx.store);
    // The cluster image exists already: unchanged. The namespace's appears with its namespace: allowed.
    expect(first.plan.changes.filter((c) => c.kind.endsWith('VirtualMachineImage')).map((c) => [c.kind, c.admission.allowed])).toEqual([['VirtualMachineImage', true]]);
    expect(planOf(docs, ctx.registry, ctx.store.ownership()).changes).toEqual([]);
    // The library item is still the only thing that makes the image.
    expect(ctx.registry.list('LibraryItem').filter((i) => i.imageName === UBUNTU)).toHaveLength(1);
  });

  it('refuses an image no content library item backs, naming where images come from', () => {
    const change = planOf(manifests({ 'ns.yaml': namespaceYaml('team-a'), 'i.yaml': image('VirtualMachineImage', 'vmi-00000000000000000', 'team-a') }), ctx.registry).changes.find((c) => c.kind === 'VirtualMachineImage')!;
    expect(change.admission).toMatchObject({
      allowed: false,
      reason: 'ImageNotFound',
      message: 'no content library item backs VirtualMachineImage vmi-00000000000000000 in namespace team-a: images come from content libraries (or a VirtualMachinePublishRequest)',
    });
  });

  it("shows a namespace only the images of the libraries its policy allows; the cluster sees every library", async () => {
    const topology = { ...DEFAULT_TOPOLOGY, contentLibraries: [...DEFAULT_TOPOLOGY.contentLibraries, { name: 'untrusted', items: [{ name: 'random-image', uuid: UNTRUSTED_UUID, osType: 'otherGuest64', diskCapacityBytes: 2 ** 30 }] }] };
    const registry = freshInventory(topology);
    const docs = manifests({ 'ns.yaml': namespaceYaml('team-a'), 'policy.yaml': policy('pacific-images') });
    await planAndApply(docs, registry, ctx.store);
    const names = (r: typeof virtualMachineImageReconciler, namespace: string) => [...r.observe(registry)].filter((o) => o.namespace === namespace).map((o) => o.name).sort();
    const pacificImages = DEFAULT_TOPOLOGY.contentLibraries[0]!.items.map((i) => vmi(i.uuid)).sort();
    expect(names(virtualMachineImageReconciler, 'team-a')).toEqual(pacificImages);
    expect(names(clusterVirtualMachineImageReconciler, '')).toEqual([...pacificImages, vmi(UNTRUSTED_UUID)].sort());
    const declared = manifests({ 'ns.yaml': namespaceYaml('team-a'), 'policy.yaml': policy('pacific-images'), 'i.yaml': image('VirtualMachineImage', vmi(UNTRUSTED_UUID), 'team-a') });
    expect(planOf(declared, registry, ctx.store.ownership()).changes.find((c) => c.kind === 'VirtualMachineImage')!.admission).toMatchObject({
      allowed: false,
      reason: 'NotAllowedByPolicy',
      message: 'images of content library untrusted are not allowed in namespace team-a (NamespacePolicy spec.contentLibraries: pacific-images)',
    });
  });

  it('reports the item, its library, OS and disk size on status', async () => {
    const docs = manifests({ 'ns.yaml': namespaceYaml('team-a'), 'i.yaml': image('VirtualMachineImage', UBUNTU, 'team-a') });
    await planAndApply(docs, ctx.registry, ctx.store);
    const live = [...virtualMachineImageReconciler.observe(ctx.registry)].find((o) => o.namespace === 'team-a' && o.name === UBUNTU)!;
    expect(virtualMachineImageReconciler.status(docs.find((d) => d.name === UBUNTU)!, live, ctx.registry).fields).toMatchObject({
      name: 'ubuntu-22.04-cloudimg',
      osInfo: { type: 'ubuntu64Guest' },
      disks: [{ capacity: '10Gi' }],
      contentLibraryRef: { name: 'pacific-images' },
    });
  });
});
