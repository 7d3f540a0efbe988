/** Conditions with stable transition times, the per-object Ready summary and the source's condition. */
import type { Condition, ConditionStatus, Problem } from '../plan/contract.js';
import type { HeadState } from '../source/types.js';

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

/** `FetchFailed=True` with Flux's reason while a remote source's last fetch failed; undefined otherwise. */
export function fetchCondition(head: HeadState): Condition | undefined {
  const fault = head.fetchFailed;
  return fault && { type: 'FetchFailed', status: 'True', reason: fault.reason, message: fault.message };
}

/** The source's condition for the head a pass found. */
export function sourceCondition(head: HeadState, branch: string): Condition {
  if (head.state !== 'commit' && head.fetchFailed) return { type: 'SourceReady', status: 'False', reason: head.fetchFailed.reason, message: head.fetchFailed.message };
  switch (head.state) {
    case 'commit':
      return { type: 'SourceReady', status: 'True', reason: 'RevisionFound', message: `${branch}@sha1:${head.commit}` };
    case 'empty-repository':
      return { type: 'SourceReady', status: 'False', reason: 'EmptyRepository', message: 'the repository has no commits yet' };
    case 'branch-not-found':
      return { type: 'SourceReady', status: 'False', reason: 'BranchNotFound', message: `branch ${head.branch} does not exist (branches: ${head.branches.join(', ') || 'none'})` };
    case 'unreadable':
      return { type: 'SourceReady', status: 'False', reason: 'SourceUnreadable', message: head.message };
  }
}

/**
 * kstatus's abnormal-true conditions beside Ready, present only while True (as kstatus and Flux
 * write them): `Stalled` when only a person can move the source on (an invalid, unverified or held
 * head, or objects refused for good), `Reconciling` while it moves on by itself (a source retried,
 * objects waiting for capacity, VMs and pods not Ready yet).
 */
export function kstatusConditions(verdict: 'unavailable' | 'unverified' | 'invalid' | 'held' | 'applied', ready: Condition, notReady: number): Condition[] {
  switch (verdict) {
    case 'unavailable':
      return [{ type: 'Reconciling', status: 'True', reason: 'ProgressingWithRetry', message: ready.message }];
    case 'unverified':
    case 'invalid':
    case 'held':
      return [{ type: 'Stalled', status: 'True', reason: ready.reason, message: ready.message }];
    case 'applied':
      if (ready.reason === 'AdmissionRefused') return [{ type: 'Stalled', status: 'True', reason: ready.reason, message: ready.message }];
      if (ready.status !== 'True') return [{ type: 'Reconciling', status: 'True', reason: 'ProgressingWithRetry', message: ready.message }];
      return notReady ? [{ type: 'Reconciling', status: 'True', reason: 'Progressing', message: `${notReady} object(s) not Ready yet` }] : [];
  }
}
