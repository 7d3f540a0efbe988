/** Plan-and-apply against a real store, as the daemon does in one pass (without git and HTTP). */
import { applyPlan, type StepResult } from '../../daemon/apply/executor.js';
import type { InventoryRegistry } from '../../daemon/inventory/registry.js';
import type { ManifestObject } from '../../daemon/manifests/types.js';
import type { Plan } from '../../daemon/plan/types.js';
import type { DaemonStore } from '../../daemon/store/ports.js';
import { pino } from 'pino';
import { TaskRunner } from '../../daemon/simulator/task-runner.js';
import { TASK_COMPLETIONS } from '../../daemon/inventory/task-kinds.js';
import { planOf } from './fixtures.js';

import { clock } from './clock.js';

export { clock };

export async function planAndApply(desired: readonly ManifestObject[], registry: InventoryRegistry, store: DaemonStore, revision = 'rev-1'): Promise<{ plan: Plan; results: StepResult[] }> {
  const ownership = store.ownership();
  const plan = planOf(desired, registry, ownership, revision);
  const results = await applyPlan(plan, registry, store, { revision, clock, ownership });
  return { plan, results };
}

/** Moves the simulator clock and completes every task now due (pods starting, IPs assigned…). */
export function advanceAndRunTasks(registry: InventoryRegistry, store: DaemonStore, ms: number): number {
  clock.advance(ms);
  const runner = new TaskRunner({ registry, store, clock, completions: TASK_COMPLETIONS, onCompleted: () => {}, log: pino({ level: 'silent' }) });
  const done = runner.runDue();
  runner.stop();
  return done;
}

/**
 * Runs passes as the daemon would (each followed by the simulator's due tasks, the clock moved to
 * the next one) until a pass admits no change and no task is left. `onPass` sees every pass.
 */
export async function converge(
  desired: readonly ManifestObject[],
  registry: InventoryRegistry,
  store: DaemonStore,
  onPass: (plan: Plan, pass: number) => void = () => {},
  maxPasses = 100,
): Promise<number> {
  for (let pass = 1; pass <= maxPasses; pass++) {
    const { plan } = await planAndApply(desired, registry, store);
    onPass(plan, pass);
    const tasks = registry.list('Task');
    if (!plan.changes.some((c) => c.admission.allowed) && tasks.length === 0) return pass;
    if (tasks.length) advanceAndRunTasks(registry, store, Math.max(0, Math.min(...tasks.map((t) => t.dueAt)) - clock.now()));
  }
  throw new Error(`no convergence after ${maxPasses} passes`);
}
