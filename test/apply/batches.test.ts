/**
 * Steps are committed in batches: a batch is durable whole or not at all, in the store and in the
 * registry alike, and nothing of a failed batch is reported as done.
 */
import { describe, expect, it } from 'vitest';
import { applyPlan, STEPS_PER_BATCH, type StepResult } from '../../daemon/apply/executor.js';
import { InventoryRegistry } from '../../daemon/inventory/registry.js';
import { manifests, namespaceYaml, planOf, useInventoryStore, vmYaml } from '../support/fixtures.js';
import { clock } from '../support/clock.js';

const ctx = useInventoryStore();
const byId = (entities: readonly { id: string }[]) => JSON.stringify([...entities].sort((a, b) => (a.id < b.id ? -1 : 1)));

function desired(vms: number) {
  const files: Record<string, string> = { 'ns.yaml': namespaceYaml('team-a') };
  for (let i = 0; i < vms; i++) files[`vm-${i}.yaml`] = vmYaml('team-a', `vm-${i}`);
  return manifests(files);
}

const apply = (vms: number, onStep?: (r: StepResult) => void) => {
  const ownership = ctx.store.ownership();
  return applyPlan(planOf(desired(vms), ctx.registry, ownership), ctx.registry, ctx.store, { revision: 'rev-1', clock, ownership, ...(onStep ? { onStep } : {}) });
};

describe('applyPlan batches', () => {
  it('commits many steps together, each with its ownership record, as separate steps would', async () => {
    const results = await apply(STEPS_PER_BATCH + 10);
    expect(results.every((r) => r.outcome === 'created')).toBe(true);
    const stored = new InventoryRegistry(ctx.store.loadInventory()!);
    expect(stored.list('VirtualMachine')).toHaveLength(STEPS_PER_BATCH + 10);
    expect(ctx.store.ownedObjects()).toHaveLength(STEPS_PER_BATCH + 11);
    expect(byId(stored.all())).toBe(byId(ctx.registry.all()));
  });

  it('undoes the whole batch in memory when the store refuses a step, reports none of it, and applies it all the next time', async () => {
    const before = byId(ctx.registry.all());
    const commitStep = ctx.store.commitStep.bind(ctx.store);
    let calls = 0;
    ctx.store.commitStep = (...args) => {
      if (++calls === 4) throw new Error('disk full');
      commitStep(...args);
    };
    const reported: string[] = [];
    await expect(apply(6, (r) => reported.push(r.change.name))).rejects.toThrow('disk full');
    expect(reported).toEqual([]);
    expect(byId(ctx.registry.all())).toBe(before);
    expect(ctx.store.loadInventory()!.filter((e) => e.type === 'VirtualMachine')).toEqual([]);
    expect(ctx.store.ownership().size).toBe(0);
    expect(ctx.store.ownedObjects()).toEqual([]);
    ctx.store.commitStep = commitStep;
    expect((await apply(6)).map((r) => r.outcome)).toEqual(Array(7).fill('created'));
    expect(ctx.store.ownership().size).toBe(7);
  });
});
