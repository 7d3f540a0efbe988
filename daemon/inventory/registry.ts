/**
 * The one mutable state of the simulator (govmomi's `Map`): entities by id, an index by type and
 * by Kubernetes object key. Mutations happen in a unit of work that records what it replaced, so
 * a failed persist rolls the memory back and the store stays the source of truth.
 */
import type { Entity, EntityOf, EntityType, RegistryMeta } from './model/entity.js';
import { UsageIndex, type HostLoad } from '../capacity/usage.js';

/** Read access to the inventory: what planners, status and the HTTP layer get. */
export interface InventoryReader {
  get<T extends EntityType>(type: T, id: string): EntityOf<T> | undefined;
  list<T extends EntityType>(type: T): readonly EntityOf<T>[];
  /** Namespaced entity of a type by namespace and name (VMs, quotas, namespace classes). */
  find<T extends EntityType>(type: T, namespace: string, name: string): EntityOf<T> | undefined;
  /** Entities of a type in a namespace. */
  inNamespace<T extends EntityType>(type: T, namespace: string): readonly EntityOf<T>[];
  /** A copy of the load committed on a host. */
  hostLoad(hostId: string): HostLoad;
  /** Bytes provisioned on a datastore. */
  datastoreUsedBytes(datastoreId: string): number;
}

/** One entity written or removed by a unit of work, as the store persists it. */
export type EntityChange = { readonly op: 'put'; readonly entity: Entity } | { readonly op: 'delete'; readonly type: EntityType; readonly id: string };

/** An entity put or removed since the touched set was last cleared: its type and what it was before. */
export interface TouchedEntity {
  readonly type: EntityType;
  /** The entity before the first change since the clear; absent when it was created. */
  readonly before?: Entity;
}

function namespaceOf(entity: Entity): string {
  return 'namespace' in entity && typeof entity.namespace === 'string' ? entity.namespace : '';
}

function nameKey(type: EntityType, namespace: string, name: string): string {
  return `${type}\u0000${namespace}\u0000${name}`;
}

function namespaceKey(type: EntityType, namespace: string): string {
  return `${type}\u0000${namespace}`;
}

const META_ID = 'meta';

export class InventoryRegistry implements InventoryReader {
  private readonly entities = new Map<string, Entity>();
  private readonly byType = new Map<EntityType, Map<string, Entity>>();
  private readonly byName = new Map<string, Entity>();
  /** Entities by namespace and type (`nameKey` without the name): a namespace of 100,000 pods does not slow finding its one quota. */
  private readonly byNamespace = new Map<string, Set<Entity>>();
  private readonly usage = new UsageIndex();
  private undo: Map<string, Entity | undefined> | undefined;
  private changeCount = 0;
  /** Since `savepoint`: each entity as it was before the first change (undefined: it did not exist). */
  private journal: Map<string, Entity | undefined> | undefined;
  private touchedIds = new Map<string, TouchedEntity>();
  /** Bumped per type by every put and remove: what was derived from the entities of unchanged types still holds. */
  private readonly typeVersions = new Map<EntityType, number>();
  /** Per type, the id each bump of its version touched (`ids[i]` made it `base + i + 1`), the newest kept. */
  private readonly typeChanges = new Map<EntityType, { base: number; ids: string[] }>();

  constructor(entities: Iterable<Entity> = []) {
    for (const e of entities) this.index(e);
  }

  get<T extends EntityType>(type: T, id: string): EntityOf<T> | undefined {
    const e = this.entities.get(id);
    return e && e.type === type ? (e as EntityOf<T>) : undefined;
  }

  list<T extends EntityType>(type: T): readonly EntityOf<T>[] {
    return [...(this.byType.get(type)?.values() ?? [])] as EntityOf<T>[];
  }

  find<T extends EntityType>(type: T, namespace: string, name: string): EntityOf<T> | undefined {
    return this.byName.get(nameKey(type, namespace, name)) as EntityOf<T> | undefined;
  }

  inNamespace<T extends EntityType>(type: T, namespace: string): readonly EntityOf<T>[] {
    return [...(this.byNamespace.get(namespaceKey(type, namespace)) ?? [])] as EntityOf<T>[];
  }

  hostLoad(hostId: string): HostLoad {
    return this.usage.hostLoad(hostId);
  }

  datastoreUsedBytes(datastoreId: string): number {
    return this.usage.datastoreUsedBytes(datastoreId);
  }

  /**
   * Bumped by every put and remove, committed or rolled back: an unchanged version means an
   * unchanged inventory (what lets a pass with nothing new skip planning).
   */
  get version(): number {
    return this.changeCount;
  }

  /** The version of one type's entities (see `version`). */
  typeVersion(type: EntityType): number {
    return this.typeVersions.get(type) ?? 0;
  }

  /**
   * Ids of the entities of `type` put or removed since its version was `version` (repeats possible),
   * or undefined when that is longer ago than the registry remembers.
   */
  changedSince(type: EntityType, version: number): readonly string[] | undefined {
    const log = this.typeChanges.get(type);
    const base = log?.base ?? 0;
    if (version < base) return undefined;
    return log ? log.ids.slice(version - base) : [];
  }

  /** Entities put or removed (committed or rolled back) since the last `clearTouched`, by id. */
  touched(): ReadonlyMap<string, TouchedEntity> {
    return this.touchedIds;
  }

  /** Returns the touched entities and starts a new, empty set. */
  takeTouched(): ReadonlyMap<string, TouchedEntity> {
    const touched = this.touchedIds;
    this.touchedIds = new Map();
    return touched;
  }

  /** The entity with this id, whatever its type. */
  entity(id: string): Entity | undefined {
    return this.entities.get(id);
  }

  /** Every entity, for persistence and snapshots. */
  all(): readonly Entity[] {
    return [...this.entities.values()];
  }

  /** Allocates the next vCenter-style id (`vm-` → `vm-1001`, `group-v` → `group-v1002`); deterministic given the same history. */
  allocateId(prefix: string): string {
    const meta = this.get('Meta', META_ID) ?? { type: 'Meta', id: META_ID, name: 'meta', nextId: 1000 };
    this.put({ ...meta, nextId: meta.nextId + 1 } satisfies RegistryMeta);
    return `${prefix}${meta.nextId}`;
  }

  /** Adds or replaces an entity. Only inside `transaction`. */
  put(entity: Entity): void {
    this.record(entity.id, entity.type);
    const old = this.entities.get(entity.id);
    if (old) this.unindex(old);
    this.index(entity);
  }

  /** Removes an entity. Only inside `transaction`. */
  remove(id: string): void {
    const old = this.entities.get(id);
    this.record(id, old?.type);
    if (old) this.unindex(old);
  }

  /**
   * Runs `fn` as one unit of work. Returns its result and the entity changes it made; if `fn`
   * throws, or `commit` (the persist step) throws, the registry is exactly as before.
   */
  transaction<T>(fn: () => T, commit: (changes: EntityChange[], result: T) => void = () => {}): { result: T; changes: EntityChange[] } {
    if (this.undo) throw new Error('inventory transactions do not nest');
    this.undo = new Map();
    try {
      const result = fn();
      const changes = this.pendingChanges();
      commit(changes, result);
      return { result, changes };
    } catch (err) {
      this.rollback();
      throw err;
    } finally {
      this.undo = undefined;
    }
  }

  /**
   * Starts remembering what the units of work that follow replace, so `rollbackToSavepoint` can
   * undo several at once (a batch of steps whose store commit failed). Ends with `releaseSavepoint`.
   */
  savepoint(): void {
    if (this.journal) throw new Error('inventory savepoints do not nest');
    this.journal = new Map();
  }

  /** Undoes every change since `savepoint` (the savepoint stays until released). */
  rollbackToSavepoint(): void {
    for (const [id, before] of this.journal ?? []) {
      const current = this.entities.get(id);
      if (current) this.unindex(current);
      if (before) this.index(before);
      this.changeCount++;
    }
    this.journal = new Map();
  }

  releaseSavepoint(): void {
    this.journal = undefined;
  }

  private pendingChanges(): EntityChange[] {
    const changes: EntityChange[] = [];
    for (const [id, before] of this.undo!) {
      const after = this.entities.get(id);
      if (after) {
        if (after !== before) changes.push({ op: 'put', entity: after });
      } else if (before) {
        changes.push({ op: 'delete', type: before.type, id });
      }
    }
    return changes;
  }

  private rollback(): void {
    for (const [id, before] of this.undo!) {
      const current = this.entities.get(id);
      if (current) this.unindex(current);
      if (before) this.index(before);
    }
  }

  private record(id: string, type: EntityType | undefined): void {
    if (!this.undo) throw new Error('inventory mutations must run inside registry.transaction()');
    const before = this.entities.get(id);
    if (!this.undo.has(id)) this.undo.set(id, before);
    if (this.journal && !this.journal.has(id)) this.journal.set(id, before);
    this.changeCount++;
    if (type && !this.touchedIds.has(id)) this.touchedIds.set(id, before ? { type, before } : { type });
  }

  /** Bumps the version of `e`'s type and remembers which entity moved it (the older half forgotten once the log outgrows the type). */
  private bump(e: Entity): void {
    this.typeVersions.set(e.type, (this.typeVersions.get(e.type) ?? 0) + 1);
    let log = this.typeChanges.get(e.type);
    if (!log) this.typeChanges.set(e.type, (log = { base: 0, ids: [] }));
    log.ids.push(e.id);
    if (log.ids.length > Math.max(4096, 2 * (this.byType.get(e.type)?.size ?? 0))) {
      const dropped = log.ids.length >> 1;
      log.ids = log.ids.slice(dropped);
      log.base += dropped;
    }
  }

  private index(e: Entity): void {
    this.bump(e);
    this.entities.set(e.id, e);
    let ofType = this.byType.get(e.type);
    if (!ofType) this.byType.set(e.type, (ofType = new Map()));
    ofType.set(e.id, e);
    this.byName.set(nameKey(e.type, namespaceOf(e), e.name), e);
    const ns = namespaceOf(e);
    if (ns) {
      const key = namespaceKey(e.type, ns);
      let members = this.byNamespace.get(key);
      if (!members) this.byNamespace.set(key, (members = new Set()));
      members.add(e);
    }
    this.usage.add(e);
  }

  private unindex(e: Entity): void {
    this.bump(e);
    this.entities.delete(e.id);
    this.byType.get(e.type)?.delete(e.id);
    const key = nameKey(e.type, namespaceOf(e), e.name);
    if (this.byName.get(key) === e) this.byName.delete(key);
    this.byNamespace.get(namespaceKey(e.type, namespaceOf(e)))?.delete(e);
    this.usage.remove(e);
  }
}
