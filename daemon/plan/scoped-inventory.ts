/**
 * The inventory as an incremental pass enumerates it: listing a namespaced entity type yields only
 * the entities of the namespaces in scope; cluster-scoped types, and every lookup by id or name,
 * see the whole inventory. Observing and seeding through it costs what the scope holds, not what
 * the inventory holds.
 */
import type { EntityOf, EntityType } from '../inventory/model/entity.js';
import type { InventoryReader } from '../inventory/registry.js';
import type { HostLoad } from '../capacity/usage.js';

/**
 * Entity types whose every entity lives in a namespace (their `namespace` field is required).
 * A type missing here is listed whole, which is always correct, only slower.
 */
export const NAMESPACED_ENTITY_TYPES: ReadonlySet<EntityType> = new Set<EntityType>(['ResourceQuota', 'VirtualMachine', 'Pod', 'KubeObject', 'Disk', 'Snapshot', 'Service']);

/** A reader that lists namespaced entities of `namespaces` only. */
export function scopedInventory(inventory: InventoryReader, namespaces: ReadonlySet<string>): InventoryReader {
  const sorted = [...namespaces].sort();
  return {
    get: <T extends EntityType>(type: T, id: string) => inventory.get(type, id),
    find: <T extends EntityType>(type: T, namespace: string, name: string) => inventory.find(type, namespace, name),
    list<T extends EntityType>(type: T): readonly EntityOf<T>[] {
      if (!NAMESPACED_ENTITY_TYPES.has(type)) return inventory.list(type);
      return sorted.flatMap((ns) => inventory.inNamespace(type, ns));
    },
    inNamespace: <T extends EntityType>(type: T, namespace: string) => (namespaces.has(namespace) ? inventory.inNamespace(type, namespace) : []),
    hostLoad: (hostId: string): HostLoad => inventory.hostLoad(hostId),
    datastoreUsedBytes: (datastoreId: string) => inventory.datastoreUsedBytes(datastoreId),
  };
}

/** What identifies an object for scoping: group, kind, namespace and name. */
export interface ObjectIdentity {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/**
 * The namespace whose changes an object follows: its own, or its name for a Namespace; undefined
 * for any other cluster-scoped object (a change to one is not scoped: the whole plan is redone).
 */
export function scopeNamespace(object: ObjectIdentity): string | undefined {
  if (object.namespace) return object.namespace;
  return object.group === '' && object.kind === 'Namespace' ? object.name : undefined;
}
