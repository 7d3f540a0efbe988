/**
 * The status book: every desired object's status after the last pass, the ready and not-ready
 * counts by kind kept in step with it (the objects metric), and the sorted list `/status` serves.
 * A pass rebuilds the statuses of what it applied (all, or those of the namespaces that may have
 * changed) and the book returns only what changed, for the store.
 */
import type { InventoryReader } from '../inventory/registry.js';
import type { ManifestObject } from '../manifests/types.js';
import type { Metrics } from '../base/metrics.js';
import type { StatusChanges } from '../store/ports.js';
import type { ObjectStatusRecord } from '../store/types.js';
import { buildObjectStatuses, buildObjectStatusesCooperatively, mergeStatuses, readinessByKind } from './object-status.js';
import type { Applied } from './plan-scope.js';
import { verifyStatuses } from './verify-pass.js';

/** What a rebuild changed: the records to write, and the statuses whose problem is news. */
export interface StatusUpdate {
  readonly changes: StatusChanges;
  /** Statuses whose object has a problem whose reason or message differs from the last pass's. */
  readonly news: readonly ObjectStatusRecord[];
}

/** Where a reader of the book's changes is: `statusChangesSince` answers from there. */
export interface StatusCursor {
  readonly book: object;
  readonly at: number;
}

/** How many changed keys the book remembers at least (a reader further behind reads every status again). */
const CHANGES_KEPT = 10_000;

export class StatusBook {
  private statuses: Map<string, ObjectStatusRecord>;
  /** Keys put or deleted by rebuilds, oldest first; `changesBase` is the position of the first one kept. */
  private changed: string[] = [];
  private changesBase = 0;
  /** Ready and not-ready objects by kind, kept in step with `statuses`. */
  private readiness: Map<string, { ready: number; notReady: number }>;
  private sorted: readonly ObjectStatusRecord[] | undefined;

  constructor(
    saved: readonly ObjectStatusRecord[],
    private readonly metrics: Metrics,
    /** Check every partial rebuild against a full one, and throw if they differ (tests). */
    private readonly verify = false,
  ) {
    this.statuses = new Map(saved.map((s) => [s.key, s]));
    this.readiness = readinessByKind(this.statuses.values());
    if (this.statuses.size) metrics.setObjects(this.readiness);
  }

  /**
   * Rebuilds the statuses of what a pass applied from the inventory as the apply left it, stamped
   * `time` where a condition changed. `everyDesired` gives all desired objects (for verification).
   * Building and comparing the statuses call `pause` between objects; the book changes after, at once.
   */
  async rebuild(applied: Applied, inventory: InventoryReader, time: string, everyDesired: () => readonly ManifestObject[], pause: () => Promise<void> = async () => {}): Promise<StatusUpdate> {
    const next = await buildObjectStatusesCooperatively(applied.objects, inventory, applied.problems, this.statuses, time, applied.statusScope, pause);
    const differing: ObjectStatusRecord[] = [];
    for (const s of next) {
      if (JSON.stringify(s) !== JSON.stringify(this.statuses.get(s.key))) differing.push(s);
      await pause();
    }
    // A refusal or a fault is news once; a pod starting or a load balancer pending is not.
    const news = next.filter((s) => {
      if (!applied.problems.has(s.key)) return false;
      const before = this.statuses.get(s.key)?.conditions[0];
      const after = s.conditions[0]!;
      return before?.reason !== after.reason || before?.message !== after.message;
    });
    const before = this.statuses;
    let changes: StatusChanges;
    if (applied.statusScope) {
      if (this.verify) this.statuses = new Map(before);
      changes = mergeStatuses(this.statuses, next, applied.removed ?? [], this.readiness, differing);
      if (this.verify) verifyStatuses(this.statuses, buildObjectStatuses(everyDesired(), inventory, applied.problems, before, time), this.readiness, applied.later);
    } else {
      const keys = new Set(next.map((s) => s.key));
      changes = { put: differing, delete: [...this.statuses.keys()].filter((k) => !keys.has(k)) };
      this.statuses = new Map(next.map((s) => [s.key, s]));
      this.readiness = readinessByKind(next);
    }
    if (changes.put.length || changes.delete.length) {
      this.remember(changes);
      this.sorted = undefined;
      this.metrics.setObjects(this.readiness);
    }
    return { changes, news };
  }

  /** How many objects are not Ready (of every kind). */
  notReadyCount(): number {
    let n = 0;
    for (const c of this.readiness.values()) n += c.notReady;
    return n;
  }

  /** One status, by key. */
  get(key: string): ObjectStatusRecord | undefined {
    return this.statuses.get(key);
  }

  /**
   * Keys whose status was put or deleted since `cursor` (a reader's last look), and where the
   * reader is now; `all` when the book cannot say (no cursor, another book, or changes forgotten).
   */
  changesSince(cursor: StatusCursor | undefined): { readonly keys: readonly string[] | 'all'; readonly cursor: StatusCursor } {
    const now = { book: this, at: this.changesBase + this.changed.length };
    if (!cursor || cursor.book !== this || cursor.at < this.changesBase) return { keys: 'all', cursor: now };
    return { keys: this.changed.slice(cursor.at - this.changesBase), cursor: now };
  }

  private remember(changes: StatusChanges): void {
    for (const s of changes.put) this.changed.push(s.key);
    for (const key of changes.delete) this.changed.push(key);
    // Forget the older half once the log outgrows the statuses: a reader that far behind reads all.
    const limit = Math.max(CHANGES_KEPT, 2 * this.statuses.size);
    if (this.changed.length > limit) {
      const dropped = this.changed.length >> 1;
      this.changed = this.changed.slice(dropped);
      this.changesBase += dropped;
    }
  }

  /** Every status in key order: the same array until a rebuild changes one (`/status` caches by identity). */
  list(): readonly ObjectStatusRecord[] {
    return (this.sorted ??= [...this.statuses.values()].sort((a, b) => (a.key < b.key ? -1 : 1)));
  }
}
