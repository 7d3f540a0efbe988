/**
 * What an incremental pass must plan again. A pass plans only the namespaces where something may
 * differ from what the last applied plan left: files whose blob changed (the objects they declare
 * now and declared before), inventory entities changed since (by the daemon's own steps, tasks or
 * out-of-band operations), and objects still waiting (refused or failed). Anything that cannot be
 * pinned to a namespace (a host, a datastore, a cluster-scoped object) makes the pass a full one.
 */
import type { Entity, EntityType } from '../inventory/model/entity.js';
import type { InventoryRegistry, TouchedEntity } from '../inventory/registry.js';
import { scopeNamespace, type ObjectIdentity } from '../plan/scoped-inventory.js';
import type { DesiredIndex } from './desired-index.js';

/** Entity types no plan or status reads back: the registry's id counter and IP pools' next free address. */
const BOOKKEEPING: ReadonlySet<EntityType> = new Set<EntityType>(['Meta', 'Network']);

/** Namespaces to plan again, or why everything must be. */
export class NamespaceScope {
  readonly namespaces = new Set<string>();
  /** Set when the pass must be a full one, saying why. */
  full: string | undefined;

  /** Everything, for `reason`. */
  markFull(reason: string): void {
    this.full ??= reason;
  }

  /** The namespace an object follows; a cluster-scoped object other than a Namespace makes the scope full. */
  addObject(object: ObjectIdentity): void {
    const ns = scopeNamespace(object);
    if (ns === undefined) this.markFull(`${object.kind}/${object.name} is cluster-scoped`);
    else this.namespaces.add(ns);
  }

  addAll(other: NamespaceScope): void {
    if (other.full) this.markFull(other.full);
    for (const ns of other.namespaces) this.namespaces.add(ns);
  }

  /** The namespaces to plan, or undefined for a full pass. */
  get planned(): ReadonlySet<string> | undefined {
    return this.full ? undefined : this.namespaces;
  }
}

function entityNamespace(entity: Entity): string | undefined {
  if ('namespace' in entity && typeof entity.namespace === 'string' && entity.namespace) return entity.namespace;
  if (entity.type === 'Namespace') return entity.name;
  return undefined;
}

/**
 * Adds the namespaces of changed entities to `scope`. A task follows the entity it acts on; a
 * task whose target is gone adds nothing (the target's removal was a change of its own).
 */
export function addInventoryChanges(scope: NamespaceScope, touched: ReadonlyMap<string, TouchedEntity>, registry: InventoryRegistry): void {
  for (const [id, { type, before }] of touched) {
    if (BOOKKEEPING.has(type)) continue;
    for (const entity of [before, registry.get(type, id)]) {
      if (!entity) continue;
      if (entity.type === 'Task') {
        const target = registry.entity(entity.target);
        const ns = target && entityNamespace(target);
        if (target && ns === undefined) scope.markFull(`a task on ${target.type} ${target.name} changed`);
        if (ns !== undefined) scope.namespaces.add(ns);
        continue;
      }
      const ns = entityNamespace(entity);
      if (ns === undefined) scope.markFull(`${entity.type} ${entity.name} changed in the inventory`);
      else scope.namespaces.add(ns);
    }
  }
}

/**
 * Adds the namespaces of declared objects that changed, appeared or went away between two
 * indexes. The loader hands out the very same object for a file whose blob did not change, so an
 * object that is not identical to the one before is taken as changed (a superset, never a miss).
 */
export function addDeclaredChanges(scope: NamespaceScope, before: DesiredIndex, after: DesiredIndex): void {
  for (const o of after.all()) if (before.get(o) !== o) scope.addObject(o);
  for (const o of before.all()) if (after.get(o) !== o) scope.addObject(o);
}
