import { describe, expect, it } from 'vitest';
import { manifests, namespaceYaml, planOf, useInventoryStore, vmYaml } from '../../support/fixtures.js';
import { converge } from '../../support/reconcile.js';
import { clusterVms, clusterYaml, kindCounts, tkcYaml, TKR_1_29 } from '../../support/clusters.js';
import { findKubeObject } from '../../../daemon/inventory/kube-object.js';
import { buildObjectStatuses } from '../../../daemon/controller/object-status.js';

const ctx = useInventoryStore();
const ns = namespaceYaml('team-a');

/** Status records of every desired object after a pass (as the daemon computes them), by `Kind/name`. */
function statuses(files: Record<string, string>) {
  const plan = planOf(manifests(files), ctx.registry, ctx.store.ownership());
  const records = buildObjectStatuses(plan.objects, ctx.registry, new Map(), new Map(), new Date(0).toISOString());
  return new Map(records.map((r) => [`${r.kind}/${r.name}`, r]));
}

describe('a guest cluster becomes Cluster API objects and VMs', () => {
  it('3 control-plane machines and 2 pools × 3 workers: exactly the derived objects and 9 VMs, the control plane one at a time', async () => {
    const files = { 'ns.yaml': ns, 'tkc.yaml': tkcYaml() };
    const controlPlaneVmsPerPass: number[] = [];
    let workersCreatedInPass = 0;
    await converge(manifests(files), ctx.registry, ctx.store, (plan, pass) => {
      const created = plan.changes.filter((c) => c.kind === 'VirtualMachine' && c.action === 'create' && c.admission.allowed);
      controlPlaneVmsPerPass.push(created.filter((c) => c.name.startsWith('tkc-control-plane-')).length);
      const workers = created.filter((c) => !c.name.startsWith('tkc-control-plane-'));
      if (workers.length) {
        expect(workers).toHaveLength(6); // all workers at once, in parallel
        workersCreatedInPass = pass;
      }
    });
    expect(controlPlaneVmsPerPass.filter((n) => n > 0)).toEqual([1, 1, 1]);
    // Workers get their bootstrap data once the first control-plane node has joined.
    expect(workersCreatedInPass).toBeGreaterThan(controlPlaneVmsPerPass.indexOf(1) + 1);

    expect(kindCounts(ctx.registry, 'team-a')).toEqual({
      TanzuKubernetesCluster: 1,
      Cluster: 1,
      VSphereCluster: 1,
      VirtualMachineSetResourcePolicy: 1,
      VSphereMachineTemplate: 3,
      KubeadmControlPlane: 1,
      MachineDeployment: 2,
      MachineSet: 2,
      Machine: 9,
      VSphereMachine: 9,
      Secret: 10, // a bootstrap data Secret per machine, and the kubeconfig
      VirtualMachine: 9,
    });
    const vms = clusterVms(ctx.registry, 'team-a', 'tkc');
    const names = vms.map((v) => v.name);
    expect(names.filter((n) => /^tkc-control-plane-[b-z2-9]{5}$/.test(n))).toHaveLength(3);
    expect(names.filter((n) => /^tkc-np-1-[b-z2-9]+-[b-z2-9]{5}$/.test(n))).toHaveLength(3);
    expect(names.filter((n) => /^tkc-np-2-[b-z2-9]+-[b-z2-9]{5}$/.test(n))).toHaveLength(3);
    // Each set of machines is a cluster module: on different hosts (4 hosts, 3 machines each).
    for (const prefix of ['tkc-control-plane-', 'tkc-np-1-', 'tkc-np-2-']) expect(new Set(vms.filter((v) => v.name.startsWith(prefix)).map((v) => v.host)).size).toBe(3);
    expect(vms.every((v) => v.resourcePolicy === 'tkc' && v.powerState === 'PoweredOn' && v.className === (v.name.startsWith('tkc-np-2-') ? 'best-effort-medium' : 'best-effort-small'))).toBe(true);

    // Owner references all the way down.
    const owner = (kind: string, name: string) => findKubeObject(ctx.registry, kind, 'team-a', name)?.object.owner;
    const cp = names.find((n) => n.startsWith('tkc-control-plane-'))!;
    const worker = names.find((n) => n.startsWith('tkc-np-1-'))!;
    expect(vms.find((v) => v.name === cp)!.object.owner).toBe(`VSphereMachine/team-a/${cp}`);
    expect(owner('VSphereMachine', cp)).toBe(`Machine/team-a/${cp}`);
    expect(owner('Machine', cp)).toBe('KubeadmControlPlane/team-a/tkc-control-plane');
    expect(owner('Machine', worker)).toBe(`MachineSet/team-a/${worker.slice(0, worker.lastIndexOf('-'))}`);
    expect(owner('MachineSet', worker.slice(0, worker.lastIndexOf('-')))).toBe('MachineDeployment/team-a/tkc-np-1');
    expect(owner('MachineDeployment', 'tkc-np-1')).toBe('Cluster/team-a/tkc');
    expect(owner('KubeadmControlPlane', 'tkc-control-plane')).toBe('Cluster/team-a/tkc');
    expect(owner('Cluster', 'tkc')).toBe('TanzuKubernetesCluster/team-a/tkc');

    // The API server behind a load balancer on 6443, and a kubeconfig pointing at it.
    const lb = ctx.registry.find('Service', 'team-a', 'tkc-control-plane-service')!;
    expect(lb.object).toMatchObject({ kind: 'VirtualMachineService', spec: { type: 'LoadBalancer', ports: [{ port: 6443, targetPort: 6443 }] } });
    expect(lb.loadBalancerIP).toMatch(/^192\.168\.100\./);
    const kubeconfig = Buffer.from(String((findKubeObject(ctx.registry, 'Secret', 'team-a', 'tkc-kubeconfig')!.object.extra!['data'] as { value: string }).value), 'base64').toString();
    expect(kubeconfig).toContain(`server: https://${lb.loadBalancerIP}:6443`);

    const status = statuses(files);
    expect(status.get('Cluster/tkc')!.conditions.map((c) => [c.type, c.status])).toEqual(
      expect.arrayContaining([['Ready', 'True'], ['InfrastructureReady', 'True'], ['ControlPlaneReady', 'True']]),
    );
    expect(status.get('Cluster/tkc')!.fields).toMatchObject({ phase: 'Provisioned', controlPlaneEndpoint: { host: lb.loadBalancerIP, port: 6443 }, kubeconfigSecret: 'tkc-kubeconfig' });
    expect(status.get('TanzuKubernetesCluster/tkc')!.fields).toMatchObject({ phase: 'running', tkr: TKR_1_29, apiEndpoints: [{ host: lb.loadBalancerIP, port: 6443 }] });
    expect(status.get(`Machine/${cp}`)!.fields).toMatchObject({ phase: 'Running', nodeRef: { kind: 'Node', name: cp } });
    expect(status.get('MachineDeployment/tkc-np-1')!.fields).toMatchObject({ replicas: 3, readyReplicas: 3, updatedReplicas: 3 });
    expect(planOf(manifests(files), ctx.registry, ctx.store.ownership()).changes).toEqual([]);
  });

  it('reports Provisioning until the load balancer has an address and the machines run', async () => {
    const files = { 'ns.yaml': ns, 'tkc.yaml': tkcYaml({ controlPlane: 1, pools: [{ name: 'np-1', replicas: 1 }] }) };
    await converge(manifests(files), ctx.registry, ctx.store, (_plan, pass) => {
      if (pass !== 1) return;
      const cluster = statuses(files).get('Cluster/tkc')!;
      expect(cluster.fields).toMatchObject({ phase: 'Provisioning', infrastructureReady: false });
      expect(cluster.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'Provisioning' });
      expect(statuses(files).get('TanzuKubernetesCluster/tkc')!.fields).toMatchObject({ phase: 'creating' });
    });
  });

  it('serves Cluster v1beta1 and v1beta2 topologies the same way', async () => {
    for (const apiVersion of ['v1beta1', 'v1beta2'] as const) {
      const name = `cc-${apiVersion}`;
      await converge(manifests({ 'ns.yaml': ns, 'c.yaml': clusterYaml({ name, apiVersion, pools: [{ name: 'workers', replicas: 2, vmClass: 'best-effort-medium' }] }) }), ctx.registry, ctx.store);
      const vms = clusterVms(ctx.registry, 'team-a', name);
      expect(vms.map((v) => [v.name.replace(/-[b-z2-9]+(-[b-z2-9]{5})?$/, ''), v.className]).sort()).toEqual([
        [`${name}-control-plane`, 'best-effort-small'],
        [`${name}-workers`, 'best-effort-medium'],
        [`${name}-workers`, 'best-effort-medium'],
      ]);
    }
  });

  it('deleting the cluster deletes every derived object and VM, and nothing else', async () => {
    const others = { 'ns.yaml': ns, 'vm.yaml': vmYaml('team-a', 'standalone') };
    await converge(manifests({ ...others, 'tkc.yaml': tkcYaml({ controlPlane: 1, pools: [{ name: 'np-1', replicas: 2 }] }) }), ctx.registry, ctx.store);
    expect(kindCounts(ctx.registry, 'team-a')['VirtualMachine']).toBe(4);
    await converge(manifests(others), ctx.registry, ctx.store);
    expect(kindCounts(ctx.registry, 'team-a')).toEqual({ VirtualMachine: 1 });
    expect(ctx.registry.find('VirtualMachine', 'team-a', 'standalone')).toBeDefined();
    expect(ctx.registry.inNamespace('Service', 'team-a')).toEqual([]);
    expect(ctx.store.ownership().size).toBe(2);
  });
});
