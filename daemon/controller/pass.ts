/**
 * A pass as a list of named phases over one scope, after cluster-api's `doReconcile(ctx, phases,
 * scope)`: the controller reads the head and builds the scope; each phase reads what the ones
 * before it decided and adds its part; the last one gives the pass's result. A phase that throws
 * ends the pass (the phases after it consume what it would have produced); its error is kept
 * with the phase's name, beside any error from recording the failure.
 */
import type { CommitToReady } from './commit-to-ready.js';
import type { SecretHash } from '../plan/secret-values.js';
import type { Logger } from 'pino';
import type { Clock } from '../base/clock.js';
import type { InventoryRegistry } from '../inventory/registry.js';
import type { SchemaRegistry } from '../manifests/schema-registry.js';
import type { Metrics } from '../base/metrics.js';
import type { PruneHold, PruneLimit } from '../plan/prune-bound.js';
import type { Condition } from '../plan/contract.js';
import type { ReconcilerSet } from '../plan/reconciler-set.js';
import type { HeadState, ManifestSource } from '../source/types.js';
import type { EventLog, MetaReader, OwnershipReader, PassHistory, SettledMark, StepJournal, SuspendSwitch, SyncRecord } from '../store/ports.js';
import type { PlanSummary } from '../plan/types.js';
import type { StoredEvent, SyncState } from '../store/types.js';
import type { LoadedRevision, RevisionLoader } from './load-revision.js';
import type { Verification } from '../source/verify/commit-verifier.js';
import type { PassResult, Trigger } from './pass-result.js';
import type { Applied, PlanScope } from './plan-scope.js';
import type { PassRecorder } from './recorder.js';
import type { Revisions } from './revisions.js';
import type { StatusBook } from './status-book.js';

/** The store ports a controller uses. */
export type ControllerStore = StepJournal & EventLog & OwnershipReader & SyncRecord & SettledMark & MetaReader & SuspendSwitch & PassHistory;

export interface ControllerDeps {
  readonly source: ManifestSource;
  readonly branch: string;
  readonly store: ControllerStore;
  readonly registry: InventoryRegistry;
  readonly schemas: SchemaRegistry;
  /** The kinds pacific reconciles, in their apply order: what the planner consults. */
  readonly reconcilers: ReconcilerSet;
  readonly loader: RevisionLoader;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly clock: Clock;
  /** The prune bound (`--max-prune`); absent, nothing is held. */
  readonly pruneLimit?: PruneLimit;
  /** How often a resync plans everything instead of what changed (default `FULL_PASS_EVERY_MS`). */
  readonly fullPassEveryMs?: number;
  /** `--verify`: checks the commits from the last applied revision to the head; absent, nothing is checked. */
  readonly verifier?: { verify(from: string | undefined, to: string): Promise<Verification> };
  /** Check every incremental plan and status against a full one, and throw if they differ (tests). */
  readonly verifyPasses?: boolean;
  /** What stands for a Secret's values in plans (the store's salted hash); absent, this run's. */
  readonly secretHash?: SecretHash;
}

/** What outlives a pass: the controller's collaborators and the books its phases keep. */
export interface PassContext {
  readonly deps: ControllerDeps;
  readonly scope: PlanScope;
  readonly book: StatusBook;
  readonly revisions: Revisions;
  readonly record: PassRecorder;
  readonly toReady: CommitToReady;
}

/** What a pass decided about the head, with the Ready condition that says so. */
export type Verdict =
  | { readonly kind: 'unavailable'; readonly ready: Condition }
  | { readonly kind: 'unverified'; readonly ready: Condition; readonly revision: string }
  | { readonly kind: 'invalid'; readonly ready: Condition; readonly loaded: LoadedRevision }
  | { readonly kind: 'held'; readonly ready: Condition; readonly loaded: LoadedRevision; readonly hold: PruneHold }
  | { readonly kind: 'applied'; readonly ready: Condition; readonly loaded: LoadedRevision; readonly applied: Applied };

/** Twelve hex digits of a commit, as logs and messages show it. */
export const SHORT = (revision: string) => revision.slice(0, 12);

/** The scope of one pass: what the controller read before the phases, and what they fill in. */
export class PassScope {
  readonly events: StoredEvent[] = [];
  /** The head's commit, when it is one. */
  readonly revision: string | undefined;
  /** Logs with the revision bound, when there is one. */
  readonly log: Logger;
  /** The head, loaded and valid (an invalid one is the verdict's). */
  loaded: LoadedRevision | undefined;
  verdict: Verdict | undefined;
  /** What was applied: the head, or (when it is not applied) the last good revision. */
  applied: Applied | undefined;
  result: PassResult | undefined;
  /** The first plan the pass made (the head's, else the last good revision's): its digest and counts, for the history. */
  planned: { readonly digest: string; readonly summary: PlanSummary } | undefined;
  /** `SourceVerified`, when the daemon verifies commits and the head was checked. */
  verified: Condition | undefined;

  constructor(
    readonly trigger: Trigger,
    readonly source: ManifestSource,
    readonly branch: string,
    readonly head: HeadState,
    /** The state the last pass saved (a prune hold is decided again by every pass, so it is left out). */
    readonly previous: SyncState,
    readonly sourceReady: Condition,
    log: Logger,
  ) {
    this.revision = head.state === 'commit' ? head.commit : undefined;
    this.log = this.revision ? log.child({ revision: SHORT(this.revision) }) : log;
  }

  /** The verdict, for the phases that come after the one that gives it. */
  decided(): Verdict {
    if (!this.verdict) throw new Error('no phase decided about the head before this one');
    return this.verdict;
  }
}

/** What a phase did: its part, or nothing because what came before made it moot. */
export type PhaseResult = 'done' | 'skipped';

export interface Phase {
  readonly name: string;
  run(ctx: PassContext, pass: PassScope): Promise<PhaseResult>;
}

/** A phase that threw, what it threw, and what the phases before it did (the failure log shows how far the pass got). */
export interface PhaseError {
  readonly phase: string;
  readonly error: unknown;
  readonly ran?: readonly { readonly phase: string; readonly result: PhaseResult }[];
}

/** Runs the phases in order; the first that throws ends the pass and is returned. */
export async function runPhases(phases: readonly Phase[], ctx: PassContext, pass: PassScope): Promise<PhaseError | undefined> {
  const ran: { phase: string; result: PhaseResult }[] = [];
  for (const phase of phases) {
    try {
      ran.push({ phase: phase.name, result: await phase.run(ctx, pass) });
    } catch (error) {
      return { phase: phase.name, error, ran };
    }
  }
  return undefined;
}
