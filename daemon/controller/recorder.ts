/** What a pass says: events stamped by the clock and counted, conditions with stable transition times. */
import { timestamp, type Clock } from '../base/clock.js';
import type { Metrics } from '../base/metrics.js';
import type { Condition } from '../plan/contract.js';
import type { StoredEvent, SyncState } from '../store/types.js';
import { withTransitionTimes } from './conditions.js';

export class PassRecorder {
  constructor(
    private readonly clock: Clock,
    private readonly metrics: Metrics,
  ) {}

  /** An event, now; counted in the events metric when made. */
  event(type: StoredEvent['type'], reason: string, object: string, message: string, revision?: string): StoredEvent {
    this.metrics.events.inc({ type, reason });
    return { time: timestamp(this.clock), type, reason, object, message, ...(revision ? { revision } : {}) };
  }

  /** The reconciler's next conditions, each keeping its transition time unless its status changed. */
  conditions(previous: SyncState, next: Condition[]): Condition[] {
    return withTransitionTimes(next, previous.conditions, timestamp(this.clock));
  }
}
