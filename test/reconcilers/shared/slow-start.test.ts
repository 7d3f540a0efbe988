/**
 * Replicas are created in batches, as the ReplicaSet and MachineSet controllers' slow start: a set
 * far larger than its quota makes a few dozen objects, not one per replica; one within its quota
 * still gets every replica, a batch a pass.
 */
import { describe, expect, it } from 'vitest';
import { BURST_REPLICAS, FIRST_BATCH, replicasThisPass } from '../../../daemon/reconcilers/shared/slow-start.js';
import { manifests, namespaceYaml, useInventoryStore } from '../../support/fixtures.js';
import { converge } from '../../support/reconcile.js';
import { deploymentYaml } from '../supervisor/workloads.js';
import type { Plan } from '../../../daemon/plan/types.js';
import { replicaSetReconciler } from '../../../daemon/reconcilers/supervisor/deployment.js';

const ctx = useInventoryStore();
const pods = () => ctx.registry.inNamespace('Pod', 'team-a');

describe('slow start', () => {
  it('adds what exists plus a batch: 64 first, then doubling, at most 500 a pass; never batches a scale-down', () => {
    expect(replicasThisPass(3, 0)).toBe(3);
    expect(replicasThisPass(100_000, 0)).toBe(FIRST_BATCH);
    expect(replicasThisPass(100_000, 64)).toBe(128);
    expect(replicasThisPass(100_000, 400)).toBe(800);
    expect(replicasThisPass(100_000, 600)).toBe(600 + BURST_REPLICAS);
    expect(replicasThisPass(2, 5)).toBe(2);
  });

  it('a Deployment of 100,000 replicas behind a quota of 20 pods makes tens of pod objects, and says why the rest wait', async () => {
    const objects = manifests({ 'ns.yaml': namespaceYaml('team-a', { pods: 20 }), 'web.yaml': deploymentYaml('team-a', 'web', 100_000) });
    let largestPlan = 0;
    let lastPlan: Plan | undefined;
    await converge(objects, ctx.registry, ctx.store, (plan) => {
      largestPlan = Math.max(largestPlan, plan.objects.length);
      lastPlan = plan;
    });
    expect(pods()).toHaveLength(20);
    // 20 running, one batch of 64 refused by the quota, the Namespace, quota, Deployment and ReplicaSet.
    expect(largestPlan).toBeLessThanOrEqual(20 + FIRST_BATCH + 4);
    const refused = lastPlan!.changes.filter((c) => !c.admission.allowed);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.admission.message).toMatch(/pods/);
    const replicaSet = lastPlan!.objects.find((o) => o.kind === 'ReplicaSet')!;
    const live = [...replicaSetReconciler.observe(ctx.registry)].find((o) => o.name === replicaSet.name);
    const available = replicaSetReconciler.status(replicaSet, live, ctx.registry).conditions.find((c) => c.type === 'Available');
    expect(available!.message).toBe('20 of 100000 pods running; 99,916 pods not created yet (created in batches as the pods before them exist: up to twice as many, at most 500 a pass)');
  });

  it('a Deployment of 150 replicas within its quota gets all 150, a batch a pass', async () => {
    const objects = manifests({ 'ns.yaml': namespaceYaml('team-a'), 'web.yaml': deploymentYaml('team-a', 'web', 150) });
    const creates: number[] = [];
    await converge(objects, ctx.registry, ctx.store, (plan) => creates.push(plan.changes.filter((c) => c.action === 'create' && c.kind === 'Pod').length));
    expect(pods()).toHaveLength(150);
    expect(creates.filter((n) => n > 0)).toEqual([64, 64, 22]);
  });
});

describe('slow start of machines', () => {
  it('a Cluster with a 10,000-node pool derives machines a batch at a time, not 40,000 objects in one plan', async () => {
    const { clusterYaml } = await import('../../support/clusters.js');
    const objects = manifests({ 'ns.yaml': namespaceYaml('team-a'), 'cluster.yaml': clusterYaml({ pools: [{ name: 'workers', replicas: 10_000 }] }) });
    const machines: number[] = [];
    await converge(objects, ctx.registry, ctx.store, (plan) => machines.push(plan.objects.filter((o) => o.kind === 'Machine').length), 4).catch(() => undefined);
    // The control plane's machines and one batch of workers at first; never the whole pool.
    expect(machines[0]).toBeLessThanOrEqual(FIRST_BATCH + 3);
    expect(machines).toHaveLength(4);
    for (let i = 1; i < machines.length; i++) expect(machines[i]!).toBeLessThanOrEqual(2 * machines[i - 1]! + 3);
  });
});
