/**
 * The daemon's one clock. Everything that stamps or schedules by wall-clock time (pass conditions
 * and events, object status transitions, the simulator's tasks and admin operations, the apply
 * step's task due times, push-to-applied latency) reads the `Clock` it was given, so a test moves
 * time for all of them at once. Elapsed-time measurements (stage timings, time slices) use the
 * monotonic `performance.now()` instead, as they must not jump with the wall clock.
 */

/** Wall-clock time, injected. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The real clock of a running daemon. */
export const systemClock: Clock = { now: () => Date.now() };

/** The clock's time as an RFC 3339 timestamp, the form stored in events and conditions. */
export function timestamp(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}
