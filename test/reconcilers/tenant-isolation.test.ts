/**
 * Isolation between namespaces, as a tenant with push rights to its own folder only would attack
 * it (issue 17): VM classes it declares, content libraries it publishes into, storage it fills.
 * Files are loaded with the tenancy rule, as the daemon loads them.
 */
import { describe, expect, it } from 'vitest';
import { assembleManifests, loadManifestFile } from '../../daemon/manifests/load.js';
import { DEFAULT_TENANCY } from '../../daemon/manifests/tenancy.js';
import { formatDiagnostic, type ManifestObject } from '../../daemon/manifests/types.js';
import type { Change } from '../../daemon/plan/contract.js';
import { namespaceYaml, planOf, schemas, useInventoryStore, vmYaml } from '../support/fixtures.js';
import { advanceAndRunTasks, planAndApply } from '../support/reconcile.js';
import { DEFAULT_DELAYS } from '../../daemon/inventory/topology.js';

const ctx = useInventoryStore();

/** Objects of `{path: text}` loaded as the daemon loads them (tenancy on); throws on any error. */
function repo(files: Record<string, string>): ManifestObject[] {
  const loaded = assembleManifests(Object.entries(files).map(([path, text]) => loadManifestFile(path, new TextEncoder().encode(text), schemas, { tenancy: DEFAULT_TENANCY })));
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(errors.map(formatDiagnostic).join('\n'));
  return [...loaded.objects];
}

const policyYaml = (namespace: string, spec: string) => `apiVersion: pacific.dev/v1alpha1\nkind: NamespacePolicy\nmetadata: {name: policy, namespace: ${namespace}}\nspec:\n${spec}`;

function classYaml(namespace: string, name: string, cpus: number, memory: string): string {
  return `apiVersion: vmoperator.vmware.com/v1alpha3\nkind: VirtualMachineClass\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec:\n  hardware: {cpus: ${cpus}, memory: ${memory}}\n  policies: {resources: {requests: {cpu: ${cpus * 1000}m, memory: ${memory}}}}\n`;
}

const change = (changes: readonly Change[], kind: string, name: string) => changes.find((c) => c.kind === kind && c.name === name);

describe('VM classes come from the VI admin', () => {
  const admin = (policy: string) => ({ 'platform/team-a.yaml': `${namespaceYaml('team-a')}---\n${policyYaml('team-a', policy)}` });

  it('refuses a class a tenant declares unless the policy allows tenant classes, and the VMs using it', async () => {
    // The probe: my-huge (16 vCPU / 64 GiB, fully reserved) ran while the allow-list refused guaranteed-8xlarge.
    const files = {
      ...admin('  vmClasses: [best-effort-small]\n'),
      'namespaces/team-a/huge.yaml': `${classYaml('team-a', 'my-huge', 16, '64Gi')}---\n${vmYaml('team-a', 'big', { className: 'my-huge' })}---\n${vmYaml('team-a', 'listed', { className: 'guaranteed-8xlarge' })}`,
    };
    const { plan } = await planAndApply(repo(files), ctx.registry, ctx.store);
    expect(change(plan.changes, 'VirtualMachineClass', 'my-huge')!.admission).toEqual({
      allowed: false,
      reason: 'NotAllowedByPolicy',
      message: 'VirtualMachineClass my-huge is declared in namespaces/team-a/huge.yaml, a tenant folder: VM classes come from the VI admin, and NamespacePolicy spec.tenantVmClasses of namespace team-a does not allow tenant classes',
    });
    expect(change(plan.changes, 'VirtualMachine', 'big')!.admission).toMatchObject({ allowed: false, reason: 'ClassNotFound' });
    expect(change(plan.changes, 'VirtualMachine', 'listed')!.admission).toMatchObject({ allowed: false, reason: 'NotAllowedByPolicy' });
    expect(ctx.registry.list('VmClass').filter((c) => c.namespace)).toEqual([]);
    expect(ctx.registry.list('VirtualMachine')).toEqual([]);
  });

  it('keeps a namespace class the VI admin declares (outside the tenant root)', async () => {
    const files = { ...admin('  vmClasses: [best-effort-small]\n'), 'platform/team-a-classes.yaml': classYaml('team-a', 'build-agent', 4, '12Gi'), 'namespaces/team-a/vm.yaml': vmYaml('team-a', 'agent', { className: 'build-agent' }) };
    const { plan } = await planAndApply(repo(files), ctx.registry, ctx.store);
    expect(plan.changes.filter((c) => !c.admission.allowed)).toEqual([]);
    expect(ctx.registry.find('VirtualMachine', 'team-a', 'agent')).toMatchObject({ cpus: 4 });
  });

  it('holds every class a VM uses, tenant, admin or vCenter, to the policy vmClassLimits', async () => {
    const files = {
      ...admin('  tenantVmClasses: true\n  vmClassLimits: {cpus: 8, memory: 32Gi}\n'),
      'namespaces/team-a/classes.yaml': `${classYaml('team-a', 'my-huge', 16, '64Gi')}---\n${classYaml('team-a', 'my-fit', 4, '16Gi')}`,
      'namespaces/team-a/vms.yaml': [vmYaml('team-a', 'fit', { className: 'my-fit' }), vmYaml('team-a', 'vcenter-big', { className: 'best-effort-4xlarge' }), vmYaml('team-a', 'vcenter-ok', { className: 'best-effort-large' })].join('---\n'),
    };
    const { plan } = await planAndApply(repo(files), ctx.registry, ctx.store);
    expect(change(plan.changes, 'VirtualMachineClass', 'my-huge')!.admission).toEqual({
      allowed: false,
      reason: 'NotAllowedByPolicy',
      message: 'VirtualMachineClass my-huge (16 vCPU, 64Gi) exceeds NamespacePolicy spec.vmClassLimits of namespace team-a (8 vCPU, 32Gi)',
    });
    expect(change(plan.changes, 'VirtualMachine', 'vcenter-big')!.admission).toEqual({
      allowed: false,
      reason: 'NotAllowedByPolicy',
      message: 'VM class best-effort-4xlarge (16 vCPU, 128Gi) exceeds NamespacePolicy spec.vmClassLimits of namespace team-a (8 vCPU, 32Gi)',
    });
    expect(ctx.registry.list('VirtualMachine').map((v) => `${v.name} ${v.cpus}`).sort()).toEqual(['fit 4', 'vcenter-ok 4']);
  });

  it('refuses tenant classes in a namespace without a policy (no policy is no permission to size VMs)', () => {
    const files = { 'platform/team-a.yaml': namespaceYaml('team-a'), 'namespaces/team-a/c.yaml': classYaml('team-a', 'mine', 2, '2Gi') };
    expect(change(planOf(repo(files), ctx.registry).changes, 'VirtualMachineClass', 'mine')!.admission).toMatchObject({ allowed: false, reason: 'NotAllowedByPolicy' });
  });
});

describe('content libraries: a namespace publishes only where it may write, and sees only what it may use', () => {
  const publish = (library: string, item: string) => `apiVersion: vmoperator.vmware.com/v1alpha3\nkind: VirtualMachinePublishRequest\nmetadata: {name: web, namespace: team-a}\nspec:\n  target:\n    location: {name: ${library}}\n    item: {name: ${item}}\n`;
  const platform = {
    'platform/team-a.yaml': `${namespaceYaml('team-a')}---\n${policyYaml('team-a', '  defaultContentLibrary: pacific-images\n')}`,
    'platform/team-b.yaml': `${namespaceYaml('team-b')}---\n${policyYaml('team-b', '  contentLibraries: [pacific-images]\n')}`,
  };

  it("refuses a tenant's publish into a library its policy does not let it write (the Supervisor's release library)", () => {
    // The probe: team-a published its VM into kubernetes-releases as ubuntu-22.04-cloudimg.
    const files = { ...platform, 'namespaces/team-a/web.yaml': `${vmYaml('team-a', 'web')}---\n${publish('kubernetes-releases', 'ubuntu-22.04-cloudimg')}` };
    expect(change(planOf(repo(files), ctx.registry).changes, 'VirtualMachinePublishRequest', 'web')!.admission).toEqual({
      allowed: false,
      reason: 'NotAllowedByPolicy',
      message: 'spec.target.location: namespace team-a may not publish into content library kubernetes-releases (NamespacePolicy spec.defaultContentLibrary and spec.writableContentLibraries: pacific-images)',
    });
    const noPolicy = { 'platform/team-c.yaml': namespaceYaml('team-c'), 'namespaces/team-c/web.yaml': `${vmYaml('team-c', 'web')}---\n${publish('pacific-images', 'mine').replace('team-a', 'team-c')}` };
    expect(change(planOf(repo(noPolicy), ctx.registry).changes, 'VirtualMachinePublishRequest', 'web')!.admission).toMatchObject({ allowed: false, reason: 'NotAllowedByPolicy' });
  });

  it('resolves an image over the libraries the namespace may use only: an item elsewhere with the same name changes nothing', async () => {
    // What a tenant may publish into a library of its own: a second ubuntu-22.04-cloudimg.
    const ubuntu = ctx.registry.list('LibraryItem').find((i) => i.name === 'ubuntu-22.04-cloudimg')!;
    ctx.registry.transaction(() => {
      ctx.registry.put({ type: 'ContentLibrary', id: 'team-a-images', name: 'team-a-images' });
      ctx.registry.put({ ...ubuntu, id: 'evil-item', uuid: 'evil-item', library: 'team-a-images', imageName: 'vmi-0123456789abcdef0' });
    });
    const files = { ...platform, 'namespaces/team-b/vm.yaml': vmYaml('team-b', 'db'), 'platform/team-c.yaml': namespaceYaml('team-c'), 'namespaces/team-c/vm.yaml': vmYaml('team-c', 'db') };
    const { plan } = await planAndApply(repo(files), ctx.registry, ctx.store);
    expect(plan.changes.find((c) => c.kind === 'VirtualMachine' && c.namespace === 'team-b')!.admission.allowed).toBe(true);
    expect(ctx.registry.find('VirtualMachine', 'team-b', 'db')!.imageName).toBe(ubuntu.imageName);
    // A namespace whose policy lists no libraries may use every one: there the name is ambiguous, as in vm-operator's cluster scope.
    expect(plan.changes.find((c) => c.kind === 'VirtualMachine' && c.namespace === 'team-c')!.admission).toMatchObject({ allowed: false, message: 'multiple VM images exist for "ubuntu-22.04-cloudimg" in cluster scope' });
  });

  it('takes back what a publish made when its request is reverted', async () => {
    const files = { ...platform, 'namespaces/team-a/web.yaml': vmYaml('team-a', 'web'), 'namespaces/team-a/publish.yaml': publish('pacific-images', 'web-image') };
    await planAndApply(repo(files), ctx.registry, ctx.store);
    advanceAndRunTasks(ctx.registry, ctx.store, DEFAULT_DELAYS.publishMs);
    expect(ctx.registry.list('LibraryItem').filter((i) => i.name === 'web-image')).toHaveLength(1);
    const { 'namespaces/team-a/publish.yaml': _reverted, ...rest } = files;
    await planAndApply(repo(rest), ctx.registry, ctx.store);
    expect(ctx.registry.list('LibraryItem').filter((i) => i.name === 'web-image')).toEqual([]);
  });
});
