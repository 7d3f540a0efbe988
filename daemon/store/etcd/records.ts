/**
 * The read side: the store's records as the ports return them, decoded from a replica's view
 * (`view.ts`). The view keeps each value as etcd holds it (JSON text); every read parses what it
 * returns, so no caller ever holds, or changes, the view's own state.
 */
import type { Entity } from '../../inventory/model/entity.js';
import type { PassRecord, Suspension } from '../ports.js';
import type { ObjectStatusRecord, OwnedObject, StoredEvent, SyncState } from '../types.js';
import { META, type StoreKeys } from './keys.js';
import type { WatchEvent } from './protocol.js';
import type { StoreView } from './view.js';

/** An entity a watch put (with its new value) or deleted (without). */
export interface WatchedEntity {
  readonly id: string;
  readonly entity?: Entity;
}

/** The inventory, or undefined when the store holds none yet. */
export function inventoryOf(view: StoreView): Entity[] | undefined {
  if (!view.entities.size) return undefined;
  return [...view.entities.values()].map((v) => JSON.parse(v) as Entity);
}

/** What pacific owns, by key. */
export function ownedObjectsOf(view: StoreView): OwnedObject[] {
  return [...view.owned.keys()].sort().map((k) => JSON.parse(view.owned.get(k)!) as OwnedObject);
}

export function syncStateOf(view: StoreView): SyncState | undefined {
  return view.sync === undefined ? undefined : (JSON.parse(view.sync) as SyncState);
}

/** Object statuses by key. */
export function objectStatusesOf(view: StoreView): ObjectStatusRecord[] {
  return [...view.statuses.keys()].sort().map((k) => JSON.parse(view.statuses.get(k)!) as ObjectStatusRecord);
}

/** The newest `limit` events, newest first. */
export function recentEventsOf(view: StoreView, limit: number): StoredEvent[] {
  return view.events.slice(-limit).reverse();
}

/** Up to `limit` events after `seq`, oldest first. */
export function eventsAfterOf(view: StoreView, seq: number, limit: number): StoredEvent[] {
  return view.events.filter((e) => e.seq! > seq).slice(0, limit);
}

// The suspend switch and the pass history are meta values: the history is small and bounded
// (PASS_RETENTION records), written once per pass.

export function suspensionOf(view: StoreView): Suspension | undefined {
  const value = view.meta.get(META.suspended);
  return value === undefined ? undefined : (JSON.parse(value) as Suspension);
}

/** The newest `limit` passes, newest first. */
export function passesOf(view: StoreView, limit: number): PassRecord[] {
  const value = view.meta.get(META.passes);
  return value === undefined ? [] : (JSON.parse(value) as PassRecord[]).slice(-limit).reverse();
}

/** The entities among watched changes, and whether any ownership record changed. */
export function watchedChanges(keys: StoreKeys, applied: readonly WatchEvent[]): { entities: WatchedEntity[]; owned: boolean } {
  const entities: WatchedEntity[] = [];
  let owned = false;
  for (const e of applied) {
    const parsed = keys.parse(e.key);
    owned ||= parsed?.family === 'owned';
    if (parsed?.family === 'entity') entities.push(e.type === 'put' ? { id: parsed.id, entity: JSON.parse(e.value) as Entity } : { id: parsed.id });
  }
  return { entities, owned };
}
