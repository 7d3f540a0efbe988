/**
 * What a derivation read of the inventory, to know later whether it still holds: the entity types
 * it read and their versions then. The Kubernetes API derives its live objects this way after every
 * pass; a pass that changed only VMs leaves images, classes and the other kinds' observations as
 * they were, without observing them again.
 */
import type { EntityOf, EntityType } from '../inventory/model/entity.js';
import type { HostLoad } from '../capacity/usage.js';
import type { InventoryReader } from '../inventory/registry.js';

/** An inventory that versions its entities by type (InventoryRegistry). */
export interface VersionedInventory extends InventoryReader {
  /** Bumped by every change of any entity. */
  readonly version: number;
  typeVersion(type: EntityType): number;
  /** Ids of the entities of `type` changed since its version was `version`; undefined when not remembered. */
  changedSince(type: EntityType, version: number): readonly string[] | undefined;
}

/** The versions of what a derivation read (`*`: the whole inventory, for usage totals). */
export type ReadStamp = ReadonlyMap<EntityType | '*', number>;

class RecordingReader implements InventoryReader {
  readonly types = new Set<EntityType | '*'>();

  constructor(private readonly inventory: VersionedInventory) {}

  get<T extends EntityType>(type: T, id: string): EntityOf<T> | undefined {
    this.types.add(type);
    return this.inventory.get(type, id);
  }

  list<T extends EntityType>(type: T): readonly EntityOf<T>[] {
    this.types.add(type);
    return this.inventory.list(type);
  }

  find<T extends EntityType>(type: T, namespace: string, name: string): EntityOf<T> | undefined {
    this.types.add(type);
    return this.inventory.find(type, namespace, name);
  }

  inNamespace<T extends EntityType>(type: T, namespace: string): readonly EntityOf<T>[] {
    this.types.add(type);
    return this.inventory.inNamespace(type, namespace);
  }

  hostLoad(hostId: string): HostLoad {
    this.types.add('*');
    return this.inventory.hostLoad(hostId);
  }

  datastoreUsedBytes(datastoreId: string): number {
    this.types.add('*');
    return this.inventory.datastoreUsedBytes(datastoreId);
  }
}

const versionOf = (inventory: VersionedInventory, type: EntityType | '*') => (type === '*' ? inventory.version : inventory.typeVersion(type));

/** Runs `derive` over a reader that records what it reads; returns its value and the stamp of those reads. */
export function recordReads<T>(inventory: VersionedInventory, derive: (reader: InventoryReader) => T): { readonly value: T; readonly stamp: ReadStamp } {
  const reader = new RecordingReader(inventory);
  const value = derive(reader);
  return { value, stamp: new Map([...reader.types].map((type) => [type, versionOf(inventory, type)])) };
}

/** Whether nothing a derivation read has changed since its stamp. */
export function stillHolds(inventory: VersionedInventory, stamp: ReadStamp): boolean {
  for (const [type, version] of stamp) if (versionOf(inventory, type) !== version) return false;
  return true;
}
