/**
 * The simulator's task runner, the IO shell around `tasks.ts`: a timer armed for the next due task;
 * each completion is one registry transaction persisted as one store step with its events.
 */
import type { Logger } from 'pino';
import { SLICE_MS } from '../base/time-slices.js';
import type { Clock } from '../base/clock.js';
import type { StepJournal } from '../store/ports.js';
import type { StoredEvent } from '../store/types.js';
import { FaultError } from '../inventory/model/faults.js';
import type { InventoryRegistry } from '../inventory/registry.js';
import { dueTasks, nextDueAt, type TaskCompletion, type TaskOutcome } from '../inventory/tasks.js';

export interface TaskRunnerDeps {
  readonly registry: InventoryRegistry;
  readonly store: StepJournal;
  readonly clock: Clock;
  readonly completions: Readonly<Record<string, TaskCompletion>>;
  /** Called after a batch of completions (the daemon looks again: statuses, rollouts). */
  readonly onCompleted: (count: number) => void;
  /** Called with the events each completion recorded (metrics). */
  readonly onEvents?: (events: readonly StoredEvent[]) => void;
  readonly log: Logger;
}

/** How soon tasks are tried again after the store refused to record one. */
export const TASK_RETRY_MS = 5_000;

export class TaskRunner {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly deps: TaskRunnerDeps) {}

  /**
   * Completes the due tasks, each as one persisted step, for at most `budgetMs` (the timer's: one
   * 10 ms slice, then the rest at the next turn of the event loop, so 4,000 pods starting at once do
   * not hold up `/healthz`); returns how many completed.
   */
  runDue(budgetMs = Infinity): number {
    const { registry, store, clock, completions, log } = this.deps;
    const at = clock.now();
    const time = new Date(at).toISOString();
    const record = (outcome: TaskOutcome): StoredEvent[] => outcome.events.map((e) => ({ ...e, time }));
    let done = 0;
    const start = performance.now();
    for (const task of dueTasks(registry, at)) {
      if (performance.now() - start >= budgetMs) break;
      const complete = completions[task.kind];
      try {
        registry.transaction(
          () => {
            registry.remove(task.id);
            if (!complete) return { events: [{ type: 'Warning' as const, reason: 'UnknownTask', object: task.target, message: `no completion for task kind ${task.kind}` }] };
            const result = complete(registry, task, at);
            if (!result.ok) throw new FaultError(result.error);
            return result.value;
          },
          (changes, outcome) => {
            const events = record(outcome);
            store.commitStep(changes, [], events);
            this.deps.onEvents?.(events);
          },
        );
      } catch (err) {
        if (!(err instanceof FaultError)) throw err;
        // The task failed as a vSphere task fails: it ends, with its fault recorded.
        registry.transaction(
          () => registry.remove(task.id),
          (changes) => store.commitStep(changes, [], [{ time, type: 'Warning', reason: err.fault.fault, object: task.target, message: `${task.kind}: ${err.fault.message}` }]),
        );
        log.warn({ task: task.id, fault: err.fault.fault }, err.fault.message);
      }
      done++;
    }
    if (done) this.deps.onCompleted(done);
    this.schedule();
    return done;
  }

  /** Arms the timer for the next due task (call after anything that may have scheduled one). */
  schedule(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const next = nextDueAt(this.deps.registry);
    if (next === undefined) return;
    this.timer = setTimeout(() => this.runDueOrRetry(), Math.max(0, next - this.deps.clock.now()));
    this.timer.unref();
  }

  /** The timer's callback: a store that cannot be written (disk full) is logged and retried, never thrown out of a timer. */
  private runDueOrRetry(): void {
    try {
      this.runDue(SLICE_MS);
    } catch (err) {
      this.deps.log.error({ err }, `completing simulator tasks failed; retrying in ${TASK_RETRY_MS / 1000}s`);
      if (this.stopped) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.runDueOrRetry(), TASK_RETRY_MS);
      this.timer.unref();
    }
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
