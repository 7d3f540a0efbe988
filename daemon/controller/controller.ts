/**
 * One reconcile pass, level-based: read the branch head, load and validate the revision, plan it
 * against the inventory, apply the admitted changes, and record status. A watch event or a timer
 * only says "look again". A pass plans the whole revision against the whole inventory the first
 * time and on a periodic resync; in between it plans only the namespaces where something changed
 * since the last applied plan (see namespace-scope.ts), and a pass that finds the same head and an
 * untouched inventory after a pass that left nothing to do is skipped.
 */
import type { Logger } from 'pino';
import { applyPlan, type StepProblem, type StepResult } from '../apply/executor.js';
import { timestamp, type Clock } from '../clock.js';
import type { InventoryRegistry } from '../inventory/registry.js';
import type { SchemaRegistry } from '../manifests/schema-registry.js';
import { displayName, formatDiagnostic, type ManifestObject } from '../manifests/types.js';
import type { Metrics, ReconcileResult } from '../metrics.js';
import { plan, planCooperatively } from '../plan/planner.js';
import { timeSlices } from '../time-slices.js';
import { pruneHoldMessage, type PruneHold, type PruneLimit } from '../plan/prune-bound.js';
import type { Plan } from '../plan/types.js';
import type { Condition } from '../reconcilers/types.js';
import type { HeadState, ManifestSource } from '../source/types.js';
import { StoreError, type EventLog, type MetaReader, type OwnershipReader, type SettledMark, type StepJournal, type SyncRecord } from '../store/ports.js';
import type { ObjectStatusRecord, StoredEvent, SyncState } from '../store/types.js';
import { readyCondition, withTransitionTimes } from './conditions.js';
import type { LoadedRevision, RevisionLoader } from './load-revision.js';
import { holdOf } from './prune-guard.js';
import { buildObjectStatuses, mergeStatuses, readinessByKind, statusChanges } from './object-status.js';
import { DesiredIndex } from './desired-index.js';
import { addDeclaredChanges, addInventoryChanges, NamespaceScope } from './namespace-scope.js';
import { scopeNamespace } from '../plan/scoped-inventory.js';
import { verifyPlan, verifyStatuses } from './verify-pass.js';
import { notReadyReason, REQUEUE_WAITING_MS, retriable } from './readiness-reasons.js';

export interface ControllerDeps {
  readonly source: ManifestSource;
  readonly branch: string;
  readonly store: StepJournal & EventLog & OwnershipReader & SyncRecord & SettledMark & MetaReader;
  readonly registry: InventoryRegistry;
  readonly schemas: SchemaRegistry;
  readonly loader: RevisionLoader;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly clock: Clock;
  /** The prune bound (`--max-prune`); absent, nothing is held. */
  readonly pruneLimit?: PruneLimit;
  /** How often a resync plans everything instead of what changed (default `FULL_PASS_EVERY_MS`). */
  readonly fullPassEveryMs?: number;
  /** Check every incremental plan and status against a full one, and throw if they differ (tests). */
  readonly verifyPasses?: boolean;
}

/** Why a pass runs; a watch trigger carries when the ref was written (for push-to-applied latency). */
export interface Trigger {
  readonly reason: 'startup' | 'watch' | 'resync' | 'requeue' | 'manual' | 'admin' | 'task';
  readonly refWrittenAtMs?: number;
}

export interface PassResult {
  readonly result: ReconcileResult;
  readonly revision?: string;
  /** When set, run again after this delay (objects waiting for capacity or quota). */
  readonly requeueAfterMs?: number;
}

/** What a pass applied: the desired objects whose status to rebuild, and the problem of each one not as desired. */
interface Applied {
  /** The desired objects (declared and derived) of `statusScope`, or all of them. */
  readonly objects: readonly ManifestObject[];
  /** How many desired objects the revision has in all. */
  readonly count: number;
  /** Keys of desired objects that went away (their statuses go too); a full pass finds them itself. */
  readonly removed?: readonly string[];
  readonly problems: ReadonlyMap<string, StepProblem>;
  /** Set when the prune bound held the revision: nothing of it was applied. */
  readonly held?: PruneHold;
  /** The namespaces whose statuses may have changed; absent, all of them. */
  readonly statusScope?: ReadonlySet<string>;
  /** True when nothing was applied and the inventory did not change during the pass. */
  readonly settled?: boolean;
}

/**
 * What the last applied plan left: its declared objects, and the namespaces whose objects are not
 * as desired (planned again by every pass until they are). Everything else is as desired unless
 * its files or its inventory changed since.
 */
interface Basis {
  readonly revision: string;
  readonly declared: readonly ManifestObject[];
  /** `declared` by namespace, patched as revisions change. */
  readonly index: DesiredIndex;
  readonly waiting: NamespaceScope;
  /** When the last full plan was made (ms since the epoch). */
  readonly fullAt: number;
}

/** A pass that left nothing to do: the head it saw, the inventory version after it, its result. */
interface Settled {
  readonly head: string;
  readonly version: number;
  readonly result: PassResult;
  readonly lastApplied?: string;
}

/** What a pass planned: nothing (skipped), everything and why, or the namespaces that changed. */
export type PlannedScope = { readonly scope: 'skipped' } | { readonly scope: 'full'; readonly reason: string } | { readonly scope: 'incremental'; readonly namespaces: readonly string[] };

/** How often a resync plans the whole revision against the whole inventory: the safety net of incremental passes. */
export const FULL_PASS_EVERY_MS = 10 * 60_000;

const SHORT = (revision: string) => revision.slice(0, 12);

function sourceCondition(head: HeadState, branch: string): Condition {
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

export class Controller {
  private statuses: Map<string, ObjectStatusRecord>;
  private sortedStatuses: readonly ObjectStatusRecord[] | undefined;
  private lastGood: { revision: string; objects: readonly ManifestObject[] } | undefined;
  /** A failure the store could not record (disk full, read-only): what `state()` shows until a pass saves again. */
  private unsaved: SyncState | undefined;
  private basis: Basis | undefined;
  /** The last revision the loader returned (its changes against the one before, when it knows them). */
  private loaded: LoadedRevision | undefined;
  /** Every desired object (declared and derived) of the last applied plan, by namespace. */
  private desired = new DesiredIndex();
  /** Ready and not-ready objects by kind, kept in step with `statuses`. */
  private readiness: Map<string, { ready: number; notReady: number }>;
  /** Inventory changes made since the last statuses were built (tasks, admin operations): to plan and to rebuild status for. */
  private pending = new NamespaceScope();
  /** What the last pass's own apply changed: its statuses are built, but it is planned once more (rollouts go a step per pass). */
  private replan = new NamespaceScope();
  private settled: Settled | undefined;
  /** Set for a pass that must plan everything (the periodic full resync). */
  private fullPass = false;
  /** What the last plan of the last pass covered (tests, logs). */
  lastScope: PlannedScope | undefined;

  constructor(private readonly deps: ControllerDeps) {
    this.statuses = new Map(deps.store.objectStatuses().map((s) => [s.key, s]));
    // A restart after a settled pass (no step committed since) finds the same inventory: its first
    // pass on the same head is skipped; the first resync after it plans everything.
    const mark = deps.store.settled();
    if (mark) this.settled = { ...(JSON.parse(mark) as Omit<Settled, 'version'>), version: deps.registry.version };
    this.readiness = readinessByKind(this.statuses.values());
    if (this.statuses.size) deps.metrics.setObjects(this.readiness);
  }

  /** The reconciler state as persisted (revisions, conditions, diagnostics), or the failure it could not persist. */
  state(): SyncState {
    return this.unsaved ?? this.deps.store.syncState() ?? { conditions: [], diagnostics: [] };
  }

  /** Runs one pass. Never throws for bad input; store or programming errors propagate. */
  async reconcile(trigger: Trigger): Promise<PassResult> {
    const { metrics } = this.deps;
    const end = metrics.reconcileDuration.startTimer();
    let outcome: PassResult = { result: 'failed' };
    try {
      outcome = await this.pass(trigger);
      this.unsaved = undefined;
      return outcome;
    } catch (err) {
      this.recordFailure(err as Error);
      throw err;
    } finally {
      metrics.reconciles.inc({ result: outcome.result });
      end({ result: outcome.result });
    }
  }

  private async pass(trigger: Trigger): Promise<PassResult> {
    const { source, branch, metrics, log } = this.deps;
    const head = await metrics.time('detect', () => source.head());
    const unchanged = this.unchangedSince(head, trigger);
    if (unchanged) return unchanged;
    this.settled = undefined;
    this.fullPass = trigger.reason === 'resync' && this.fullPassDue();
    // A prune hold is decided again by every pass.
    const { pruneHold: _heldBefore, ...previous } = this.state();
    const events: StoredEvent[] = [];
    const sourceReady = sourceCondition(head, branch);
    const changedSource = previous.conditions.find((c) => c.type === 'SourceReady')?.reason !== sourceReady.reason;
    if (head.state !== 'commit') {
      if (changedSource) events.push(this.event('Warning', sourceReady.reason, source.location, sourceReady.message));
      log.warn({ reason: sourceReady.reason }, sourceReady.message);
      // Keep what is applied; keep correcting drift against the last good revision if we know it.
      const drift = this.lastGood ?? (previous.lastAppliedRevision ? await this.tryLoad(previous.lastAppliedRevision) : undefined);
      const applied = drift ? await this.applyRevision(drift.revision, drift.objects, events) : undefined;
      this.save(
        {
          ...previous,
          conditions: this.conditions(previous, [readyCondition('False', sourceReady.reason, sourceReady.message), sourceReady]),
        },
        applied,
        events,
      );
      return { result: 'source_unavailable' };
    }

    const revision = head.commit;
    const rlog = log.child({ revision: SHORT(revision) });
    if (changedSource && previous.conditions.length) events.push(this.event('Normal', 'SourceAvailable', source.location, sourceReady.message));
    if (previous.lastAttemptedRevision && previous.lastAttemptedRevision !== revision && !(await source.isAncestor(previous.lastAttemptedRevision, revision))) {
      const message = `${branch} moved from ${SHORT(previous.lastAttemptedRevision)} to ${SHORT(revision)}, which does not contain it (force-push or rewritten history)`;
      events.push(this.event('Warning', 'ForcePush', source.location, message));
      rlog.warn({ from: previous.lastAttemptedRevision }, message);
    }

    const loaded = await this.loadOrExplain(revision);
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) {
      const message = `revision ${SHORT(revision)} has ${errors.length} invalid manifest problem(s); last applied revision ${previous.lastAppliedRevision ? SHORT(previous.lastAppliedRevision) : '(none)'} stays applied. First: ${formatDiagnostic(errors[0]!)}`;
      if (previous.lastAttemptedRevision !== revision) {
        events.push(this.event('Warning', 'ValidationFailed', source.location, message));
        for (const d of errors) rlog.warn({ file: d.file, line: d.line, object: d.object, path: d.path }, d.message);
      }
      const good = this.lastGood ?? (previous.lastAppliedRevision ? await this.tryLoad(previous.lastAppliedRevision) : undefined);
      const applied = good ? await this.applyRevision(good.revision, good.objects, events) : undefined;
      this.save(
        {
          ...previous,
          headRevision: revision,
          lastAttemptedRevision: revision,
          diagnostics: loaded.diagnostics,
          conditions: this.conditions(previous, [readyCondition('False', 'ValidationFailed', message), sourceReady]),
        },
        applied,
        events,
      );
      return this.settle(revision, applied, { result: 'invalid', revision }, previous.lastAppliedRevision);
    }

    const before = previous.lastAppliedRevision;
    const applied = await this.applyRevision(revision, loaded.objects, events, rlog, true);
    if (applied.held) return this.hold(applied.held, previous, sourceReady, loaded.diagnostics, events);
    this.lastGood = { revision, objects: loaded.objects };
    const notReady = [...applied.problems.entries()];
    const ready = notReady.length
      ? readyCondition(
          'False',
          notReadyReason(applied.problems.values()),
          `applied revision ${SHORT(revision)}; ${notReady.length} of ${applied.count} object(s) not ready: ${notReady
            .slice(0, 3)
            .map(([key, p]) => `${key}: ${p.reason}: ${p.message}`)
            .join('; ')}`,
        )
      : readyCondition('True', 'ReconciliationSucceeded', `applied revision ${branch}@sha1:${revision} (${applied.count} objects)`);
    if (before !== revision) events.push(this.event('Normal', 'RevisionApplied', source.location, ready.message, revision));
    this.save(
      {
        headRevision: revision,
        lastAppliedRevision: revision,
        lastAttemptedRevision: revision,
        diagnostics: loaded.diagnostics,
        conditions: this.conditions(previous, [ready, sourceReady]),
      },
      applied,
      events,
    );
    metrics.setLastApplied(revision);
    if (trigger.refWrittenAtMs && before !== revision) metrics.pushToApplied.observe(Math.max(0, this.deps.clock.now() - trigger.refWrittenAtMs) / 1000);
    rlog.info({ objects: applied.objects.length, notReady: notReady.length, trigger: trigger.reason }, before === revision ? 'revision in sync' : 'revision applied');
    const requeue = retriable(applied.problems.values());
    const result: PassResult = { result: before === revision && !notReady.length ? 'unchanged' : 'applied', revision, ...(requeue ? { requeueAfterMs: REQUEUE_WAITING_MS } : {}) };
    // What a pass with nothing new returns again: the revision is no longer news.
    return this.settle(revision, applied, { ...result, result: notReady.length ? 'applied' : 'unchanged' }, revision, result);
  }

  /**
   * The result of the last pass again, without planning, when it left nothing to do, the head is
   * the same and the inventory did not change since: planning again would find the same.
   */
  private unchangedSince(head: HeadState, trigger: Trigger): PassResult | undefined {
    const settled = this.settled;
    if (!settled || head.state !== 'commit' || head.commit !== settled.head || this.deps.registry.version !== settled.version) return undefined;
    // A restarted daemon keeps trusting its store only until the first resync; then the periodic full pass.
    if (trigger.reason === 'resync' && (!this.basis || this.fullPassDue())) return undefined;
    if (settled.lastApplied) this.deps.metrics.setLastApplied(settled.lastApplied);
    this.lastScope = { scope: 'skipped' };
    this.deps.metrics.planScopes.inc({ scope: 'skipped' });
    return settled.result;
  }

  private fullPassDue(): boolean {
    return !this.basis || this.deps.clock.now() - this.basis.fullAt >= (this.deps.fullPassEveryMs ?? FULL_PASS_EVERY_MS);
  }

  /**
   * Remembers a pass that applied nothing and saw the inventory unchanged (in memory, and in the
   * store for a restart); returns `now` (this pass's result) or, by default, `again`.
   */
  private settle(head: string, applied: Applied | undefined, again: PassResult, lastApplied: string | undefined, now: PassResult = again): PassResult {
    const settled = applied?.settled ? { head, result: again, ...(lastApplied ? { lastApplied } : {}) } : undefined;
    this.settled = settled && { ...settled, version: this.deps.registry.version };
    this.deps.store.setSettled(settled && JSON.stringify(settled));
    return now;
  }

  /**
   * Plans and applies a revision's objects; returns every desired object (declared and derived)
   * and the problem of each one not as desired.
   */
  private async applyRevision(revision: string, declared: readonly ManifestObject[], events: StoredEvent[], log = this.deps.log, bounded = false): Promise<Applied> {
    const { registry, store, schemas, metrics, clock } = this.deps;
    const ownership = store.ownership();
    addInventoryChanges(this.pending, registry.takeTouched(), registry);
    const version = registry.version;
    const { scope, declaredChanges } = this.planScope(revision, declared);
    const namespaces = scope.planned;
    this.lastScope = namespaces ? { scope: 'incremental', namespaces: [...namespaces].sort() } : { scope: 'full', reason: scope.full! };
    metrics.planScopes.inc({ scope: this.lastScope.scope });
    log.debug({ scope: this.lastScope }, 'planning');
    const input = { revision, desired: declared, inventory: registry, ownership, normalizeSpec: (a: string, k: string, s: unknown) => schemas.normalizeSpec(a, k, s) };
    // An incremental plan sees the declared objects of its namespaces (and the cluster-scoped ones).
    const planned = namespaces ? { ...input, desired: this.basis!.index.select(namespaces), namespaces } : input;
    // Verification compares with a full plan of the same inventory, so nothing may run in between: its pauses do not yield.
    const pause = this.deps.verifyPasses ? async () => {} : timeSlices();
    const thePlan: Plan = await metrics.time('plan', () => planCooperatively(planned, pause));
    if (namespaces && this.deps.verifyPasses) verifyPlan(thePlan, plan(input), namespaces);
    const held = bounded ? holdOf(namespaces ? this.withEveryObject(thePlan, namespaces) : thePlan, ownership, this.deps.pruneLimit, store) : undefined;
    if (held) {
      // The held revision's objects are in the index now: the plan of the revision that stays applied starts over.
      this.basis = undefined;
      return { objects: [], count: 0, problems: new Map(), held };
    }
    const results: StepResult[] = await metrics.time('apply', () =>
      applyPlan(thePlan, registry, store, {
        revision,
        clock,
        ownership,
        onStep: (r) => {
          const object = displayName(r.change.kind, r.change.namespace, r.change.name);
          if (r.problem) log.warn({ object, outcome: r.outcome, reason: r.problem.reason }, r.problem.message);
          else log.info({ object, outcome: r.outcome, drift: r.change.drift ?? false }, `${object} ${r.outcome}`);
        },
      }),
    );
    const problems = new Map<string, StepProblem>();
    const waiting = new NamespaceScope();
    for (const r of results) {
      if (r.problem) {
        problems.set(r.change.key, r.problem);
        waiting.addObject(r.change);
      }
      if (r.change.drift && !r.problem) {
        const what = r.change.fields.map((f) => `${f.path}: ${JSON.stringify(f.from)} → ${JSON.stringify(f.to)}`).join(', ') || 'deleted out of band; recreated';
        events.push(this.event('Normal', 'DriftCorrected', displayName(r.change.kind, r.change.namespace, r.change.name), what, revision));
      }
    }
    const settled = registry.version === version && results.every((r) => r.outcome === 'refused');
    // Statuses are built from the inventory as this apply leaves it; what it changed is planned once more next time.
    const applied = new NamespaceScope();
    addInventoryChanges(applied, registry.takeTouched(), registry);
    const external = this.pending;
    const waitedBefore = this.basis?.waiting;
    this.basis = { revision, declared, index: this.basis?.index ?? new DesiredIndex(declared), waiting, fullAt: namespaces && this.basis ? this.basis.fullAt : clock.now() };
    this.pending = new NamespaceScope();
    this.replan = applied;
    if (!namespaces) {
      this.desired = new DesiredIndex(thePlan.objects);
      return { objects: thePlan.objects, count: this.desired.size, problems, settled };
    }
    // A status changes with its object, its namespace's inventory or a problem: rebuild those of
    // namespaces whose declared objects, inventory (since the last statuses) or problems changed,
    // where the plan changed or derived something, and where this apply changed the inventory.
    const removed = this.desired.replace(namespaces, thePlan.objects);
    const changed = new NamespaceScope();
    for (const part of [external, declaredChanges, waiting, applied, ...(waitedBefore ? [waitedBefore] : [])]) changed.addAll(part);
    for (const c of thePlan.changes) changed.addObject(c);
    for (const o of thePlan.objects) if (o.owner) changed.addObject(o);
    const statusScope = changed.planned;
    if (!statusScope) return { objects: this.desired.all(), count: this.desired.size, problems, settled };
    return { objects: this.desired.select(statusScope), count: this.desired.size, removed, problems, settled, statusScope };
  }

  /** The plan with every desired object, the planned ones and the others (as the prune bound counts them). */
  private withEveryObject(thePlan: Plan, namespaces: ReadonlySet<string>): Plan {
    // The plan has the cluster-scoped objects and those of its namespaces; the index has the others.
    const others = () =>
      this.desired.all().filter((o) => {
        const ns = scopeNamespace(o);
        return ns !== undefined && !namespaces.has(ns);
      });
    return Object.defineProperty({ ...thePlan }, 'objects', { get: () => [...others(), ...thePlan.objects] });
  }

  /**
   * What this plan must look at: everything, or the namespaces changed since the last applied plan.
   * Brings the basis's index of declared objects up to `declared`.
   */
  private planScope(revision: string, declared: readonly ManifestObject[]): { scope: NamespaceScope; declaredChanges: NamespaceScope } {
    const scope = new NamespaceScope();
    const declaredChanges = new NamespaceScope();
    const basis = this.basis;
    if (!basis) scope.markFull('the first pass of this process');
    else if (this.fullPass) scope.markFull('the periodic full pass');
    if (!basis || declared === basis.declared) {
      // The same objects (the last good revision again): nothing declared changed.
    } else if (this.loaded?.objects === declared && this.loaded.revision === revision && this.loaded.changes?.from === basis.revision) {
      for (const o of this.loaded.changes.withdrawn) {
        declaredChanges.addObject(o);
        basis.index.remove(o);
      }
      for (const o of this.loaded.changes.declared) {
        declaredChanges.addObject(o);
        basis.index.add(o);
      }
    } else {
      const index = new DesiredIndex(declared);
      addDeclaredChanges(declaredChanges, basis.index, index);
      this.basis = { ...basis, index };
    }
    if (basis) for (const part of [declaredChanges, this.pending, this.replan, basis.waiting]) scope.addAll(part);
    return { scope, declaredChanges };
  }

  /** A revision over the prune bound: nothing of it is applied, the last applied one stays (and drift is corrected against it). */
  private async hold(held: PruneHold, previous: SyncState, sourceReady: Condition, diagnostics: LoadedRevision['diagnostics'], events: StoredEvent[]): Promise<PassResult> {
    const { revision } = held;
    const message = pruneHoldMessage(held, previous.lastAppliedRevision);
    if (previous.lastAttemptedRevision !== revision || previous.conditions.find((c) => c.type === 'Ready')?.reason !== 'PruneHeld') {
      events.push(this.event('Warning', 'PruneHeld', this.deps.source.location, message, revision));
      this.deps.log.warn({ revision: SHORT(revision), deletes: held.deletes, managed: held.managed, limit: held.limit }, message);
    }
    const good = this.lastGood ?? (previous.lastAppliedRevision ? await this.tryLoad(previous.lastAppliedRevision) : undefined);
    const applied = good ? await this.applyRevision(good.revision, good.objects, events) : undefined;
    const conditions = this.conditions(previous, [readyCondition('False', 'PruneHeld', message), sourceReady]);
    this.save({ ...previous, headRevision: revision, lastAttemptedRevision: revision, diagnostics, pruneHold: held, conditions }, applied, events);
    return { result: 'held', revision };
  }

  /**
   * Loads a revision; a revision that cannot be read at all (a corrupt object, a tree entry named
   * `..`) is an invalid revision with one diagnostic, never a crash of the pass.
   */
  private async loadOrExplain(revision: string): Promise<LoadedRevision> {
    try {
      return (this.loaded = await this.deps.loader.load(revision));
    } catch (err) {
      // The store failing (the parsed-file cache cannot be written) is not the revision's fault.
      if (err instanceof StoreError) throw err;
      const message = `revision cannot be read: ${(err as Error).message}`;
      return { revision, fileCount: 0, objects: [], diagnostics: [{ severity: 'error', code: 'UnsafePath', file: '-', line: 0, column: 0, message }] };
    }
  }

  private async tryLoad(revision: string): Promise<{ revision: string; objects: readonly ManifestObject[] } | undefined> {
    try {
      const loaded = (this.loaded = await this.deps.loader.load(revision));
      if (loaded.diagnostics.some((d) => d.severity === 'error')) return undefined;
      this.lastGood = { revision, objects: loaded.objects };
      return this.lastGood;
    } catch {
      return undefined;
    }
  }

  private conditions(previous: SyncState, next: Condition[]): Condition[] {
    return withTransitionTimes(next, previous.conditions, timestamp(this.deps.clock));
  }

  private event(type: StoredEvent['type'], reason: string, object: string, message: string, revision?: string): StoredEvent {
    this.deps.metrics.events.inc({ type, reason });
    return { time: timestamp(this.deps.clock), type, reason, object, message, ...(revision ? { revision } : {}) };
  }

  /** Persists the state, object statuses (only what changed) and events of a pass. */
  private save(state: SyncState, objects: Applied | undefined, events: StoredEvent[]): void {
    const { store, registry, metrics, clock } = this.deps;
    metrics.time('persist', () => {
      let changes;
      if (objects) {
        const time = timestamp(clock);
        const next = buildObjectStatuses(objects.objects, registry, objects.problems, this.statuses, time, objects.statusScope);
        // A refusal or a fault is news once; a pod starting or a load balancer pending is not.
        for (const s of next) {
          if (!objects.problems.has(s.key)) continue;
          const before = this.statuses.get(s.key)?.conditions[0];
          const after = s.conditions[0]!;
          if (before?.reason !== after.reason || before?.message !== after.message) {
            events.push(this.event('Warning', after.reason, displayName(s.kind, s.namespace, s.name), after.message, state.lastAttemptedRevision));
          }
        }
        const before = this.statuses;
        if (objects.statusScope) {
          if (this.deps.verifyPasses) this.statuses = new Map(before);
          changes = mergeStatuses(this.statuses, next, objects.removed ?? [], this.readiness);
          if (this.deps.verifyPasses) verifyStatuses(this.statuses, buildObjectStatuses(this.desired.all(), registry, objects.problems, before, time), this.readiness);
        } else {
          changes = statusChanges(next, this.statuses);
          this.statuses = new Map(next.map((s) => [s.key, s]));
          this.readiness = readinessByKind(next);
        }
        if (changes.put.length || changes.delete.length) {
          this.sortedStatuses = undefined;
          metrics.setObjects(this.readiness);
        }
      }
      store.saveReconcileResult(state, changes, events);
    });
  }

  private recordFailure(err: Error): void {
    // Whatever the pass had done is unknown: the next one plans everything.
    this.basis = undefined;
    this.settled = undefined;
    const previous = this.state();
    this.deps.log.error({ err }, 'reconcile pass failed');
    const failed = { ...previous, conditions: this.conditions(previous, [readyCondition('False', 'ReconcileFailed', err.message), ...previous.conditions.filter((c) => c.type !== 'Ready')]) };
    try {
      this.deps.store.saveReconcileResult(failed, undefined, [this.event('Warning', 'ReconcileFailed', this.deps.source.location, err.message)]);
    } catch {
      // The store itself is failing (disk full, read-only): the log line above and /status (from memory) say so.
      this.unsaved = failed;
    }
  }

  /** Object statuses of the last pass, in key order: the same array until a pass saves new ones (`/status` caches by identity). */
  objectStatuses(): readonly ObjectStatusRecord[] {
    return (this.sortedStatuses ??= [...this.statuses.values()].sort((a, b) => (a.key < b.key ? -1 : 1)));
  }
}
