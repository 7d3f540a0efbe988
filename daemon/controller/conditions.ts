/** Conditions with stable transition times, and the per-object Ready summary. */
import type { Condition, ConditionStatus, Problem } from '../reconcilers/types.js';

/** Sets `lastTransitionTime` to now only when a condition's status changed; otherwise keeps the old time. */
export function withTransitionTimes(next: readonly Condition[], previous: readonly Condition[] | undefined, now: string): Condition[] {
  return next.map((c) => {
    const before = previous?.find((p) => p.type === c.type);
    const time = before && before.status === c.status ? (before.lastTransitionTime ?? now) : now;
    return { ...c, lastTransitionTime: time };
  });
}

export function readyCondition(status: ConditionStatus, reason: string, message: string): Condition {
  return { type: 'Ready', status, reason, message };
}

/** An object's Ready: its last problem, else its first false condition, else True. */
export function objectReady(conditions: readonly Condition[], problem: Problem | undefined): Condition {
  if (problem) return readyCondition('False', problem.reason, problem.message);
  const failing = conditions.find((c) => c.status !== 'True');
  if (failing) return readyCondition('False', failing.reason, failing.message || `${failing.type} is ${failing.status}`);
  return readyCondition('True', 'Reconciled', '');
}
