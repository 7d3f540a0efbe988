/**
 * The prune bound in the daemon: decides a plan's hold with the confirmation the store keeps, and
 * records a confirmation. A confirmation names one revision, so it never lets a later commit through,
 * and it is in the store, so a crash or restart between the confirmation and the apply keeps it.
 */
import { pruneHold, type PruneHold, type PruneLimit } from '../plan/prune-bound.js';
import type { Ownership } from '../plan/planner.js';
import type { Plan } from '../plan/types.js';
import type { MetaReader, MetaStore } from '../store/ports.js';
import type { SyncState } from '../store/types.js';

const CONFIRMED = 'prune_confirmed_revision';

/** The hold of a plan under the limit, given what the store says was confirmed. */
export function holdOf(plan: Plan, ownership: ReadonlyMap<string, Ownership>, limit: PruneLimit | undefined, store: MetaReader): PruneHold | undefined {
  return limit ? pruneHold(plan, ownership, limit, store.meta(CONFIRMED)) : undefined;
}

export type ConfirmResult = { readonly ok: true; readonly revision: string } | { readonly ok: false; readonly status: 400 | 409; readonly message: string };

/** Confirms the held revision; refuses any other (a stale or mistyped id confirms nothing). */
export function confirmPrune(store: MetaStore, state: SyncState, revision: unknown): ConfirmResult {
  if (typeof revision !== 'string' || !/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(revision)) return { ok: false, status: 400, message: 'send {"revision": "<the full commit id of the held revision>"}' };
  const held = state.pruneHold?.revision;
  if (held !== revision) return { ok: false, status: 409, message: held ? `revision ${revision} is not held; the held revision is ${held}` : `revision ${revision} is not held; no revision is held` };
  store.setMeta(CONFIRMED, revision);
  return { ok: true, revision };
}
