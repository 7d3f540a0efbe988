import { describe, expect, it } from 'vitest';
import { renderPlanText, planJson } from '../../daemon/plan/render.js';
import { DEFAULT_TOPOLOGY } from '../../daemon/inventory/topology.js';
import { plan, planCooperatively } from '../../daemon/plan/planner.js';
import { reconcilers } from '../../daemon/reconcilers/index.js';
import { freshInventory, manifests, namespaceYaml, planOf, schemas, useInventoryStore, vmYaml } from '../support/fixtures.js';
import { planAndApply } from '../support/reconcile.js';

const ctx = useInventoryStore();

const teamA = (quota?: Record<string, string | number>, ...vms: string[]) => manifests({ 'ns.yaml': namespaceYaml('team-a', quota), 'vms.yaml': vms.join('---\n') });

describe('planner', () => {
  it('orders namespace and quota before workloads and prints a golden plan', async () => {
    const desired = teamA({ 'limits.cpu': 10, 'limits.memory': '64Gi' }, vmYaml('team-a', 'web-1'), vmYaml('team-a', 'db-1', { className: 'guaranteed-large', image: 'photon-5' }));
    const plan = planOf(desired, ctx.registry);
    expect(plan.changes.map((c) => `${c.action} ${c.kind} ${c.name}`)).toEqual([
      'create Namespace team-a',
      'create ResourceQuota compute',
      'create VirtualMachine db-1',
      'create VirtualMachine web-1',
    ]);
    expect(plan.summary).toEqual({ create: 4, update: 0, delete: 0, unchanged: 0 });
    await expect(renderPlanText(plan)).toMatchFileSnapshot('__golden__/create-namespace-and-vms.txt');
    await expect(JSON.stringify(planJson(plan), null, 2) + '\n').toMatchFileSnapshot('__golden__/create-namespace-and-vms.json');
  });

  it('plans nothing after a revision is applied (idempotence)', async () => {
    const desired = teamA({ 'limits.cpu': 10 }, vmYaml('team-a', 'web-1'), vmYaml('team-a', 'web-2', { powerState: 'PoweredOff' }));
    const first = await planAndApply(desired, ctx.registry, ctx.store);
    expect(first.results.map((r) => r.outcome)).toEqual(['created', 'created', 'created', 'created']);
    const again = planOf(desired, ctx.registry, ctx.store.ownership());
    expect(again.changes).toEqual([]);
    expect(again.summary.unchanged).toBe(4);
  });

  it('treats equal quantities written differently as no change', async () => {
    await planAndApply(teamA({ 'limits.memory': '64Gi' }), ctx.registry, ctx.store);
    expect(planOf(teamA({ 'limits.memory': '65536Mi' }), ctx.registry, ctx.store.ownership()).changes).toEqual([]);
    const changed = planOf(teamA({ 'limits.memory': '32Gi' }), ctx.registry, ctx.store.ownership());
    expect(changed.changes[0]!.fields).toEqual([{ path: 'spec.hard["limits.memory"]', from: '64Gi', to: '32Gi' }]);
  });
});

describe('quota admission', () => {
  it('refuses the VM that would exceed limits.cpu, with the numbers', () => {
    const desired = teamA({ 'limits.cpu': 4 }, ...['vm-1', 'vm-2', 'vm-3'].map((n) => vmYaml('team-a', n)));
    const plan = planOf(desired, ctx.registry);
    const vms = plan.changes.filter((c) => c.kind === 'VirtualMachine');
    expect(vms.map((c) => c.admission.allowed)).toEqual([true, true, false]);
    expect(vms[2]!.admission).toMatchObject({
      reason: 'QuotaExceeded',
      message: 'exceeded quota: compute, requested: limits.cpu=2, used: limits.cpu=4, limited: limits.cpu=4',
    });
    expect(vms[1]!.admission.notes).toContain('quota compute left: limits.cpu 0 of 4');
  });

  it('counts the image disk against requests.storage and the storage class quota', () => {
    const desired = teamA({ 'vsan-default-storage-policy.storageclass.storage.k8s.io/requests.storage': '25Gi' }, vmYaml('team-a', 'a', { image: 'photon-5' }), vmYaml('team-a', 'b', { image: 'ubuntu-22.04-cloudimg' }));
    const [a, b] = planOf(desired, ctx.registry).changes.filter((c) => c.kind === 'VirtualMachine');
    expect(a!.admission.allowed).toBe(true); // photon-5: 16Gi
    expect(b!.admission).toMatchObject({ allowed: false, reason: 'QuotaExceeded' });
    expect(b!.admission.message).toContain('requested: vsan-default-storage-policy.storageclass.storage.k8s.io/requests.storage=10Gi, used: vsan-default-storage-policy.storageclass.storage.k8s.io/requests.storage=16Gi');
  });

  it('refuses unknown class, image and storage class with vm-operator messages', () => {
    const desired = teamA(undefined, vmYaml('team-a', 'a', { className: 'huge' }), vmYaml('team-a', 'b', { image: 'windows-11' }), vmYaml('team-a', 'c', { storageClass: 'gold' }));
    const verdicts = Object.fromEntries(planOf(desired, ctx.registry).changes.filter((c) => c.kind === 'VirtualMachine').map((c) => [c.name, c.admission]));
    expect(verdicts['a']).toMatchObject({ reason: 'ClassNotFound', message: 'virtualmachineclasses.vmoperator.vmware.com "huge" not found' });
    expect(verdicts['b']).toMatchObject({ reason: 'ImageNotFound', message: 'no VM image exists for "windows-11" in namespace or cluster scope' });
    expect(verdicts['c']).toMatchObject({ reason: 'StorageClassNotFound' });
  });

  it('refuses a VM whose namespace is not declared', () => {
    const plan = planOf(manifests({ 'vm.yaml': vmYaml('nowhere', 'a') }), ctx.registry);
    expect(plan.changes[0]!.admission).toMatchObject({ allowed: false, reason: 'NamespaceNotFound' });
  });
});

describe('placement', () => {
  // guaranteed-4xlarge reserves 16 vCPU (41.6 GHz at 2.6 GHz) and 128 GiB: a 48-core host (124.8 GHz) takes three.
  const bigVms = (n: number) => Array.from({ length: n }, (_, i) => vmYaml('team-a', `big-${String(i).padStart(2, '0')}`, { className: 'guaranteed-4xlarge' }));
  const perHost = (plan: ReturnType<typeof planOf>) => {
    const counts = new Map<string, number>();
    for (const c of plan.changes) if (c.kind === 'VirtualMachine' && c.admission.allowed) counts.set(c.admission.placement!.host, (counts.get(c.admission.placement!.host) ?? 0) + 1);
    return [...counts.values()].sort();
  };

  it('spreads guaranteed VMs over the least loaded hosts and refuses what no host can reserve', () => {
    const noHa = freshInventory({ ...DEFAULT_TOPOLOGY, simulator: { ...DEFAULT_TOPOLOGY.simulator, hostFailuresToTolerate: 0 } });
    const plan = planOf(teamA(undefined, ...bigVms(13)), noHa);
    expect(perHost(plan)).toEqual([3, 3, 3, 3]);
    const refused = plan.changes.filter((c) => c.kind === 'VirtualMachine' && !c.admission.allowed);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.admission.reason).toBe('InsufficientResources');
    expect(refused[0]!.admission.message).toMatch(/esx-01\.pacific\.local has 0\.0 GHz CPU unreserved, VM reserves 41\.6 GHz/);
  });

  it('keeps one host of failover capacity free, as vSphere HA admission control does', () => {
    // 4 × 124.8 GHz, less one host kept for failover: 374.4 GHz of reservations, nine 41.6 GHz VMs.
    const plan = planOf(teamA(undefined, ...bigVms(10)), ctx.registry);
    expect(perHost(plan).reduce((a, b) => a + b, 0)).toBe(9);
    const refused = plan.changes.filter((c) => c.kind === 'VirtualMachine' && !c.admission.allowed);
    expect(refused.map((c) => c.admission.message)).toEqual([
      'vSphere HA admission control: CPU reservations would reach 416.0 GHz of 374.4 GHz allowed (capacity of 1 host kept for failover)',
    ]);
  });

  it('places deterministically: the same inputs give the same hosts', () => {
    const vms = Array.from({ length: 6 }, (_, i) => vmYaml('team-a', `vm-${i}`));
    const hosts = () => planOf(teamA(undefined, ...vms), freshInventory()).changes.filter((c) => c.kind === 'VirtualMachine').map((c) => c.admission.placement!.host);
    expect(hosts()).toEqual(hosts());
    expect(new Set(hosts()).size).toBe(4);
  });
});

describe('planCooperatively', () => {
  it('gives the same plan as plan(), pausing after every object, so the event loop runs while it plans', async () => {
    const files: Record<string, string> = { 'ns.yaml': namespaceYaml('team-a') };
    for (let i = 0; i < 40; i++) files[`vm-${i}.yaml`] = vmYaml('team-a', `vm-${i}`);
    const desired = manifests(files);
    const inventory = freshInventory();
    const input = { revision: 'rev-1', reconcilers, desired, inventory, ownership: new Map(), normalizeSpec: (a: string, k: string, s: unknown) => schemas.normalizeSpec(a, k, s) };
    let pauses = 0;
    let timerRan = false;
    setImmediate(() => (timerRan = true));
    const cooperative = await planCooperatively(input, async () => {
      pauses++;
      if (pauses === 1) await new Promise((resolve) => setImmediate(resolve));
    });
    expect(timerRan).toBe(true);
    expect(pauses).toBe(41);
    expect(JSON.stringify(cooperative)).toBe(JSON.stringify(plan(input)));
    expect(cooperative.summary.create).toBe(41);
  });
});
