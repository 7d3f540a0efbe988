/**
 * Operations that take time, as vCenter tasks do: a task entity with a due time, completed by the
 * simulator's task runner when its clock passes. Tasks are entities, so they persist with the
 * inventory and complete after a restart (late, never lost, never twice).
 */
import type { SimTask } from './model/entity.js';
import type { InventoryReader, InventoryRegistry } from './registry.js';
import type { TaskResult } from './model/faults.js';

/** What a completed task reports (events the runner records). */
export interface TaskOutcome {
  readonly events: readonly { readonly type: 'Normal' | 'Warning'; readonly reason: string; readonly object: string; readonly message: string }[];
}

/** Completes one task kind: mutates the registry (inside the runner's transaction). */
export type TaskCompletion = (registry: InventoryRegistry, task: SimTask, now: number) => TaskResult<TaskOutcome>;

/** Schedules a task; a task already scheduled for the same kind and target is replaced. */
export function scheduleTask(registry: InventoryRegistry, kind: string, target: string, dueAt: number, args?: Record<string, unknown>): SimTask {
  const id = `task-${kind}-${target}`;
  const task: SimTask = { type: 'Task', id, name: `${kind} ${target}`, kind, target, dueAt, ...(args ? { args } : {}) };
  registry.put(task);
  return task;
}

/** Cancels the tasks acting on an entity (it is being deleted). */
export function cancelTasks(registry: InventoryRegistry, target: string): void {
  for (const t of registry.list('Task')) if (t.target === target) registry.remove(t.id);
}

/** Tasks due at `now`, earliest first (ties by id, so completion order is deterministic). */
export function dueTasks(inventory: InventoryReader, now: number): SimTask[] {
  return inventory
    .list('Task')
    .filter((t) => t.dueAt <= now)
    .sort((a, b) => a.dueAt - b.dueAt || (a.id < b.id ? -1 : 1));
}

/** When the next task is due, or undefined when none is scheduled. */
export function nextDueAt(inventory: InventoryReader): number | undefined {
  let next: number | undefined;
  for (const t of inventory.list('Task')) if (next === undefined || t.dueAt < next) next = t.dueAt;
  return next;
}
