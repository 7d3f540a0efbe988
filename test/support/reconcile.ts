/** Plan-and-apply against a real store, as the daemon does in one pass (without git and HTTP). */
import { applyPlan, type StepResult } from '../../daemon/apply/executor.js';
import type { InventoryRegistry } from '../../daemon/inventory/registry.js';
import type { ManifestObject } from '../../daemon/manifests/types.js';
import type { Plan } from '../../daemon/plan/types.js';
import type { Store } from '../../daemon/store/store.js';
import { planOf } from './fixtures.js';

export async function planAndApply(desired: readonly ManifestObject[], registry: InventoryRegistry, store: Store, revision = 'rev-1'): Promise<{ plan: Plan; results: StepResult[] }> {
  const ownership = store.ownership();
  const plan = planOf(desired, registry, ownership, revision);
  const results = await applyPlan(plan, registry, store, { revision, now: () => new Date('2026-01-01T00:00:00Z'), ownership });
  return { plan, results };
}
