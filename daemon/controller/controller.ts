/**
 * One reconcile pass, level-based: read the branch head, load and validate the revision, plan it
 * against the inventory, apply the admitted changes, and record status. A watch event or a timer
 * only says "look again". The controller reads the head and, unless the last pass settled on it
 * (plan-scope.ts), runs the phases of phases.ts over a new pass scope; it keeps the books that
 * outlive a pass: the plan scope, the status book and the revisions.
 */
import { CommitToReady } from './commit-to-ready.js';
import type { ObjectStatusRecord, SyncState } from '../store/types.js';
import { readyCondition, sourceCondition } from './conditions.js';
import { PassScope, runPhases, type ControllerDeps, type PassContext, type PhaseError } from './pass.js';
import type { PassResult, Trigger } from './pass-result.js';
import { PASS_PHASES } from './phases.js';
import { FULL_PASS_EVERY_MS, PlanScope, type PlannedScope } from './plan-scope.js';
import { PassRecorder } from './recorder.js';
import { Revisions, type GoodRevision } from './revisions.js';
import type { ManifestObject } from '../manifests/types.js';
import { StatusBook, type StatusCursor } from './status-book.js';

export class Controller {
  private ctx: PassContext;
  /** A failure the store could not record (disk full, read-only): what `state()` shows until a pass saves again. */
  private unsaved: SyncState | undefined;

  constructor(deps: ControllerDeps) {
    const { registry, store, clock, metrics } = deps;
    this.ctx = {
      deps,
      scope: new PlanScope({ registry, store, clock, fullPassEveryMs: deps.fullPassEveryMs ?? FULL_PASS_EVERY_MS }),
      book: new StatusBook(store.objectStatuses(), metrics, deps.verifyPasses),
      revisions: new Revisions(deps.loader),
      record: new PassRecorder(clock, metrics),
      toReady: new CommitToReady(),
    };
  }

  /** Reads the object statuses from the store again: a replica taking the lead takes over what another one's passes saved. */
  reloadStatuses(): void {
    const { store, metrics, verifyPasses } = this.ctx.deps;
    this.ctx = { ...this.ctx, book: new StatusBook(store.objectStatuses(), metrics, verifyPasses) };
  }

  /** What the last plan of the last pass covered (tests, logs). */
  get lastScope(): PlannedScope | undefined {
    return this.ctx.scope.last;
  }

  /** The reconciler state as persisted (revisions, conditions, diagnostics), or the failure it could not persist. */
  state(): SyncState {
    return this.unsaved ?? this.ctx.deps.store.syncState() ?? { conditions: [], diagnostics: [] };
  }

  /** Object statuses of the last pass, in key order: the same array until a pass saves new ones (`/status` caches by identity). */
  objectStatuses(): readonly ObjectStatusRecord[] {
    return this.ctx.book.list();
  }

  /** One object's status of the last pass, by key. */
  objectStatus(key: string): ObjectStatusRecord | undefined {
    return this.ctx.book.get(key);
  }

  /** Keys whose status changed since `cursor` (`all` after a reload of the statuses, or for a reader too far behind). */
  statusChangesSince(cursor: StatusCursor | undefined): ReturnType<StatusBook['changesSince']> {
    return this.ctx.book.changesSince(cursor);
  }

  /** A desired object (declared or derived) of the last applied plan, by key: what the Kubernetes API serves before it is live. */
  desiredObject(key: string): ManifestObject | undefined {
    return this.ctx.scope.desiredObject(key);
  }

  /** The revision whose objects are applied and its declared objects (what a dry run plans beside); undefined until a pass loaded one. */
  appliedRevision(): GoodRevision | undefined {
    return this.ctx.revisions.current();
  }

  /** Runs one pass. Never throws for bad input; store or programming errors propagate. */
  async reconcile(trigger: Trigger): Promise<PassResult> {
    const { metrics, clock } = this.ctx.deps;
    const end = metrics.reconcileDuration.startTimer();
    const startedAt = clock.now();
    const started = performance.now();
    let outcome: PassResult = { result: 'failed' };
    let ran: PassScope | undefined;
    let failure: string | undefined;
    try {
      const done = await this.pass(trigger, (p) => (ran = p));
      if ('error' in done) {
        failure = (done.error as Error).message;
        this.recordFailure(done);
        throw done.error;
      }
      this.unsaved = undefined;
      return (outcome = done);
    } finally {
      metrics.reconciles.inc({ result: outcome.result });
      end({ result: outcome.result });
      this.recordHistory(trigger, outcome, ran, { startedAt, durationMs: Math.round(performance.now() - started) }, failure);
    }
  }

  /**
   * Appends the pass to the history. Passes that only found nothing to do (settled, or suspended)
   * are recorded when someone asked for them (a push, `pacific reconcile`), not for every resync.
   */
  private recordHistory(trigger: Trigger, outcome: PassResult, pass: PassScope | undefined, time: { startedAt: number; durationMs: number }, error: string | undefined): void {
    const { deps, scope } = this.ctx;
    const quiet = outcome.result === 'suspended' || (!pass && !error);
    if (quiet && ['resync', 'requeue', 'task'].includes(trigger.reason)) return;
    const verdict = pass?.verdict;
    const notReady = verdict?.kind === 'applied' ? verdict.applied.problems.size : 0;
    const revision = outcome.revision ?? pass?.revision;
    try {
      deps.store.recordPass({
        startedAt: new Date(time.startedAt).toISOString(),
        durationMs: time.durationMs,
        trigger: trigger.reason,
        result: outcome.result,
        ...(outcome.result !== 'suspended' && scope.last ? { scope: scope.last.scope } : {}),
        ...(revision ? { revision: `${deps.branch}@sha1:${revision}` } : {}),
        ...(pass?.planned ? { planDigest: pass.planned.digest, counts: { ...pass.planned.summary, notReady } } : {}),
        ...(error ? { error } : {}),
      });
    } catch (err) {
      // The history is a record of passes, not a part of one: a store that cannot write it is logged, and the pass stands.
      deps.log.error({ err }, 'the pass could not be recorded in the history');
    }
  }

  /** Reads the head and, unless suspended or the last pass settled on it, runs the phases over a new scope; a failure comes back with its phase. */
  private async pass(trigger: Trigger, began: (pass: PassScope) => void): Promise<PassResult | PhaseError> {
    const { deps, scope } = this.ctx;
    const { metrics } = deps;
    let pass: PassScope;
    // Suspended: nothing is read, planned or applied (drift stays); reads and dry runs go on elsewhere.
    const suspended = deps.store.suspension();
    metrics.suspended.set(suspended ? 1 : 0);
    if (suspended) return { result: 'suspended' };
    try {
      const head = await metrics.time('detect', () => deps.source.head());
      // A fetch fault that came or went is news even on the same commit.
      const faultChanged = (this.state().conditions.find((c) => c.type === 'FetchFailed')?.message ?? '') !== (head.fetchFailed?.message ?? '');
      const settled = faultChanged ? undefined : scope.skip(head, trigger);
      if (settled) {
        if (settled.lastApplied) metrics.setLastApplied(settled.lastApplied);
        metrics.planScopes.inc({ scope: 'skipped' });
        return settled.result;
      }
      scope.begin(trigger);
      // A prune hold is decided again by every pass.
      const { pruneHold: _heldBefore, ...previous } = this.state();
      pass = new PassScope(trigger, deps.source, deps.branch, head, previous, sourceCondition(head, deps.branch), deps.log);
      began(pass);
    } catch (error) {
      return { phase: 'detect', error };
    }
    return (await runPhases(PASS_PHASES, this.ctx, pass)) ?? pass.result!;
  }

  /** Saves Ready=False/ReconcileFailed and an event; a store that cannot save it keeps it in memory for `state()`. */
  private recordFailure({ phase, error, ran }: PhaseError): void {
    const { deps, scope, record } = this.ctx;
    const err = error as Error;
    // Whatever the pass had done is unknown: the next one plans everything.
    scope.forget();
    const previous = this.state();
    const failed = { ...previous, conditions: record.conditions(previous, [readyCondition('False', 'ReconcileFailed', err.message), ...previous.conditions.filter((c) => c.type !== 'Ready')]) };
    let unrecorded: unknown;
    try {
      deps.store.saveReconcileResult(failed, undefined, [record.event('Warning', 'ReconcileFailed', deps.source.location, err.message)]);
    } catch (recording) {
      // The store itself is failing (disk full, read-only): this log line and /status (from memory) say so.
      unrecorded = recording;
      this.unsaved = failed;
    }
    deps.log.error({ err, phase, ...(ran ? { ran } : {}), ...(unrecorded ? { unrecorded } : {}) }, 'reconcile pass failed');
  }
}
