/**
 * The embedded store: SQLite through better-sqlite3, WAL mode. The inventory, what pacific owns,
 * object status, the reconciler's state and events live here; every applied step is one
 * transaction, so a kill -9 at any moment leaves either the whole step or none of it.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { Entity } from '../inventory/model.js';
import type { EntityChange } from '../inventory/registry.js';
import type { FileManifests } from '../manifests/load.js';
import type { Ownership } from '../plan/planner.js';
import { openDatabase } from './open-database.js';
import { writeFailure } from './store-failure.js';
import type { ObjectStatusRecord, OwnedObject, StoredEvent, SyncState } from './types.js';

/** How many events the store keeps (older ones are dropped as new ones arrive). */
export const EVENT_RETENTION = 2000;

/** An ownership change that commits with a step's inventory changes. */
export type OwnershipChange = { readonly op: 'put'; readonly record: OwnedObject } | { readonly op: 'delete'; readonly key: string };

/** Object statuses to write and to remove. */
export interface StatusChanges {
  readonly put: readonly ObjectStatusRecord[];
  readonly delete: readonly string[];
}

/** Raised when the state dir or its database cannot be used; never silently replaced. */
export { StoreError } from './store-failure.js';

/**
 * The meta key of the reconciler's "settled" mark (what the last pass left with nothing to do).
 * Any step committed after it removes it in the same transaction, so a restart that finds it may
 * trust the inventory to be as that pass left it.
 */
const SETTLED = 'settled';

export class Store {
  private readonly db: Database.Database;
  private readonly stmts;
  // This process is the only writer (the state dir lock), so what it owns is kept in memory too.
  private owned: Map<string, Ownership> | undefined;
  private settledMarked: boolean | undefined;
  /** Inside `batch`: entity writes (the last per id wins), what to do in memory once it commits, whether events need trimming. */
  private batched: { entities: Map<string, EntityChange>; afterCommit: (() => void)[]; trim: boolean; unmarked: boolean } | undefined;

  private constructor(
    readonly path: string,
    mode: 'readwrite' | 'readonly',
  ) {
    this.db = openDatabase(path, mode);
    this.stmts = {
      putEntity: this.db.prepare('INSERT INTO entity (id, type, data) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET type = excluded.type, data = excluded.data'),
      deleteEntity: this.db.prepare('DELETE FROM entity WHERE id = ?'),
      putOwned: this.db.prepare(
        `INSERT INTO owned_object (key, api_version, kind, namespace, name, origin, revision, source_file, source_line)
         VALUES (@key, @apiVersion, @kind, @namespace, @name, @origin, @revision, @sourceFile, @sourceLine)
         ON CONFLICT(key) DO UPDATE SET api_version = excluded.api_version, revision = excluded.revision,
           source_file = excluded.source_file, source_line = excluded.source_line`,
      ),
      deleteOwned: this.db.prepare('DELETE FROM owned_object WHERE key = ?'),
      addEvent: this.db.prepare('INSERT INTO event (time, type, reason, object, message, revision) VALUES (@time, @type, @reason, @object, @message, @revision)'),
      trimEvents: this.db.prepare('DELETE FROM event WHERE seq <= (SELECT MAX(seq) FROM event) - ?'),
      putMeta: this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      deleteMeta: this.db.prepare('DELETE FROM meta WHERE key = ?'),
      // Read once per file of a loaded revision: prepared once, not per call.
      parsedFile: this.db.prepare('SELECT data FROM parsed_file WHERE path = ? AND blob = ?').pluck(),
    };
  }

  /** Opens (creating when absent) the store of a state dir. */
  static open(stateDir: string): Store {
    mkdirSync(stateDir, { recursive: true });
    return new Store(join(stateDir, 'pacific.db'), 'readwrite');
  }

  /** Opens an existing store for reading only (`pacific diff --state`), alongside a running daemon. */
  static openReadOnly(stateDir: string): Store {
    return new Store(join(stateDir, 'pacific.db'), 'readonly');
  }

  close(): void {
    this.db.close();
  }

  /** A write transaction; a failed write is a StoreError naming the file and the OS cause (the transaction rolled back). */
  private transaction(fn: () => void): () => void {
    const run = this.db.transaction(fn);
    return () => {
      try {
        run();
      } catch (err) {
        throw writeFailure(this.path, err);
      }
    };
  }

  /**
   * Runs `fn` as one transaction: the steps it commits (each still all or nothing) are durable
   * together, or, when a write or the commit fails, none of them is, and the error is thrown.
   * One commit per batch instead of one per step is what makes a large apply fast.
   */
  batch<T>(fn: () => T): T {
    if (this.batched) return fn();
    const batched = (this.batched = { entities: new Map<string, EntityChange>(), afterCommit: [] as (() => void)[], trim: false, unmarked: false });
    let result!: T;
    try {
      this.transaction(() => {
        result = fn();
        // Written once per batch: a registry counter or an IP pool changed by every step is one row write, not hundreds.
        this.writeEntityRows(batched.entities.values());
        if (batched.trim) this.stmts.trimEvents.run(EVENT_RETENTION);
      })();
    } finally {
      this.batched = undefined;
    }
    for (const after of batched.afterCommit) after();
    return result;
  }

  // --- inventory ------------------------------------------------------------------------------

  /** The persisted inventory, or undefined for a new state dir. */
  loadInventory(): Entity[] | undefined {
    const rows = this.db.prepare('SELECT data FROM entity').pluck().all() as string[];
    return rows.length ? rows.map((r) => JSON.parse(r) as Entity) : undefined;
  }

  /** Writes a whole inventory (a new state dir's topology). */
  saveInventory(entities: readonly Entity[]): void {
    this.transaction(() => {
      for (const e of entities) this.stmts.putEntity.run(e.id, e.type, JSON.stringify(e));
    })();
  }

  /**
   * One applied step, atomically: the inventory changes, the ownership change and the events.
   * Throws when the write fails; the caller rolls its in-memory registry back.
   */
  commitStep(changes: readonly EntityChange[], ownership: readonly OwnershipChange[], events: readonly StoredEvent[]): void {
    // Inside a batch the batch's transaction is the step's: a failure anywhere undoes the batch.
    const step = this.batched ? (fn: () => void) => fn : (fn: () => void) => this.transaction(fn);
    step(() => {
      if (this.settledMarked !== false && !this.batched?.unmarked) {
        this.stmts.deleteMeta.run(SETTLED);
        if (this.batched) this.batched.unmarked = true;
      }
      this.writeEntities(changes);
      for (const o of ownership) {
        if (o.op === 'delete') this.stmts.deleteOwned.run(o.key);
        else {
          const r = o.record;
          this.stmts.putOwned.run({ ...r, sourceFile: r.source?.file ?? null, sourceLine: r.source?.line ?? null });
        }
      }
      this.writeEvents(events);
    })();
    const committed = () => {
      this.settledMarked = false;
      for (const o of this.owned ? ownership : []) {
        if (o.op === 'delete') this.owned!.delete(o.key);
        else this.owned!.set(o.record.key, o.record.origin);
      }
    };
    if (this.batched) this.batched.afterCommit.push(committed);
    else committed();
  }

  private writeEntities(changes: readonly EntityChange[]): void {
    if (this.batched) for (const c of changes) this.batched.entities.set(c.op === 'put' ? c.entity.id : c.id, c);
    else this.writeEntityRows(changes);
  }

  private writeEntityRows(changes: Iterable<EntityChange>): void {
    for (const c of changes) {
      if (c.op === 'put') this.stmts.putEntity.run(c.entity.id, c.entity.type, JSON.stringify(c.entity));
      else this.stmts.deleteEntity.run(c.id);
    }
  }

  private writeEvents(events: readonly StoredEvent[]): void {
    for (const e of events) this.stmts.addEvent.run({ ...e, revision: e.revision ?? null });
    if (!events.length) return;
    if (this.batched) this.batched.trim = true;
    else this.stmts.trimEvents.run(EVENT_RETENTION);
  }

  // --- ownership ------------------------------------------------------------------------------

  ownedObjects(): OwnedObject[] {
    const rows = this.db.prepare('SELECT * FROM owned_object ORDER BY key').all() as Record<string, string | number | null>[];
    return rows.map((r) => ({
      key: r['key'] as string,
      apiVersion: r['api_version'] as string,
      kind: r['kind'] as string,
      namespace: r['namespace'] as string,
      name: r['name'] as string,
      origin: r['origin'] as Ownership,
      revision: r['revision'] as string,
      ...(r['source_file'] ? { source: { file: r['source_file'] as string, line: Number(r['source_line']), column: 1 } } : {}),
    }));
  }

  /** What pacific manages, by key: read once, then kept in step with every committed step. */
  ownership(): ReadonlyMap<string, Ownership> {
    this.owned ??= new Map(this.ownedObjects().map((o) => [o.key, o.origin]));
    return this.owned;
  }

  /** The reconciler's settled mark (its own format), if no step was committed since it was written. */
  settled(): string | undefined {
    const value = this.meta(SETTLED);
    this.settledMarked = value !== undefined;
    return value;
  }

  /** Records (or, with undefined, removes) the reconciler's settled mark. */
  setSettled(mark: string | undefined): void {
    if (mark !== undefined) this.setMeta(SETTLED, mark);
    else if (this.settledMarked !== false) this.stmts.deleteMeta.run(SETTLED);
    this.settledMarked = mark !== undefined;
  }

  // --- reconciler state, status, events -------------------------------------------------------

  syncState(): SyncState | undefined {
    const row = this.db.prepare('SELECT data FROM sync_state WHERE id = 1').pluck().get() as string | undefined;
    return row ? (JSON.parse(row) as SyncState) : undefined;
  }

  /** Saves the reconciler state, changed object statuses and new events in one transaction. */
  saveReconcileResult(state: SyncState, statuses: StatusChanges = { put: [], delete: [] }, events: readonly StoredEvent[] = []): void {
    this.transaction(() => {
      this.db.prepare('INSERT INTO sync_state (id, data) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data').run(JSON.stringify(state));
      const put = this.db.prepare('INSERT INTO object_status (key, data) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET data = excluded.data');
      for (const s of statuses.put) put.run(s.key, JSON.stringify(s));
      const remove = this.db.prepare('DELETE FROM object_status WHERE key = ?');
      for (const key of statuses.delete) remove.run(key);
      this.writeEvents(events);
    })();
  }

  /** Forgets parsed manifests (after the schemas changed, their verdicts may differ). */
  clearParsedFiles(): void {
    this.db.prepare('DELETE FROM parsed_file').run();
  }

  objectStatuses(): ObjectStatusRecord[] {
    return (this.db.prepare('SELECT data FROM object_status ORDER BY key').pluck().all() as string[]).map((r) => JSON.parse(r) as ObjectStatusRecord);
  }

  addEvents(events: readonly StoredEvent[]): void {
    this.transaction(() => this.writeEvents(events))();
  }

  /** Recent events, newest first. */
  recentEvents(limit = 100): StoredEvent[] {
    return this.db.prepare('SELECT * FROM event ORDER BY seq DESC LIMIT ?').all(limit) as StoredEvent[];
  }

  // --- parsed manifests -----------------------------------------------------------------------

  parsedFile(path: string, blob: string): FileManifests | undefined {
    const row = this.stmts.parsedFile.get(path, blob) as string | undefined;
    return row ? (JSON.parse(row) as FileManifests) : undefined;
  }

  saveParsedFiles(files: readonly { path: string; blob: string; manifests: FileManifests }[]): void {
    if (!files.length) return;
    this.transaction(() => {
      const put = this.db.prepare('INSERT OR REPLACE INTO parsed_file (path, blob, data) VALUES (?, ?, ?)');
      for (const f of files) put.run(f.path, f.blob, JSON.stringify(f.manifests));
    })();
  }

  meta(key: string): string | undefined {
    return this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
  }

  setMeta(key: string, value: string): void {
    try {
      this.stmts.putMeta.run(key, value);
    } catch (err) {
      throw writeFailure(this.path, err);
    }
  }
}
