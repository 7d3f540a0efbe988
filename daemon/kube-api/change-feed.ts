/**
 * The change feed behind watch: resourceVersions issued in order, and the recent changes a watch
 * may resume from. One small interface, so the etcd mode can hand out etcd's revisions instead.
 */
import type { ServedObject } from './objects.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change; `object.meta.resourceVersion` is the version it was made at. */
export interface Change {
  readonly type: WatchEventType;
  readonly object: ServedObject;
}

/** A subscriber: the changes, and when the apply that caused them happened (ms since the epoch), if one did. */
export type ChangeListener = (changes: readonly Change[], causedAtMs?: number) => void;

export interface ChangeFeed {
  /** The newest resourceVersion issued (what a list answers). */
  revision(): number;
  /** Issues the next resourceVersion. */
  next(): number;
  /** Changes after `resourceVersion`, oldest first; `expired` when the feed no longer holds them all (410). */
  since(resourceVersion: number): readonly Change[] | 'expired';
  /** Hands published changes to `listener` until the returned function is called. */
  subscribe(listener: ChangeListener): () => void;
  /**
   * Records changes (their versions issued by `next`, in order) and tells the subscribers;
   * `causedAtMs` is when the apply that caused them happened (a watch times its delivery from it).
   */
  publish(changes: readonly Change[], causedAtMs?: number): void;
  /** Forgets the changes held: a watch from before the newest version gets 410 and relists. */
  compact(): void;
}

/**
 * In memory: a window of the last `capacity` changes. The daemon compacts it once its first view
 * of the objects is made after a start: a watch from an older version (before the restart, or
 * before what changed while it was down) gets 410 and relists, as from a Kubernetes API server
 * whose watch cache starts at etcd's current revision.
 */
export function memoryChangeFeed(startRevision: number, capacity = 200_000): ChangeFeed {
  let revision = startRevision;
  // The window holds every change after `floor`.
  let floor = startRevision;
  let window: Change[] = [];
  const listeners = new Set<ChangeListener>();
  return {
    revision: () => revision,
    next: () => ++revision,
    since(rv) {
      if (rv < floor) return 'expired';
      // Versions in the window are increasing: binary search for the first newer one.
      let lo = 0;
      let hi = window.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (window[mid]!.object.meta.resourceVersion <= rv) lo = mid + 1;
        else hi = mid;
      }
      return window.slice(lo);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publish(changes, causedAtMs) {
      if (!changes.length) return;
      window.push(...changes);
      if (window.length > capacity) {
        const dropped = window.length - capacity;
        floor = window[dropped - 1]!.object.meta.resourceVersion;
        window = window.slice(dropped);
      }
      for (const l of listeners) l(changes, causedAtMs);
    },
    compact() {
      floor = revision;
      window = [];
    },
  };
}
