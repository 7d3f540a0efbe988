/**
 * The inputs of the served objects (a status, a live object, a node, a bound class, an event),
 * each with what it made and the key that object is served under, and the delta a collect builds
 * as inputs are looked at: an object is made again only when one of its inputs changed (compared
 * by identity: entities and statuses are immutable values).
 */
import type { Collected } from './collected.js';
import type { ApiObject } from './objects.js';

/** One input of the served objects and what it made. */
interface Entry {
  readonly deps: readonly unknown[];
  readonly object: ApiObject | undefined;
  round: number;
}

const sameDeps = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((d, i) => d === b[i]);

export class SourceEntries {
  private readonly entries = new Map<string, Entry>();
  /** The entry that serves each key: an object may move between inputs (a bound class later declared). */
  private readonly owners = new Map<string, string>();
  /** The round of the collect under way: an entry looked at in it carries it. */
  round = 0;
  private changed = new Map<string, ApiObject>();
  private removed = new Set<string>();

  /** Starts a collect: a new round and an empty delta. */
  begin(): void {
    this.round++;
    this.changed = new Map();
    this.removed = new Set();
  }

  /** The delta of the collect under way. */
  end(): Collected {
    return { changed: this.changed, removed: this.removed };
  }

  /** Whether the entry `id` holds exactly `deps` (then it is marked as looked at this round). */
  holds(id: string, d0: unknown, d1: unknown, d2: unknown): boolean {
    const cached = this.entries.get(id);
    if (!cached || cached.deps.length !== 3 || cached.deps[0] !== d0 || cached.deps[1] !== d1 || cached.deps[2] !== d2) return false;
    cached.round = this.round;
    return true;
  }

  /** The entry `id` from `deps`: kept when they are the same inputs, else made again by `build`. */
  put(id: string, deps: readonly unknown[], build: () => ApiObject | undefined): void {
    const cached = this.entries.get(id);
    if (cached && sameDeps(cached.deps, deps)) {
      cached.round = this.round;
      return;
    }
    const object = build();
    this.entries.set(id, { deps, object, round: this.round });
    if (cached?.object && this.owners.get(cached.object.key) === id && cached.object.key !== object?.key) this.release(cached.object.key);
    if (object) {
      this.owners.set(object.key, id);
      this.changed.set(object.key, object);
      this.removed.delete(object.key);
    }
  }

  /** Forgets the entry `id`; the key it served is no longer served (unless another entry serves it now). */
  drop(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    if (entry.object && this.owners.get(entry.object.key) === id) this.release(entry.object.key);
  }

  /** Forgets every entry not looked at this round (a collect that looked at every input). */
  sweep(): void {
    for (const [id, entry] of this.entries) if (entry.round !== this.round) this.drop(id);
  }

  /** Whether an entry looked at this round serves `key` (a status's or live object's entry is under its key). */
  servesNow(key: string): boolean {
    const own = this.entries.get(key);
    if (own && own.round === this.round && own.object?.key === key) return true;
    const id = this.owners.get(key);
    const entry = id === undefined ? undefined : this.entries.get(id);
    return entry !== undefined && entry.round === this.round && entry.object !== undefined;
  }

  /** Whether the entry under `key` (a status's or a live object's) serves an object. */
  servesOwn(key: string): boolean {
    return this.entries.get(key)?.object?.key === key;
  }

  private release(key: string): void {
    this.owners.delete(key);
    this.removed.add(key);
  }
}
