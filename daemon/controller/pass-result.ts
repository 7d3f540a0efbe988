/** Why a pass runs and what it returns: the loop's side of the controller. */
import type { ReconcileResult } from '../base/metrics.js';

/** Why a pass runs; a watch or fetch trigger carries when the ref was written (for push-to-applied latency). */
export interface Trigger {
  readonly reason: 'startup' | 'watch' | 'fetch' | 'resync' | 'requeue' | 'manual' | 'admin' | 'task';
  readonly refWrittenAtMs?: number;
  /** When a webhook asked for the fetch this pass follows (webhook → applied latency). */
  readonly webhookAtMs?: number;
}

export interface PassResult {
  readonly result: ReconcileResult;
  readonly revision?: string;
  /** When set, run again after this delay (objects waiting for capacity or quota). */
  readonly requeueAfterMs?: number;
}
