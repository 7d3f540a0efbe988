/**
 * What a replica knows of the store: every record under the prefix at one etcd revision, by family.
 * The leader keeps it current with its own writes; a follower with a watch from the revision it
 * loaded. Reads are answered from it, so they cost no round trip and never block on etcd.
 *
 * A write too large for one transaction (see `staged.ts`) is staged, committed by one small
 * key and then rolled forward: while that commit key exists, the staged operations are what the
 * store holds, and watched changes are held back until the roll-forward ends, so no reader sees
 * half of it.
 */
import type { StoredEvent } from '../types.js';
import type { StoreKeys } from './keys.js';
import type { KeyValue, WatchEvent, WriteOp } from './protocol.js';
import type { StagedCommit } from './staged.js';

export class StoreView {
  readonly entities = new Map<string, string>();
  readonly owned = new Map<string, string>();
  readonly statuses = new Map<string, string>();
  readonly meta = new Map<string, string>();
  readonly kube = new Map<string, string>();
  /** Ascending by seq. */
  events: StoredEvent[] = [];
  sync: string | undefined;
  /** The etcd revision this view is at. */
  revision = 0;
  /** The leader key's value and create revision, as last seen. */
  leader: { readonly identity: string; readonly createRevision: number } | undefined;
  private held: WatchEvent[] | undefined;
  /** Counts changes to object statuses, so a follower re-sorts them only when they changed. */
  statusVersion = 0;

  constructor(readonly keys: StoreKeys) {}

  /** Loads a range read of the whole prefix, rolling a committed staged write forward in memory. */
  static load(keys: StoreKeys, read: { revision: number; kvs: readonly KeyValue[] }): StoreView {
    const view = new StoreView(keys);
    const control = new Map<string, string>();
    for (const kv of read.kvs) {
      if (keys.parse(kv.key)?.family === 'control') control.set(kv.key, kv.value);
      else view.set(kv.key, kv.value);
      if (kv.key === keys.leader) view.leader = { identity: kv.value, createRevision: kv.createRevision };
    }
    const commit = control.get(keys.commit);
    if (commit !== undefined) {
      const { write, chunks } = JSON.parse(commit) as StagedCommit;
      for (let i = 0; i < chunks; i++) view.apply(JSON.parse(control.get(keys.staged(write, i)) ?? '[]') as WriteOp[]);
      // The roll-forward's own writes are held until its commit key goes.
      view.held = [];
    }
    view.revision = read.revision;
    return view;
  }

  /** Applies written operations (the leader's own, once etcd acknowledged them). */
  apply(ops: readonly WriteOp[]): void {
    for (const op of ops) {
      if ('put' in op) this.set(op.put, op.value);
      else if ('delete' in op) this.set(op.delete, undefined);
      else this.deleteRange(op.deleteRange, op.to);
    }
  }

  /** Applies watched changes (those inside a staged write's roll-forward wait for its end); returns the ones applied. */
  follow(revision: number, events: readonly WatchEvent[]): WatchEvent[] {
    const applied: WatchEvent[] = [];
    const set = (e: WatchEvent) => {
      this.set(e.key, e.type === 'put' ? e.value : undefined);
      applied.push(e);
    };
    for (const e of events) {
      if (e.key === this.keys.leader) this.leader = e.type === 'put' ? { identity: e.value, createRevision: e.modRevision } : undefined;
      if (e.key === this.keys.commit) {
        if (e.type === 'put') this.held ??= [];
        else {
          const held = this.held ?? [];
          this.held = undefined;
          for (const h of held) set(h);
        }
        continue;
      }
      if (this.held) this.held.push(e);
      else set(e);
    }
    this.revision = Math.max(this.revision, revision);
    return applied;
  }

  private set(key: string, value: string | undefined): void {
    const parsed = this.keys.parse(key);
    if (!parsed) return;
    const { family, id } = parsed;
    if (family === 'sync') this.sync = value;
    else if (family === 'event') this.setEvent(Number(id), value);
    else if (family !== 'control') {
      if (family === 'status') this.statusVersion++;
      const map = this[family === 'entity' ? 'entities' : family === 'status' ? 'statuses' : family];
      if (value === undefined) map.delete(id);
      else map.set(id, value);
    }
  }

  private setEvent(seq: number, value: string | undefined): void {
    if (value === undefined) {
      this.events = this.events[0]?.seq === seq ? this.events.slice(1) : this.events.filter((e) => e.seq !== seq);
      return;
    }
    const event = { ...(JSON.parse(value) as StoredEvent), seq };
    const last = this.events.at(-1);
    if (!last || last.seq! < seq) this.events.push(event);
    else this.events = [...this.events.filter((e) => e.seq !== seq), event].sort((a, b) => a.seq! - b.seq!);
  }

  private deleteRange(from: string, to: string): void {
    const parsed = this.keys.parse(from);
    if (parsed?.family !== 'event') throw new Error(`the store deletes ranges of events only, not ${from}`);
    const below = Number(this.keys.parse(to)!.id);
    this.events = this.events.filter((e) => e.seq! >= below || e.seq! < Number(parsed.id));
  }

  /** The newest event's seq, 0 when there is none. */
  lastSeq(): number {
    return this.events.at(-1)?.seq ?? 0;
  }
}
