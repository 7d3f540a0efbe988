/**
 * The embedded store: SQLite through better-sqlite3, WAL mode, one database file per state dir.
 * It implements every port of `ports.ts`: each step is one transaction (a batch of steps is one),
 * so a kill -9 at any moment leaves whole steps or none of them.
 */
import { chained } from './pass-chain.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { Entity } from '../inventory/model/entity.js';
import type { EntityChange } from '../inventory/registry.js';
import type { FileManifests } from '../manifests/load.js';
import type { Ownership } from '../plan/planner.js';
import { openDatabase } from './open-database.js';
import { EVENT_RETENTION, PASS_RETENTION, type DaemonStore, type PassRecord, type Suspension, type OwnershipChange, type StateReader, type StatusChanges } from './ports.js';
import { ownedObject, ownedRow, prepareStatements } from './sqlite-statements.js';
import { readFailure, writeFailure } from './store-failure.js';
import type { ObjectStatusRecord, OwnedObject, StoredEvent, SyncState } from './types.js';

/** The meta key of the settled mark. */
const SETTLED = 'settled';
/** The meta key of the suspend switch. */
const SUSPENDED = 'suspended';

export class SqliteStore implements DaemonStore {
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
    this.stmts = prepareStatements(this.db);
  }

  /** Opens (creating when absent) the store of a state dir. */
  static open(stateDir: string): SqliteStore {
    mkdirSync(stateDir, { recursive: true });
    return new SqliteStore(join(stateDir, 'pacific.db'), 'readwrite');
  }

  /** Opens an existing store for reading only (`pacific diff --state`), alongside a running daemon. */
  static openReadOnly(stateDir: string): StateReader {
    return new SqliteStore(join(stateDir, 'pacific.db'), 'readonly');
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

  /** A read; a failure is a StoreError naming the file and the cause. */
  private read<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw readFailure(this.path, err);
    }
  }

  batch<T>(fn: () => T): T {
    if (this.batched) return fn();
    // Read inside the transaction, the ownership records would include the batch's uncommitted steps.
    this.ownership();
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

  // --- inventory and steps ----------------------------------------------------------------------

  loadInventory(): Entity[] | undefined {
    const rows = this.read(() => this.stmts.allEntities.all() as string[]);
    return rows.length ? rows.map((r) => JSON.parse(r) as Entity) : undefined;
  }

  saveInventory(entities: readonly Entity[]): void {
    this.transaction(() => {
      for (const e of entities) this.stmts.putEntity.run(e.id, e.type, JSON.stringify(e));
    })();
  }

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
        else this.stmts.putOwned.run(ownedRow(o.record));
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

  // --- ownership --------------------------------------------------------------------------------

  ownedObjects(): OwnedObject[] {
    return this.read(() => this.stmts.ownedObjects.all() as Record<string, string | number | null>[]).map(ownedObject);
  }

  /** Read once, then kept in step with every committed step. */
  ownership(): ReadonlyMap<string, Ownership> {
    this.owned ??= new Map(this.ownedObjects().map((o) => [o.key, o.origin]));
    return this.owned;
  }

  // --- settled mark and meta --------------------------------------------------------------------

  settled(): string | undefined {
    const value = this.meta(SETTLED);
    this.settledMarked = value !== undefined;
    return value;
  }

  setSettled(mark: string | undefined): void {
    if (mark !== undefined) this.setMeta(SETTLED, mark);
    else if (this.settledMarked !== false) this.transaction(() => this.stmts.deleteMeta.run(SETTLED))();
    this.settledMarked = mark !== undefined;
  }

  meta(key: string): string | undefined {
    return this.read(() => this.stmts.meta.get(key) as string | undefined);
  }

  setMeta(key: string, value: string): void {
    this.transaction(() => this.stmts.putMeta.run(key, value))();
  }

  // --- reconciler record and events -------------------------------------------------------------

  syncState(): SyncState | undefined {
    const row = this.read(() => this.stmts.syncState.get() as string | undefined);
    return row ? (JSON.parse(row) as SyncState) : undefined;
  }

  objectStatuses(): ObjectStatusRecord[] {
    return this.read(() => this.stmts.objectStatuses.all() as string[]).map((r) => JSON.parse(r) as ObjectStatusRecord);
  }

  saveReconcileResult(state: SyncState, statuses: StatusChanges = { put: [], delete: [] }, events: readonly StoredEvent[] = []): void {
    this.transaction(() => {
      this.stmts.putSyncState.run(JSON.stringify(state));
      for (const s of statuses.put) this.stmts.putStatus.run(s.key, JSON.stringify(s));
      for (const key of statuses.delete) this.stmts.deleteStatus.run(key);
      this.writeEvents(events);
    })();
  }

  addEvents(events: readonly StoredEvent[]): void {
    this.transaction(() => this.writeEvents(events))();
  }

  recentEvents(limit = 100): StoredEvent[] {
    return this.read(() => this.stmts.recentEvents.all(limit) as StoredEvent[]);
  }

  eventsAfter(seq: number, limit = EVENT_RETENTION): StoredEvent[] {
    return this.read(() => this.stmts.eventsAfter.all(seq, limit) as StoredEvent[]);
  }

  // --- suspend switch and pass history ---------------------------------------------------------

  suspension(): Suspension | undefined {
    const value = this.meta(SUSPENDED);
    return value === undefined ? undefined : (JSON.parse(value) as Suspension);
  }

  setSuspension(suspension: Suspension | undefined): void {
    if (suspension) this.setMeta(SUSPENDED, JSON.stringify(suspension));
    else this.transaction(() => this.stmts.deleteMeta.run(SUSPENDED))();
  }

  recordPass(pass: PassRecord): void {
    this.transaction(() => {
      const newest = this.passes(1)[0];
      const { seq: _seq, ...data } = chained(newest, pass);
      this.stmts.addPass.run(JSON.stringify(data));
      this.stmts.trimPasses.run(PASS_RETENTION);
    })();
  }

  passes(limit = 100): PassRecord[] {
    return this.read(() => this.stmts.passes.all(limit) as { seq: number; data: string }[]).map((r) => ({ seq: r.seq, ...(JSON.parse(r.data) as PassRecord) }));
  }

  // --- parse cache ------------------------------------------------------------------------------

  parsedFile(path: string, blob: string): FileManifests | undefined {
    const row = this.read(() => this.stmts.parsedFile.get(path, blob) as string | undefined);
    return row ? (JSON.parse(row) as FileManifests) : undefined;
  }

  saveParsedFiles(files: readonly { path: string; blob: string; manifests: FileManifests }[]): void {
    if (!files.length) return;
    this.transaction(() => {
      for (const f of files) this.stmts.putParsedFile.run(f.path, f.blob, JSON.stringify(f.manifests));
    })();
  }

  clearParsedFiles(): void {
    this.transaction(() => this.stmts.clearParsedFiles.run())();
  }
}
