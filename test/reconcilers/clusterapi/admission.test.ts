import { describe, expect, it } from 'vitest';
import { manifests, namespaceYaml, planOf, schemas, useInventoryStore } from '../../support/fixtures.js';
import { loadManifestFile } from '../../../daemon/manifests/load.js';
import { formatDiagnostic } from '../../../daemon/manifests/types.js';
import { converge } from '../../support/reconcile.js';
import { clusterVms, clusterYaml, tkcYaml, TKR_1_29, TKR_1_30 } from '../../support/clusters.js';
import { kubeObjects } from '../../../daemon/inventory/kube-object.js';

const ctx = useInventoryStore();
const ns = namespaceYaml('team-a');
const verdict = (kind: string, files: Record<string, string>) => planOf(manifests({ 'ns.yaml': ns, ...files }), ctx.registry, ctx.store.ownership()).changes.find((c) => c.kind === kind)!.admission;
const policy = (spec: string) => `apiVersion: pacific.dev/v1alpha1\nkind: NamespacePolicy\nmetadata: {name: policy, namespace: team-a}\nspec:\n${spec}`;

describe('guest cluster admission', () => {
  it('refuses unknown and incompatible releases at validation, naming the place', () => {
    const problems = (file: string, text: string) => loadManifestFile(file, new TextEncoder().encode(text), schemas).diagnostics.map(formatDiagnostic);
    expect(problems('t.yaml', tkcYaml({ tkr: 'v1.31.0---vmware.1-tkg.1' }))).toEqual([
      expect.stringMatching(/^t\.yaml:10:25: TanzuKubernetesCluster\/team-a\/tkc: spec\.topology\.controlPlane\.tkr\.reference\.name: TanzuKubernetesRelease v1\.31\.0---vmware\.1-tkg\.1 not found \(available: .*v1\.29\.4---vmware\.3-fips\.1-tkg\.1/),
    ]);
    expect(problems('t.yaml', tkcYaml({ tkr: 'v1.21.6---vmware.1-tkg.1.b3d708a' }))).toEqual([
      't.yaml:10:25: TanzuKubernetesCluster/team-a/tkc: spec.topology.controlPlane.tkr.reference.name: TanzuKubernetesRelease v1.21.6---vmware.1-tkg.1.b3d708a is not compatible with this Supervisor (its Compatible condition is False)',
    ]);
    expect(problems('c.yaml', clusterYaml({ version: 'v1.29.9+vmware.1' }))).toEqual([expect.stringMatching(/^c\.yaml:\d+:\d+: Cluster\/team-a\/cc: spec\.topology\.version: unknown TanzuKubernetesRelease for version v1\.29\.9\+vmware\.1/)]);
  });

  it('refuses a control plane of 2, another ClusterClass and missing variables', () => {
    expect(verdict('TanzuKubernetesCluster', { 't.yaml': tkcYaml({ controlPlane: 2 }) }).message).toBe('spec.topology.controlPlane.replicas: Unsupported value: 2: supported values: "1", "3"');
    expect(verdict('Cluster', { 'c.yaml': clusterYaml().replace('class: tanzukubernetescluster', 'class: quick-start') }).message).toBe(
      'spec.topology.class: Unsupported value: "quick-start": the Supervisor\'s ClusterClass is "tanzukubernetescluster"',
    );
    expect(verdict('Cluster', { 'c.yaml': clusterYaml().replace(/    - \{name: vmClass.*\n/, '') }).message).toMatch(/^spec\.topology\.variables: Required value: variable "vmClass"/);
  });

  it('refuses skipping a minor version, a downgrade and shrinking the control plane, and keeps the cluster as it runs', async () => {
    await converge(manifests({ 'ns.yaml': ns, 't.yaml': tkcYaml({ tkr: 'v1.28.8---vmware.1-fips.1-tkg.2', controlPlane: 3, pools: [{ name: 'np-1', replicas: 1 }] }) }), ctx.registry, ctx.store);
    const refusedPlan = (o: Parameters<typeof tkcYaml>[0]) => planOf(manifests({ 'ns.yaml': ns, 't.yaml': tkcYaml({ pools: [{ name: 'np-1', replicas: 1 }], ...o }) }), ctx.registry, ctx.store.ownership());
    const skip = refusedPlan({ tkr: TKR_1_30 });
    expect(skip.changes.find((c) => c.kind === 'TanzuKubernetesCluster')!.admission.message).toBe(
      'spec.topology.controlPlane.tkr.reference.name: cannot upgrade from v1.28.8+vmware.1-fips.1-tkg.2 to v1.30.8+vmware.1-fips-vkr.1: upgrade one minor version at a time (next: v1.29)',
    );
    // The refused change touches nothing the cluster runs.
    expect(skip.changes.map((c) => c.kind)).toEqual(['TanzuKubernetesCluster']);
    expect(refusedPlan({ tkr: 'v1.23.5---vmware.1-tkg.1-zshippable' }).changes[0]!.admission.message).toMatch(/cannot downgrade from v1\.28\.8\+vmware\.1-fips\.1-tkg\.2 to v1\.23\.5/);
    expect(refusedPlan({ tkr: 'v1.28.8---vmware.1-fips.1-tkg.2', controlPlane: 1 }).changes[0]!.admission.message).toBe(
      'spec.topology.controlPlane.replicas: Forbidden: scaling the control plane down (3 → 1) is not supported',
    );
    expect(refusedPlan({ tkr: TKR_1_29 }).changes.find((c) => c.kind === 'TanzuKubernetesCluster')!.admission.allowed).toBe(true);
  });

  it('refuses a TanzuKubernetesCluster whose Cluster is declared too', () => {
    const both = verdict('TanzuKubernetesCluster', { 't.yaml': tkcYaml({ name: 'cc' }), 'c.yaml': clusterYaml({ name: 'cc' }) });
    expect(both).toMatchObject({ allowed: false, message: 'a Cluster named cc is declared too (c.yaml:1): a TanzuKubernetesCluster makes its own' });
  });

  it("applies the namespace's policy to every cluster VM: classes, encryption, host placement", async () => {
    const files = {
      'ns.yaml': ns,
      'policy.yaml': policy('  vmClasses: [best-effort-small]\n  encryption: {required: true}\n  placement: {hostGroup: rack-a}\n'),
      't.yaml': tkcYaml({ controlPlane: 1, pools: [{ name: 'np-1', replicas: 2 }, { name: 'np-2', replicas: 1, vmClass: 'best-effort-medium' }] }),
    };
    await converge(manifests(files), ctx.registry, ctx.store);
    const vms = clusterVms(ctx.registry, 'team-a', 'tkc');
    expect(vms.map((v) => v.name.replace(/-[b-z2-9]+(-[b-z2-9]{5})?$/, '')).sort()).toEqual(['tkc-control-plane', 'tkc-np-1', 'tkc-np-1']);
    const rackA = new Set(ctx.registry.list('HostGroup').find((g) => g.name === 'rack-a')!.hosts.map((h) => ctx.registry.list('Host').find((x) => x.name === h)!.id));
    expect(vms.every((v) => v.crypto?.encrypted && rackA.has(v.host))).toBe(true);
    const np2 = planOf(manifests(files), ctx.registry, ctx.store.ownership()).changes.find((c) => c.kind === 'VirtualMachine' && c.name.startsWith('tkc-np-2-'))!;
    expect(np2.admission).toMatchObject({ allowed: false, reason: 'NotAllowedByPolicy' });
    expect(kubeObjects(ctx.registry, 'Machine', 'team-a')).toHaveLength(4);
  });

  it('reads TanzuKubernetesCluster v1alpha1 and v1alpha2 into the same Cluster', async () => {
    const v1alpha1 = `apiVersion: run.tanzu.vmware.com/v1alpha1
kind: TanzuKubernetesCluster
metadata: {name: old, namespace: team-a}
spec:
  distribution: {version: v1.29}
  topology:
    controlPlane: {count: 1, class: best-effort-small, storageClass: vsan-default-storage-policy}
    workers: {count: 2, class: best-effort-small, storageClass: vsan-default-storage-policy}
`;
    const v1alpha2 = `apiVersion: run.tanzu.vmware.com/v1alpha2
kind: TanzuKubernetesCluster
metadata: {name: old, namespace: team-a}
spec:
  topology:
    controlPlane: {replicas: 1, vmClass: best-effort-small, storageClass: vsan-default-storage-policy, tkr: {reference: {name: ${TKR_1_29}}}}
    nodePools:
    - {name: workers, replicas: 2, vmClass: best-effort-small, storageClass: vsan-default-storage-policy}
`;
    const clusterOf = (yaml: string) => planOf(manifests({ 'ns.yaml': ns, 't.yaml': yaml }), ctx.registry).objects.find((o) => o.kind === 'Cluster')!.body['spec'];
    expect(clusterOf(v1alpha1)).toEqual(clusterOf(v1alpha2));
    expect(clusterOf(v1alpha1)).toMatchObject({ topology: { version: TKR_1_29.replace('---', '+'), workers: { machineDeployments: [{ name: 'workers', replicas: 2 }] } } });
  });
});

describe('what Cluster API derives', () => {
  it('is not declarable: validation says to declare the Cluster', () => {
    const kcp = 'apiVersion: controlplane.cluster.x-k8s.io/v1beta1\nkind: KubeadmControlPlane\nmetadata: {name: cp, namespace: team-a}\nspec: {replicas: 1, version: v1.29.4}\n';
    expect(loadManifestFile('kcp.yaml', new TextEncoder().encode(kcp), schemas).diagnostics.map(formatDiagnostic)).toEqual([
      'kcp.yaml:1:1: KubeadmControlPlane/team-a/cp: apiVersion: unsupported apiVersion/kind "controlplane.cluster.x-k8s.io/v1beta1" "KubeadmControlPlane"; pacific derives KubeadmControlPlane from a Cluster\'s topology: declare a cluster.x-k8s.io Cluster of class tanzukubernetescluster or a TanzuKubernetesCluster',
    ]);
  });
});
