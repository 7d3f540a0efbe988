/**
 * What a pass plans: nothing when the last pass left nothing to do and neither the head nor the
 * inventory changed since (skipped); the whole revision against the whole inventory the first time,
 * on the periodic full pass, or when a change cannot be pinned to a namespace (full); else only the
 * namespaces where something changed since the last applied plan (incremental, see
 * namespace-scope.ts). This module keeps the bookkeeping across passes that decides it: the basis
 * (what the last applied plan left), inventory changes made since, what the last apply changed,
 * every desired object by namespace, and the settled mark.
 */
import type { StepProblem, StepResult } from '../apply/executor.js';
import type { Clock } from '../base/clock.js';
import type { InventoryRegistry } from '../inventory/registry.js';
import type { ManifestObject } from '../manifests/types.js';
import { scopeNamespace } from '../plan/scoped-inventory.js';
import type { Plan } from '../plan/types.js';
import type { HeadState } from '../source/types.js';
import type { SettledMark } from '../store/ports.js';
import { CapacityHolds } from './capacity-holds.js';
import { DesiredIndex } from './desired-index.js';
import type { LoadedRevision } from './load-revision.js';
import { addDeclaredChanges, addInventoryChanges, NamespaceScope } from './namespace-scope.js';
import type { PassResult, Trigger } from './pass-result.js';

/** What a pass planned: nothing (skipped), everything and why, or the namespaces that changed. */
export type PlannedScope = { readonly scope: 'skipped' } | { readonly scope: 'full'; readonly reason: string } | { readonly scope: 'incremental'; readonly namespaces: readonly string[] };

/** How often a resync plans the whole revision against the whole inventory: the safety net of incremental passes. */
export const FULL_PASS_EVERY_MS = 10 * 60_000;

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

/** A pass that left nothing to do: the head it saw, its result, and the inventory version after it. */
export interface Settled {
  readonly head: string;
  readonly result: PassResult;
  readonly lastApplied?: string;
  readonly version: number;
}

/** A plan about to be made: what it covers and the declared objects it sees. */
export interface Selection {
  readonly revision: string;
  readonly declared: readonly ManifestObject[];
  /** The namespaces to plan; undefined plans everything. */
  readonly namespaces: ReadonlySet<string> | undefined;
  /** What the plan sees: every declared object, or those of `namespaces` and the cluster-scoped ones. */
  readonly desired: readonly ManifestObject[];
  /** Namespaces whose declared objects changed since the basis. */
  readonly declaredChanges: NamespaceScope;
  /** Namespaces held for capacity that this plan leaves out (see capacity-holds.ts). */
  readonly deferred: ReadonlySet<string>;
  /** Namespaces whose carried-over work this plan leaves to the next pass, so a push goes first. */
  readonly later: ReadonlySet<string>;
  /** The inventory's version when planning began. */
  readonly version: number;
}

/** What a pass applied: the desired objects whose status to rebuild, and the problem of each one not as desired. */
export interface Applied {
  /** The desired objects (declared and derived) of `statusScope`, or all of them. */
  readonly objects: readonly ManifestObject[];
  /** How many desired objects the revision has in all. */
  readonly count: number;
  /** Keys of desired objects that went away (their statuses go too); a full pass finds them itself. */
  readonly removed?: readonly string[];
  readonly problems: ReadonlyMap<string, StepProblem>;
  /** The namespaces whose statuses may have changed; absent, all of them. */
  readonly statusScope?: ReadonlySet<string>;
  /** True when nothing was applied and the inventory did not change during the pass. */
  readonly settled: boolean;
  /** The namespaces the plan left to the next pass (`Selection.later`), which runs at once; absent, none. */
  readonly later?: ReadonlySet<string>;
}

export interface PlanScopeDeps {
  readonly registry: InventoryRegistry;
  readonly store: SettledMark;
  readonly clock: Clock;
  readonly fullPassEveryMs: number;
}

export class PlanScope {
  private basis: Basis | undefined;
  /** Every desired object (declared and derived) of the last applied plan, by namespace. */
  private desired = new DesiredIndex();
  /** Inventory changes made since the last statuses were built (tasks, admin operations): to plan and to rebuild status for. */
  private pending = new NamespaceScope();
  /** What the last pass's own apply changed: its statuses are built, but it is planned once more (rollouts go a step per pass). */
  private replan = new NamespaceScope();
  private settled: Settled | undefined;
  /** Namespaces the last pass left to this one (planned now, never left twice in a row). */
  private postponed: ReadonlySet<string> = new Set();
  /** Namespaces whose last plan was refused whole for capacity: not planned again by every pass. */
  private readonly holds = new CapacityHolds();
  /** Set for a pass that must plan everything (the periodic full resync). */
  private fullPass = false;
  /** What the last plan covered (tests, logs). */
  last: PlannedScope | undefined;

  constructor(private readonly deps: PlanScopeDeps) {
    // A restart after a settled pass (no step committed since) finds the same inventory: its first
    // pass on the same head is skipped; the first resync after it plans everything.
    const mark = deps.store.settled();
    if (mark) this.settled = { ...(JSON.parse(mark) as Omit<Settled, 'version'>), version: deps.registry.version };
  }

  /**
   * The last pass again, without planning, when it left nothing to do, the head is the same and
   * the inventory did not change since: planning again would find the same.
   */
  skip(head: HeadState, trigger: Trigger): Settled | undefined {
    const settled = this.settled;
    if (!settled || head.state !== 'commit' || head.commit !== settled.head || this.deps.registry.version !== settled.version) return undefined;
    // Asked for by a person (POST /reconcile): look again, whatever the last pass concluded (an object repaired in place).
    if (trigger.reason === 'manual') return undefined;
    // A restarted daemon keeps trusting its store only until the first resync; then the periodic full pass.
    if (trigger.reason === 'resync' && this.fullPassDue()) return undefined;
    // A namespace held for capacity is tried again when its retry is due, even with nothing else changed.
    if (this.holds.due(this.deps.clock.now()).length) return undefined;
    this.last = { scope: 'skipped' };
    return settled;
  }

  /** Starts a pass that plans: the settled pass is no longer current; a resync when one is due plans everything. */
  begin(trigger: Trigger): void {
    this.settled = undefined;
    this.fullPass = trigger.reason === 'resync' && this.fullPassDue();
    this.holds.begin(trigger.reason === 'manual');
  }

  private fullPassDue(): boolean {
    return !this.basis || this.deps.clock.now() - this.basis.fullAt >= this.deps.fullPassEveryMs;
  }

  /**
   * What the plan of `declared` must look at: everything, or the namespaces changed since the last
   * applied plan. Takes in the inventory changes made since, and brings the basis's index of
   * declared objects up to `declared` (with the loader's changes when `loaded` has them).
   */
  select(revision: string, declared: readonly ManifestObject[], loaded: LoadedRevision | undefined): Selection {
    const { registry } = this.deps;
    const touched = registry.takeTouched();
    this.holds.noteTouched(touched, registry);
    addInventoryChanges(this.pending, touched, registry);
    const version = registry.version;
    const scope = new NamespaceScope();
    const declaredChanges = new NamespaceScope();
    const basis = this.basis;
    if (!basis) scope.markFull('the first pass of this process');
    else if (this.fullPass) scope.markFull('the periodic full pass');
    if (!basis || declared === basis.declared) {
      // The same objects (the last good revision again): nothing declared changed.
    } else if (loaded?.objects === declared && loaded.revision === revision && loaded.changes?.from === basis.revision) {
      for (const o of loaded.changes.withdrawn) {
        declaredChanges.addObject(o);
        basis.index.remove(o);
      }
      for (const o of loaded.changes.declared) {
        declaredChanges.addObject(o);
        basis.index.add(o);
      }
    } else {
      const index = new DesiredIndex(declared);
      addDeclaredChanges(declaredChanges, basis.index, index);
      this.basis = { ...basis, index };
    }
    if (basis) for (const part of [declaredChanges, this.pending, this.replan, basis.waiting]) scope.addAll(part);
    for (const ns of [...this.postponed, ...this.holds.due(this.deps.clock.now())]) scope.namespaces.add(ns);
    // A push goes first: what other namespaces carry over (a rollout's next batch, tasks done, a
    // retry) follows in the next pass, at once, unless it is waiting or was left once already.
    const later = new Set<string>();
    if (basis && scope.planned && declaredChanges.namespaces.size) {
      for (const ns of scope.namespaces) if (!declaredChanges.namespaces.has(ns) && !basis.waiting.namespaces.has(ns) && !this.postponed.has(ns)) later.add(ns);
      for (const ns of later) scope.namespaces.delete(ns);
    }
    const namespaces = scope.planned;
    const deferred = this.holds.deferred(namespaces);
    this.last = namespaces ? { scope: 'incremental', namespaces: [...namespaces].sort() } : { scope: 'full', reason: scope.full! };
    // An incremental plan sees the declared objects of its namespaces (and the cluster-scoped ones).
    const desired = namespaces ? this.basis!.index.select(namespaces) : declared;
    return { revision, declared, namespaces, desired, declaredChanges, deferred, later, version };
  }

  /** The plan with every desired object, the planned ones and the others (as the prune bound counts them). */
  withEveryObject(plan: Plan, namespaces: ReadonlySet<string>): Plan {
    // The plan has the cluster-scoped objects and those of its namespaces; the index has the others.
    const others = () =>
      this.desired.all().filter((o) => {
        const ns = scopeNamespace(o);
        return ns !== undefined && !namespaces.has(ns);
      });
    return Object.defineProperty({ ...plan }, 'objects', { get: () => [...others(), ...plan.objects] });
  }

  /**
   * Takes in what applying the selection's plan did; returns the desired objects whose statuses to
   * rebuild and the problem of each one not as desired. What the apply changed is planned once more.
   */
  applied(selection: Selection, plan: Plan, results: readonly StepResult[]): Applied {
    const { registry, clock } = this.deps;
    const { later } = selection;
    const settled = registry.version === selection.version && results.every((r) => r.outcome === 'refused') && !later.size;
    // Statuses are built from the inventory as this apply leaves it; what it changed is planned once more next time.
    const applied = new NamespaceScope();
    const touched = registry.takeTouched();
    addInventoryChanges(applied, touched, registry);
    const held = this.holds.applied(results, selection.deferred, (ns) => applied.namespaces.has(ns), clock.now());
    this.holds.noteTouched(touched, registry);
    // The refusals of deferred namespaces are still problems; only those not held wait to be planned again.
    const problems = new Map<string, StepProblem>(this.holds.problemsOf(selection.deferred));
    const waiting = new NamespaceScope();
    for (const r of results) {
      if (!r.problem) continue;
      problems.set(r.change.key, r.problem);
      if (!held(scopeNamespace(r.change))) waiting.addObject(r.change);
    }
    // Inventory changes in namespaces left for later stay pending: their statuses are rebuilt when they are planned.
    const external = new NamespaceScope();
    external.addAll(this.pending);
    const stillPending = new NamespaceScope();
    for (const ns of later) if (external.namespaces.delete(ns)) stillPending.namespaces.add(ns);
    const waitedBefore = this.basis?.waiting;
    const { revision, declared, namespaces } = selection;
    this.basis = { revision, declared, index: this.basis?.index ?? new DesiredIndex(declared), waiting, fullAt: namespaces && this.basis ? this.basis.fullAt : clock.now() };
    this.pending = stillPending;
    this.replan = applied;
    this.postponed = later;
    if (!namespaces) {
      this.desired = new DesiredIndex(plan.objects);
      return { objects: plan.objects, count: this.desired.size, problems, settled };
    }
    // A status changes with its object, its namespace's inventory or a problem: rebuild those of
    // namespaces whose declared objects, inventory (since the last statuses) or problems changed,
    // where the plan changed or derived something, and where this apply changed the inventory.
    const removed = this.desired.replace(namespaces, plan.objects);
    const changed = new NamespaceScope();
    for (const part of [external, selection.declaredChanges, waiting, applied, ...(waitedBefore ? [waitedBefore] : [])]) changed.addAll(part);
    for (const c of plan.changes) changed.addObject(c);
    for (const o of plan.objects) if (o.owner) changed.addObject(o);
    const statusScope = changed.planned;
    const more = later.size ? { later } : {};
    if (!statusScope) return { objects: this.desired.all(), count: this.desired.size, problems, settled, ...more };
    return { objects: this.desired.select(statusScope), count: this.desired.size, removed, problems, settled, statusScope, ...more };
  }

  /** Every desired object of the last applied plan (no particular order). */
  everyDesired(): ManifestObject[] {
    return this.desired.all();
  }

  /** The desired object of `key` in the last applied plan, if any. */
  desiredObject(key: string): ManifestObject | undefined {
    return this.desired.find(key);
  }

  /** Forgets what the last applied plan left, so the next plan is a full one (a held revision, a failed pass). */
  forget(): void {
    this.basis = undefined;
    this.settled = undefined;
    this.postponed = new Set();
    this.holds.clear();
  }

  /**
   * Remembers a pass that applied nothing and saw the inventory unchanged, in memory and in the
   * store for a restart (`result` is what it returns again); any other pass clears the mark.
   */
  settle(head: string, applied: Applied | undefined, result: PassResult, lastApplied: string | undefined): void {
    const settled = applied?.settled ? { head, result, ...(lastApplied ? { lastApplied } : {}) } : undefined;
    this.settled = settled && { ...settled, version: this.deps.registry.version };
    this.deps.store.setSettled(settled && JSON.stringify(settled));
  }
}
