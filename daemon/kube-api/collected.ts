/**
 * What changed in what the Kubernetes API serves, as the sources hand it to the catalog: objects
 * new or different and keys no longer served, merged when a delta must wait for the next one.
 */
import type { ObservedObject } from '../plan/contract.js';
import type { ApiObject } from './objects.js';

/** What a collect found changed since the one before: objects new or different, and keys no longer served. */
export interface Collected {
  readonly changed: Map<string, ApiObject>;
  readonly removed: Set<string>;
}

/** `earlier` then `later`, as one delta. */
export function mergeCollected(earlier: Collected, later: Collected): Collected {
  const changed = new Map(earlier.changed);
  const removed = new Set(earlier.removed);
  for (const key of later.removed) {
    changed.delete(key);
    removed.add(key);
  }
  for (const [key, object] of later.changed) {
    changed.set(key, object);
    removed.delete(key);
  }
  return { changed, removed };
}

/**
 * Brings `live` from one reconciler's `before` keys to its `after` list (one instance per unchanged
 * object), adding to `touched` each key whose object is new, another instance, or gone.
 */
export function patchLive(live: Map<string, ObservedObject>, before: ReadonlySet<string>, after: readonly ObservedObject[], touched: Set<string>): void {
  let added = 0;
  for (const o of after) {
    const held = live.get(o.key);
    if (held === o) continue;
    if (held === undefined) added++;
    live.set(o.key, o);
    touched.add(o.key);
  }
  // Same count and nothing new: nothing went away. Otherwise find what did.
  if (before.size === after.length && added === 0) return;
  const kept = new Set(after.map((o) => o.key));
  for (const key of before) {
    if (kept.has(key)) continue;
    live.delete(key);
    touched.add(key);
  }
}
