/**
 * Plans a revision's declared objects against the inventory, within what the plan scope selects,
 * and applies the admitted changes: the step shared by the head and the last good revision. A
 * bounded plan (the head's) that would prune past the prune bound is held: nothing of it is applied.
 */
import type { Logger } from 'pino';
import { applyPlan } from '../apply/executor.js';
import { displayName } from '../manifests/types.js';
import { plan, planCooperatively } from '../plan/planner.js';
import type { PruneHold } from '../plan/prune-bound.js';
import { timeSlices } from '../base/time-slices.js';
import type { PassContext, PassScope } from './pass.js';
import type { Applied } from './plan-scope.js';
import { holdOf } from './prune-guard.js';
import type { GoodRevision } from './revisions.js';
import { verifyPlan } from './verify-pass.js';
import { planDigest } from '../plan/digest.js';

export type ApplyOutcome = { readonly kind: 'held'; readonly hold: PruneHold } | { readonly kind: 'applied'; readonly applied: Applied };

export async function applyDesired(ctx: PassContext, pass: PassScope, { revision, objects: declared }: GoodRevision, log: Logger, bounded: boolean): Promise<ApplyOutcome> {
  const { registry, store, schemas, reconcilers, metrics, clock, pruneLimit, verifyPasses, secretHash } = ctx.deps;
  const ownership = store.ownership();
  const selection = ctx.scope.select(revision, declared, ctx.revisions.last);
  const { namespaces } = selection;
  metrics.planScopes.inc({ scope: ctx.scope.last!.scope });
  log.debug({ scope: ctx.scope.last }, 'planning');
  const input = { revision, reconcilers, desired: declared, inventory: registry, ownership, normalizeSpec: (a: string, k: string, s: unknown) => schemas.normalizeSpec(a, k, s), ...(secretHash ? { secretHash } : {}) };
  const planned = namespaces ? { ...input, desired: selection.desired, namespaces } : input;
  // Verification compares with a full plan of the same inventory, so nothing may run in between: its pauses do not yield.
  const pause = verifyPasses ? async () => {} : timeSlices();
  const thePlan = await metrics.time('plan', () => planCooperatively(planned, pause));
  if (namespaces && verifyPasses) verifyPlan(thePlan, plan(input), namespaces, new Set([...selection.deferred, ...selection.later]));
  pass.planned ??= { digest: planDigest(thePlan), summary: thePlan.summary };
  const hold = bounded ? holdOf(namespaces ? ctx.scope.withEveryObject(thePlan, namespaces) : thePlan, ownership, pruneLimit, store) : undefined;
  if (hold) {
    // The held revision's objects are in the index now: the plan of the revision that stays applied starts over.
    ctx.scope.forget();
    return { kind: 'held', hold };
  }
  const results = await metrics.time('apply', () =>
    applyPlan(thePlan, registry, store, {
      revision,
      clock,
      ownership,
      onStep: (r) => {
        const { kind, namespace, name } = r.change;
        const object = displayName(kind, namespace, name);
        // The object once as people read it and once field by field, for queries in a log store.
        const fields = { object, kind, ...(namespace ? { namespace } : {}), name, outcome: r.outcome };
        if (r.problem) log.warn({ ...fields, reason: r.problem.reason }, r.problem.message);
        else log.info({ ...fields, drift: r.change.drift ?? false }, `${object} ${r.outcome}`);
      },
    }),
  );
  for (const r of results) {
    if (!r.change.drift || r.problem) continue;
    const what = r.change.fields.map((f) => `${f.path}: ${JSON.stringify(f.from)} → ${JSON.stringify(f.to)}`).join(', ') || 'deleted out of band; recreated';
    pass.events.push(ctx.record.event('Normal', 'DriftCorrected', displayName(r.change.kind, r.change.namespace, r.change.name), what, revision));
  }
  return { kind: 'applied', applied: ctx.scope.applied(selection, thePlan, results) };
}
