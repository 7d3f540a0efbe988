import { describe, expect, it } from 'vitest';
import { manifests, namespaceYaml, planOf, useInventoryStore, vmYaml } from '../../support/fixtures.js';
import { converge } from '../../support/reconcile.js';
import { clusterVms, tkcYaml, TKR_1_29, TKR_1_30 } from '../../support/clusters.js';
import { findKubeObject, kubeObjects } from '../../../daemon/inventory/kube-object.js';
import { buildObjectStatuses } from '../../../daemon/controller/object-status.js';
import type { Plan } from '../../../daemon/plan/types.js';
import { renderPlanText } from '../../../daemon/plan/render.js';

const ctx = useInventoryStore();
const ns = namespaceYaml('team-a');
const machines = () => kubeObjects(ctx.registry, 'Machine', 'team-a').map((m) => ({ name: m.object.name, version: (m.object.spec as { version: string }).version }));
const poolNames = (pool: string) => clusterVms(ctx.registry, 'team-a', 'tkc').filter((v) => v.name.startsWith(`tkc-${pool}-`)).map((v) => v.name).sort();

describe('scaling and rolling updates', () => {
  it('scales a pool 3 → 5 → 2; a scale-down removes the newest machines', async () => {
    const withPool = (replicas: number) => manifests({ 'ns.yaml': ns, 'tkc.yaml': tkcYaml({ controlPlane: 1, pools: [{ name: 'np-1', replicas }] }) });
    await converge(withPool(3), ctx.registry, ctx.store);
    const original = poolNames('np-1');
    await converge(withPool(5), ctx.registry, ctx.store);
    const five = poolNames('np-1');
    expect(five).toHaveLength(5);
    expect(five).toEqual(expect.arrayContaining(original));
    await converge(withPool(2), ctx.registry, ctx.store);
    // The two added last go first, then the newest original one (ties by name): the two oldest stay.
    expect(poolNames('np-1')).toEqual(original.slice(0, 2));
    expect(machines().filter((m) => m.name.startsWith('tkc-np-1-'))).toHaveLength(2);
    expect(ctx.registry.list('Task')).toEqual([]);
  });

  it('a version upgrade replaces every machine, never more than one extra at a time, control plane first', async () => {
    await converge(manifests({ 'ns.yaml': ns, 'tkc.yaml': tkcYaml() }), ctx.registry, ctx.store);
    const before = new Set(machines().map((m) => m.name));
    const upgrade = manifests({ 'ns.yaml': ns, 'tkc.yaml': tkcYaml({ tkr: TKR_1_30 }) });
    const diff = planOf(upgrade, ctx.registry, ctx.store.ownership()).changes.find((c) => c.kind === 'TanzuKubernetesCluster')!;
    expect(diff.admission.notes).toEqual([
      `upgrade ${TKR_1_29.replace('---', '+')} → ${TKR_1_30.replace('---', '+')}`,
      'rolling update replaces 9 machine(s) (3 control plane, 6 worker), one at a time: each new machine joins before an old one goes',
      'surge: one best-effort-medium VM (2 vCPU, 8Gi memory, 16Gi on vsan-default-storage-policy), fits the quota and the hosts now',
    ]);
    const order: string[] = [];
    await converge(upgrade, ctx.registry, ctx.store, (plan: Plan) => {
      const vms = clusterVms(ctx.registry, 'team-a', 'tkc');
      expect(vms.length).toBeLessThanOrEqual(10);
      expect(machines().length).toBeLessThanOrEqual(10);
      for (const c of plan.changes) if (c.kind === 'Machine' && c.action === 'create') order.push(c.name.replace(/-[b-z2-9]+(-[b-z2-9]{5})?$/, ''));
    });
    expect(order).toEqual(['tkc-control-plane', 'tkc-control-plane', 'tkc-control-plane', 'tkc-np-1', 'tkc-np-1', 'tkc-np-1', 'tkc-np-2', 'tkc-np-2', 'tkc-np-2']);
    const after = machines();
    expect(after).toHaveLength(9);
    expect(after.every((m) => m.version === TKR_1_30.replace('---', '+') && !before.has(m.name))).toBe(true);
    expect(clusterVms(ctx.registry, 'team-a', 'tkc').every((v) => v.imageName === findKubeObject(ctx.registry, 'VSphereMachine', 'team-a', v.name)!.object.spec!['imageName'])).toBe(true);
    expect(kubeObjects(ctx.registry, 'MachineSet', 'team-a')).toHaveLength(2);
    expect(kubeObjects(ctx.registry, 'VSphereMachineTemplate', 'team-a')).toHaveLength(3);
  });

  it('a class change rolls only its pool', async () => {
    await converge(manifests({ 'ns.yaml': ns, 'tkc.yaml': tkcYaml() }), ctx.registry, ctx.store);
    const controlPlane = poolNames('control-plane');
    const np1 = poolNames('np-1');
    await converge(manifests({ 'ns.yaml': ns, 'tkc.yaml': tkcYaml({ pools: [{ name: 'np-1', replicas: 3 }, { name: 'np-2', replicas: 3, vmClass: 'best-effort-large' }] }) }), ctx.registry, ctx.store);
    expect(poolNames('control-plane')).toEqual(controlPlane);
    expect(poolNames('np-1')).toEqual(np1);
    expect(clusterVms(ctx.registry, 'team-a', 'tkc').filter((v) => v.name.startsWith('tkc-np-2-')).map((v) => v.className)).toEqual(['best-effort-large', 'best-effort-large', 'best-effort-large']);
  });

  it('a rollout without headroom stalls with the reason, keeps its machines and takes nothing from other tenants', async () => {
    // 9 machines × 16Gi node disks fill a 144Gi storage quota exactly: the surge machine cannot fit.
    const tight = (quota: string) => namespaceYaml('team-a', { 'requests.storage': quota });
    const tenantB = namespaceYaml('team-b') + '---\n' + vmYaml('team-b', 'app');
    await converge(manifests({ 'ns.yaml': tight('144Gi'), 'b.yaml': tenantB, 'tkc.yaml': tkcYaml() }), ctx.registry, ctx.store);
    const running = machines().map((m) => m.name).sort();
    const upgrade = { 'ns.yaml': tight('144Gi'), 'b.yaml': tenantB, 'tkc.yaml': tkcYaml({ tkr: TKR_1_30 }) };
    const diff = planOf(manifests(upgrade), ctx.registry, ctx.store.ownership()).changes.find((c) => c.kind === 'TanzuKubernetesCluster')!;
    expect(diff.admission.notes!.at(-1)).toMatch(/^surge: one best-effort-medium VM .* does not fit now: .*requests\.storage.*; the rollout waits \(Ready=False, RolloutStalled\) and takes nothing from other workloads$/);

    await converge(manifests(upgrade), ctx.registry, ctx.store);
    // Every old machine still runs; the one new machine waits for its VM.
    expect(machines().map((m) => m.name).filter((n) => running.includes(n)).sort()).toEqual(running);
    expect(machines()).toHaveLength(10);
    expect(clusterVms(ctx.registry, 'team-a', 'tkc')).toHaveLength(9);
    expect(ctx.registry.find('VirtualMachine', 'team-b', 'app')).toBeDefined();
    const plan = planOf(manifests(upgrade), ctx.registry, ctx.store.ownership());
    const problems = new Map(plan.changes.filter((c) => !c.admission.allowed).map((c) => [c.key, { reason: c.admission.reason!, message: c.admission.message! }]));
    const ready = buildObjectStatuses(plan.objects, ctx.registry, problems, new Map(), new Date(0).toISOString())
      .find((s) => s.kind === 'TanzuKubernetesCluster')!
      .conditions.find((c) => c.type === 'Ready')!;
    expect(ready).toMatchObject({ status: 'False', reason: 'RolloutStalled' });
    expect(ready.message).toMatch(/^machine tkc-control-plane-[b-z2-9]{5}: .*requests\.storage.*; the machines already running are kept$/);

    // Headroom arrives: the rollout finishes.
    await converge(manifests({ ...upgrade, 'ns.yaml': tight('160Gi') }), ctx.registry, ctx.store);
    expect(machines().every((m) => m.version === TKR_1_30.replace('---', '+'))).toBe(true);
  });
});

describe('node volumes', () => {
  it('become a claim per machine, attached to its VM and counted against storage quota', async () => {
    const volumes = '      volumes:\n      - {name: containerd, mountPath: /var/lib/containerd, capacity: {storage: 20Gi}}\n';
    const files = { 'ns.yaml': namespaceYaml('team-a', { 'requests.storage': '200Gi' }), 'tkc.yaml': tkcYaml({ controlPlane: 1, pools: [{ name: 'np-1', replicas: 2, extra: volumes }] }) };
    await converge(manifests(files), ctx.registry, ctx.store);
    const workers = clusterVms(ctx.registry, 'team-a', 'tkc').filter((v) => v.name.startsWith('tkc-np-1-'));
    expect(workers).toHaveLength(2);
    for (const vm of workers) {
      const disk = ctx.registry.find('Disk', 'team-a', `${vm.name}-containerd`)!;
      expect(disk).toMatchObject({ capacityBytes: 20 * 2 ** 30 });
      expect(disk.attachedTo).toContain(vm.id);
    }
  });
});

describe('pacific diff of a cluster change', () => {
  it('prints the disruption under the cluster', async () => {
    await converge(manifests({ 'ns.yaml': ns, 'tkc.yaml': tkcYaml({ controlPlane: 1, pools: [{ name: 'np-1', replicas: 2 }] }) }), ctx.registry, ctx.store);
    const text = renderPlanText(planOf(manifests({ 'ns.yaml': ns, 'tkc.yaml': tkcYaml({ controlPlane: 1, tkr: TKR_1_30, pools: [{ name: 'np-1', replicas: 2 }] }) }), ctx.registry, ctx.store.ownership()));
    expect(text).toContain('rolling update replaces 3 machine(s) (1 control plane, 2 worker), one at a time');
    expect(text).toContain('surge: one best-effort-small VM (2 vCPU, 4Gi memory, 16Gi on vsan-default-storage-policy), fits the quota and the hosts now');
  });
});
