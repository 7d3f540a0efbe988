/**
 * The phases of a pass, in order. The head decides the verdict: the source is unavailable, the
 * revision invalid, held by the prune bound, or applied. Whatever it is, the last good revision
 * stays applied when the head is not, the pass's state, statuses and events are saved together,
 * and the result says what the loop does next.
 */
import { timestamp } from '../base/clock.js';
import { timeSlices } from '../base/time-slices.js';
import { displayName, formatDiagnostic } from '../manifests/types.js';
import { pruneHoldMessage } from '../plan/prune-bound.js';
import type { SyncState } from '../store/types.js';
import { applyDesired } from './apply-desired.js';
import { fetchCondition, kstatusConditions, readyCondition } from './conditions.js';
import { SHORT, type Phase, type PassScope } from './pass.js';
import type { PassResult } from './pass-result.js';
import { notReadyReason, REQUEUE_WAITING_MS, retriable } from './readiness-reasons.js';
import type { PassRecorder } from './recorder.js';

/** Whether the source has a head commit; the source's events; a force-push noted. */
const checkSource: Phase = {
  name: 'source',
  async run({ record }, pass) {
    const { head, previous, sourceReady, source } = pass;
    const changed = previous.conditions.find((c) => c.type === 'SourceReady')?.reason !== sourceReady.reason;
    const fetchFailed = fetchCondition(head);
    const failedBefore = previous.conditions.find((c) => c.type === 'FetchFailed');
    if (fetchFailed && fetchFailed.message !== failedBefore?.message) {
      pass.events.push(record.event('Warning', 'FetchFailed', source.location, fetchFailed.message));
      pass.log.warn({ reason: fetchFailed.reason, cause: head.fetchFailed!.cause }, fetchFailed.message);
    } else if (!fetchFailed && failedBefore) {
      pass.events.push(record.event('Normal', 'FetchSucceeded', source.location, `fetched ${source.location} again`));
    }
    if (head.state !== 'commit') {
      if (changed) pass.events.push(record.event('Warning', sourceReady.reason, source.location, sourceReady.message));
      pass.log.warn({ reason: sourceReady.reason }, sourceReady.message);
      pass.verdict = { kind: 'unavailable', ready: readyCondition('False', sourceReady.reason, sourceReady.message) };
      return 'done';
    }
    if (changed && previous.conditions.length) pass.events.push(record.event('Normal', 'SourceAvailable', source.location, sourceReady.message));
    const before = previous.lastAttemptedRevision;
    if (before && before !== head.commit && !(await source.isAncestor(before, head.commit))) {
      const message = `${pass.branch} moved from ${SHORT(before)} to ${SHORT(head.commit)}, which does not contain it (force-push or rewritten history)`;
      pass.events.push(record.event('Warning', 'ForcePush', source.location, message));
      pass.log.warn({ from: before }, message);
    }
    return 'done';
  },
};

/**
 * `--verify`: every commit from the last applied revision to the head, for the paths it touches. A
 * commit breaking a rule refuses the revision (SourceVerified=False naming the commit, path and why);
 * the last good revision stays applied.
 */
const verifyRevision: Phase = {
  name: 'verify',
  async run({ deps, record }, pass) {
    const { revision, previous } = pass;
    if (pass.verdict || !revision || !deps.verifier) return 'skipped';
    if (revision === previous.lastAppliedRevision) {
      pass.verified = previous.conditions.find((c) => c.type === 'SourceVerified');
      return 'skipped';
    }
    const result = await deps.verifier.verify(previous.lastAppliedRevision, revision);
    if (result.ok) {
      pass.verified = { type: 'SourceVerified', status: 'True', reason: 'Succeeded', message: `${result.commits} commit(s) up to ${SHORT(revision)} verified` };
      return 'done';
    }
    const message = `commit ${SHORT(result.commit)} changes ${result.path}, which ${result.why}; revision ${SHORT(revision)} is refused and ${previous.lastAppliedRevision ? SHORT(previous.lastAppliedRevision) : '(none)'} stays applied`;
    pass.verified = { type: 'SourceVerified', status: 'False', reason: 'VerificationError', message };
    if (previous.lastAttemptedRevision !== revision) {
      pass.events.push(record.event('Warning', 'VerificationError', pass.source.location, message, revision));
      pass.log.warn({ commit: result.commit, path: result.path }, message);
    }
    pass.verdict = { kind: 'unverified', ready: readyCondition('False', 'VerificationError', message), revision };
    return 'done';
  },
};

/** Loads and validates the head; any error diagnostic makes the revision invalid, as a whole. */
const loadRevision: Phase = {
  name: 'load',
  async run({ revisions, record }, pass) {
    const { revision, previous } = pass;
    if (pass.verdict || !revision) return 'skipped';
    const loaded = await revisions.load(revision);
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    if (!errors.length) {
      pass.loaded = loaded;
      return 'done';
    }
    const message = `revision ${SHORT(revision)} has ${errors.length} invalid manifest problem(s); last applied revision ${previous.lastAppliedRevision ? SHORT(previous.lastAppliedRevision) : '(none)'} stays applied. First: ${formatDiagnostic(errors[0]!)}`;
    if (previous.lastAttemptedRevision !== revision) {
      pass.events.push(record.event('Warning', 'ValidationFailed', pass.source.location, message));
      for (const d of errors) pass.log.warn({ file: d.file, line: d.line, object: d.object, path: d.path }, d.message);
    }
    pass.verdict = { kind: 'invalid', ready: readyCondition('False', 'ValidationFailed', message), loaded };
    return 'done';
  },
};

/** Plans and applies the valid head, unless the prune bound holds it; Ready says what is not ready. */
const applyRevision: Phase = {
  name: 'apply',
  async run(ctx, pass) {
    const { loaded, previous, source } = pass;
    if (pass.verdict || !loaded) return 'skipped';
    const { record, deps } = ctx;
    const outcome = await applyDesired(ctx, pass, loaded, pass.log, true);
    if (outcome.kind === 'held') {
      const { hold } = outcome;
      const message = pruneHoldMessage(hold, previous.lastAppliedRevision);
      if (previous.lastAttemptedRevision !== hold.revision || previous.conditions.find((c) => c.type === 'Ready')?.reason !== 'PruneHeld') {
        pass.events.push(record.event('Warning', 'PruneHeld', source.location, message, hold.revision));
        deps.log.warn({ revision: SHORT(hold.revision), deletes: hold.deletes, managed: hold.managed, limit: hold.limit }, message);
      }
      pass.verdict = { kind: 'held', ready: readyCondition('False', 'PruneHeld', message), loaded, hold };
      return 'done';
    }
    const applied = (pass.applied = outcome.applied);
    const { revision } = loaded;
    ctx.revisions.applied({ revision, objects: loaded.objects });
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
      : readyCondition('True', 'ReconciliationSucceeded', `applied revision ${pass.branch}@sha1:${revision} (${applied.count} objects)`);
    if (previous.lastAppliedRevision !== revision) pass.events.push(record.event('Normal', 'RevisionApplied', source.location, ready.message, revision));
    pass.verdict = { kind: 'applied', ready, loaded, applied };
    return 'done';
  },
};

/** A head not applied (unavailable, invalid, held) leaves the last good revision applied, and drift is corrected against it. */
const keepLastGood: Phase = {
  name: 'last-good',
  async run(ctx, pass) {
    if (pass.decided().kind === 'applied') return 'skipped';
    const good = await ctx.revisions.lastGood(pass.previous.lastAppliedRevision);
    if (!good) return 'skipped';
    // Unbounded: what stays applied is never held.
    const outcome = await applyDesired(ctx, pass, good, ctx.deps.log, false);
    if (outcome.kind === 'applied') pass.applied = outcome.applied;
    return 'done';
  },
};

/** The reconciler's state after the verdict, its conditions keeping their transition times. */
function nextState(pass: PassScope, record: PassRecorder, notReady: number): SyncState {
  const { previous, sourceReady } = pass;
  const verdict = pass.decided();
  const fetchFailed = fetchCondition(pass.head);
  const conditions = record.conditions(previous, [verdict.ready, ...kstatusConditions(verdict.kind, verdict.ready, notReady), sourceReady, ...(fetchFailed ? [fetchFailed] : []), ...(pass.verified ? [pass.verified] : [])]);
  switch (verdict.kind) {
    case 'unavailable':
      return { ...previous, conditions };
    case 'unverified':
      return { ...previous, headRevision: verdict.revision, lastAttemptedRevision: verdict.revision, conditions };
    case 'invalid': {
      const { revision, diagnostics } = verdict.loaded;
      return { ...previous, headRevision: revision, lastAttemptedRevision: revision, diagnostics, conditions };
    }
    case 'held': {
      const { revision, diagnostics } = verdict.loaded;
      return { ...previous, headRevision: revision, lastAttemptedRevision: revision, diagnostics, pruneHold: verdict.hold, conditions };
    }
    case 'applied': {
      const { revision, diagnostics } = verdict.loaded;
      return { headRevision: revision, lastAppliedRevision: revision, lastAttemptedRevision: revision, diagnostics, conditions };
    }
  }
}

/** Saves the state, the statuses that changed and the pass's events, in one write; a new problem is an event. */
const recordPass: Phase = {
  name: 'record',
  async run({ deps, book, scope, record }, pass) {
    // Statuses are built in slices (verification compares with a full rebuild of the same inventory: no yields then); saving them is one write.
    const pause = deps.verifyPasses ? async () => {} : timeSlices();
    const state = await deps.metrics.time('persist', async () => {
      const update = pass.applied && (await book.rebuild(pass.applied, deps.registry, timestamp(deps.clock), () => scope.everyDesired(), pause));
      // Built after the statuses: Reconciling says how many objects are not Ready yet.
      const next = nextState(pass, record, book.notReadyCount());
      for (const s of update?.news ?? []) pass.events.push(record.event('Warning', s.conditions[0]!.reason, displayName(s.kind, s.namespace, s.name), s.conditions[0]!.message, next.lastAttemptedRevision));
      deps.store.saveReconcileResult(next, update?.changes, pass.events);
      return next;
    });
    deps.metrics.setConditions(state.conditions);
    deps.metrics.pruneHeld.set(state.pruneHold ? 1 : 0);
    return 'done';
  },
};

/** The pass's result; a pass that applied nothing and saw nothing change is remembered as settled. */
const finish: Phase = {
  name: 'result',
  async run({ deps, scope, toReady, book }, pass) {
    const { previous, trigger } = pass;
    const verdict = pass.decided();
    switch (verdict.kind) {
      case 'unavailable':
        pass.result = { result: 'source_unavailable' };
        break;
      case 'held':
        pass.result = { result: 'held', revision: verdict.hold.revision };
        break;
      case 'unverified':
        pass.result = { result: 'invalid', revision: verdict.revision };
        scope.settle(verdict.revision, pass.applied, pass.result, previous.lastAppliedRevision);
        break;
      case 'invalid': {
        const { revision } = verdict.loaded;
        pass.result = { result: 'invalid', revision };
        scope.settle(revision, pass.applied, pass.result, previous.lastAppliedRevision);
        break;
      }
      case 'applied': {
        const { loaded: { revision }, applied } = verdict;
        const before = previous.lastAppliedRevision;
        const { problems } = applied;
        deps.metrics.setLastApplied(revision);
        const now = deps.clock.now();
        deps.metrics.lastSuccess.set(now / 1000);
        const toReadySeconds = toReady.applied(revision, { first: before !== revision, pushedAtMs: trigger.refWrittenAtMs, allReady: book.notReadyCount() === 0, nowMs: now });
        if (toReadySeconds !== undefined) deps.metrics.commitToReady.observe(toReadySeconds);
        if (before !== revision) {
          deps.metrics.markApplied(now);
          if (trigger.refWrittenAtMs) deps.metrics.pushToApplied.observe(Math.max(0, now - trigger.refWrittenAtMs) / 1000);
          if (trigger.webhookAtMs) deps.metrics.webhookToApplied.observe(Math.max(0, now - trigger.webhookAtMs) / 1000);
        }
        pass.log.info({ objects: applied.objects.length, notReady: problems.size, trigger: trigger.reason }, before === revision ? 'revision in sync' : 'revision applied');
        // Work left to the next pass (a push went first) runs at once; a wait is retried after a delay.
        const requeueAfterMs = applied.later ? 0 : retriable(problems.values()) ? REQUEUE_WAITING_MS : undefined;
        const result: PassResult = { result: before === revision && !problems.size ? 'unchanged' : 'applied', revision, ...(requeueAfterMs !== undefined ? { requeueAfterMs } : {}) };
        // What a pass with nothing new returns again: the revision is no longer news.
        scope.settle(revision, applied, { ...result, result: problems.size ? 'applied' : 'unchanged' }, revision);
        pass.result = result;
      }
    }
    return 'done';
  },
};

/** A pass, phase by phase. */
export const PASS_PHASES: readonly Phase[] = [checkSource, verifyRevision, loadRevision, applyRevision, keepLastGood, recordPass, finish];
