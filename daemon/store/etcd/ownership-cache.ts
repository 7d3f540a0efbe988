/**
 * The ownership map the store hands out (`ownership()`): built from the view on first use, then
 * kept in place, so a holder of the map sees every committed step, as with the SQLite store.
 */
import type { Ownership } from '../../plan/planner.js';
import type { OwnershipChange } from '../ports.js';
import type { OwnedObject } from '../types.js';
import type { StoreView } from './view.js';

export class OwnershipCache {
  private map: Map<string, Ownership> | undefined;

  /** The map, built from `view` if nobody asked for it before. */
  get(view: StoreView): ReadonlyMap<string, Ownership> {
    if (!this.map) {
      this.map = new Map();
      this.refresh(view);
    }
    return this.map;
  }

  /** Refills the map from `view` (after a reload, or a watch that changed ownership). */
  refresh(view: StoreView): void {
    if (!this.map) return;
    this.map.clear();
    for (const [key, value] of view.owned) this.map.set(key, (JSON.parse(value) as OwnedObject).origin);
  }

  /** Applies the ownership changes of a write that landed. */
  apply(changes: readonly OwnershipChange[]): void {
    if (!this.map) return;
    for (const o of changes) {
      if (o.op === 'delete') this.map.delete(o.key);
      else this.map.set(o.record.key, o.record.origin);
    }
  }
}
