import { describe, expect, it } from 'vitest';
import { manifests, namespaceYaml, planOf, useInventoryStore } from '../../support/fixtures.js';
import { advanceAndRunTasks, planAndApply } from '../../support/reconcile.js';
import { deploymentYaml } from './workloads.js';

const ctx = useInventoryStore();
const ns = namespaceYaml('team-a');
const desired = (replicas: number, o: Parameters<typeof deploymentYaml>[3] = {}) => manifests({ 'ns.yaml': ns, 'web.yaml': deploymentYaml('team-a', 'web', replicas, o) });
const pods = () => ctx.registry.inNamespace('Pod', 'team-a');
const replicaSets = () => ctx.registry.inNamespace('KubeObject', 'team-a').filter((o) => o.object.kind === 'ReplicaSet');

/** Passes and task runs until nothing changes: what the daemon does between a push and a steady state. */
async function converge(objects: ReturnType<typeof desired>, onStep: () => void = () => {}): Promise<number> {
  for (let step = 0; step < 50; step++) {
    const { plan } = await planAndApply(objects, ctx.registry, ctx.store);
    onStep();
    const started = advanceAndRunTasks(ctx.registry, ctx.store, 300);
    onStep();
    if (plan.changes.length === 0 && started === 0) return step;
  }
  throw new Error('did not converge');
}

describe('Deployment', () => {
  it('creates a ReplicaSet named by the pod template hash and pods named as the ReplicaSet controller names them', async () => {
    await converge(desired(3));
    const [rs] = replicaSets();
    expect(rs!.object.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(pods().map((p) => p.name).every((n) => n.startsWith(`${rs!.object.name}-`) && /-[bcdfghjklmnpqrstvwxz2456789]{5}$/.test(n))).toBe(true);
    expect(pods().map((p) => p.phase)).toEqual(['Running', 'Running', 'Running']);
    expect(planOf(desired(3), ctx.registry, ctx.store.ownership()).changes).toEqual([]);
  });

  it('scales 3 → 5 → 2 keeping the names of the pods it keeps', async () => {
    await converge(desired(3));
    const first = pods().map((p) => p.name);
    const up = planOf(desired(5), ctx.registry, ctx.store.ownership());
    expect(up.changes.map((c) => `${c.action} ${c.kind}`)).toEqual(['update Deployment', 'update ReplicaSet', 'create Pod', 'create Pod']);
    await converge(desired(5));
    expect(pods()).toHaveLength(5);
    expect(pods().map((p) => p.name)).toEqual(expect.arrayContaining(first));
    await converge(desired(2));
    expect(pods()).toHaveLength(2);
    expect(first).toEqual(expect.arrayContaining(pods().map((p) => p.name)));
  });

  it('rolls out a new template one surge pod at a time, never below replicas − maxUnavailable ready', async () => {
    await converge(desired(4, { maxSurge: 1, maxUnavailable: 0 }));
    const oldPods = new Set(pods().map((p) => p.name));
    const update = desired(4, { maxSurge: 1, maxUnavailable: 0, image: 'registry.example.com/app:2.0' });
    let steps = 0;
    await converge(update, () => {
      steps++;
      const all = pods();
      expect(all.length).toBeLessThanOrEqual(5); // replicas + maxSurge
      expect(all.filter((p) => p.phase === 'Running').length).toBeGreaterThanOrEqual(4); // replicas − maxUnavailable
    });
    expect(steps).toBeGreaterThan(8); // four replacements, one at a time
    const now = pods();
    expect(now).toHaveLength(4);
    expect(now.some((p) => oldPods.has(p.name))).toBe(false);
    expect(now.every((p) => (p.object.spec as { containers: { image: string }[] }).containers[0]!.image === 'registry.example.com/app:2.0')).toBe(true);
    expect(replicaSets()).toHaveLength(1);
  });

  it('with 25% surge and unavailability replaces more than one pod at a time', async () => {
    await converge(desired(8));
    let startingAtOnce = 0;
    await converge(desired(8, { image: 'registry.example.com/app:3.0' }), () => {
      startingAtOnce = Math.max(startingAtOnce, pods().filter((p) => p.phase === 'Pending').length);
      expect(pods().length).toBeLessThanOrEqual(10); // 8 + 25% surge
      expect(pods().filter((p) => p.phase === 'Running').length).toBeGreaterThanOrEqual(6); // 8 − 25% unavailable
    });
    expect(startingAtOnce).toBe(2); // two pods replaced per step (one per step with maxSurge 1, maxUnavailable 0)
  });

  it('Recreate removes every old pod before creating new ones', async () => {
    const recreate = (image: string) => manifests({ 'ns.yaml': ns, 'web.yaml': deploymentYaml('team-a', 'web', 3, { image }).replace('  selector:', '  strategy: {type: Recreate}\n  selector:') });
    await converge(recreate('registry.example.com/app:1.0'));
    await converge(recreate('registry.example.com/app:2.0'), () => {
      const images = new Set(pods().map((p) => (p.object.spec as { containers: { image: string }[] }).containers[0]!.image));
      expect(images.size).toBeLessThanOrEqual(1);
    });
    expect(pods()).toHaveLength(3);
  });
});
