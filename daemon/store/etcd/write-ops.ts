/**
 * What each write port puts and deletes, as etcd operations on the keys of `keys.ts`. Functions of
 * their inputs and the replica's view; the fenced writer (`fenced-writer.ts`) lands them.
 */
import { chained } from '../pass-chain.js';
import type { Entity } from '../../inventory/model/entity.js';
import type { EntityChange } from '../../inventory/registry.js';
import { EVENT_RETENTION, PASS_RETENTION, type OwnershipChange, type PassRecord, type StatusChanges } from '../ports.js';
import type { StoredEvent, SyncState } from '../types.js';
import { META, type StoreKeys } from './keys.js';
import type { WriteOp } from './protocol.js';
import { passesOf } from './records.js';
import type { StoreView } from './view.js';

/** The operations of one write by key: the last one for a key wins (a batch that puts then deletes a record deletes it). */
export type WriteOps = Map<string, WriteOp>;

function put(ops: WriteOps, key: string, value: string): void {
  ops.set(key, { put: key, value });
}

function remove(ops: WriteOps, key: string): void {
  ops.set(key, { delete: key });
}

/** A step's entity and ownership changes; the step also removes the settled mark. */
export function stepOps(ops: WriteOps, keys: StoreKeys, view: StoreView, changes: readonly EntityChange[], ownership: readonly OwnershipChange[]): void {
  if (view.meta.has(META.settled)) remove(ops, keys.meta(META.settled));
  for (const c of changes) {
    if (c.op === 'put') put(ops, keys.entity(c.entity.id), JSON.stringify(c.entity));
    else remove(ops, keys.entity(c.id));
  }
  for (const o of ownership) {
    if (o.op === 'put') put(ops, keys.owned(o.record.key), JSON.stringify(o.record));
    else remove(ops, keys.owned(o.key));
  }
}

export function inventoryOps(ops: WriteOps, keys: StoreKeys, entities: readonly Entity[]): void {
  for (const e of entities) put(ops, keys.entity(e.id), JSON.stringify(e));
}

export function reconcileResultOps(ops: WriteOps, keys: StoreKeys, state: SyncState, statuses: StatusChanges): void {
  put(ops, keys.sync, JSON.stringify(state));
  for (const s of statuses.put) put(ops, keys.status(s.key), JSON.stringify(s));
  for (const key of statuses.delete) remove(ops, keys.status(key));
}

export function metaOps(ops: WriteOps, keys: StoreKeys, key: string, value: string): void {
  put(ops, keys.meta(key), value);
}

export function metaRemovalOps(ops: WriteOps, keys: StoreKeys, key: string): void {
  remove(ops, keys.meta(key));
}

/** The pass history with `pass` appended (numbered after the newest), trimmed to `PASS_RETENTION` records. */
export function passHistoryWith(view: StoreView, pass: PassRecord): string {
  const kept = passesOf(view, PASS_RETENTION - 1).reverse();
  const seq = (kept.at(-1)?.seq ?? 0) + 1;
  return JSON.stringify([...kept, { ...chained(kept.at(-1), pass), seq }]);
}

/** Puts of `events` numbered after the view's newest, and the deletion of those past `EVENT_RETENTION`. */
export function eventOps(keys: StoreKeys, view: StoreView, events: readonly StoredEvent[]): WriteOp[] {
  if (!events.length) return [];
  const ops: WriteOp[] = [];
  const first = view.lastSeq() + 1;
  const newest = first + events.length - 1;
  const keep = newest - EVENT_RETENTION + 1;
  events.forEach((e, i) => {
    if (first + i >= keep) ops.push({ put: keys.event(first + i), value: JSON.stringify({ ...e, seq: undefined }) });
  });
  if ((view.events[0]?.seq ?? keep) < keep) ops.push({ deleteRange: keys.event(0), to: keys.event(keep) });
  return ops;
}
