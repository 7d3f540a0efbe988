/**
 * Every live object the reconcilers observe, by key, kept up to date cheaply: a reconciler is
 * observed again only when a type of entity it read changed, and one whose live objects are one
 * per entity of one type (`observesEach`) observes only the entities the inventory says changed.
 * Each key whose object is new, another instance or gone is added to `touched`.
 */
import type { EntityType } from '../inventory/model/entity.js';
import { reconcilers } from '../reconcilers/index.js';
import type { KindReconciler, ObservedObject } from '../plan/contract.js';
import { patchLive } from './collected.js';
import { recordReads, stillHolds, type ReadStamp, type VersionedInventory } from './inventory-reads.js';

interface Observation {
  /** The keys this reconciler's observation holds. */
  readonly keys: Set<string>;
  readonly stamp: ReadStamp;
  /** Entity id → key, for a reconciler observed entity by entity. */
  readonly byEntity?: Map<string, string>;
}

export class LiveObjects {
  readonly live = new Map<string, ObservedObject>();
  private readonly observations: Observation[] = [];

  constructor(private readonly inventory: VersionedInventory) {}

  /** Brings `live` up to the inventory now; adds the keys that changed to `touched`. */
  update(touched: Set<string>): ReadonlyMap<string, ObservedObject> {
    reconcilers.all.forEach((r, i) => {
      const last = this.observations[i];
      if (last && stillHolds(this.inventory, last.stamp)) return;
      if (last && r.observesEach && this.observeChanged(r.observesEach, last, touched)) return;
      this.observations[i] = this.observeAll(r, last, touched);
    });
    return this.live;
  }

  private observeAll(r: KindReconciler, last: Observation | undefined, touched: Set<string>): Observation {
    const made = recordReads(this.inventory, (reader) => [...r.observe(reader)]);
    patchLive(this.live, last?.keys ?? new Set(), made.value, touched);
    const keys = new Set(made.value.map((o) => o.key));
    const byEntity = r.observesEach ? new Map(made.value.map((o) => [o.entity.id, o.key])) : undefined;
    return { keys, stamp: made.stamp, ...(byEntity ? { byEntity } : {}) };
  }

  /** Observes only the entities of the one type read that changed; false when the inventory cannot say which. */
  private observeChanged(each: NonNullable<KindReconciler['observesEach']>, last: Observation, touched: Set<string>): boolean {
    const since = last.stamp.get(each.type);
    if (!last.byEntity || last.stamp.size !== 1 || since === undefined) return false;
    const ids = this.inventory.changedSince(each.type, since);
    if (!ids) return false;
    for (const id of new Set(ids)) {
      const entity = this.inventory.get(each.type as EntityType, id);
      const o = entity && each.observe(entity);
      const before = last.byEntity.get(id);
      if (before !== undefined && before !== o?.key) {
        this.live.delete(before);
        last.keys.delete(before);
        last.byEntity.delete(id);
        touched.add(before);
      }
      if (!o || this.live.get(o.key) === o) continue;
      this.live.set(o.key, o);
      last.keys.add(o.key);
      last.byEntity.set(id, o.key);
      touched.add(o.key);
    }
    (last.stamp as Map<EntityType | '*', number>).set(each.type, this.inventory.typeVersion(each.type));
    return true;
  }
}
