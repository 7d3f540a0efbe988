/**
 * The store's ports: what each consumer may rely on, independent of the backend. The SQLite store
 * (`sqlite-store.ts`) implements all of them; a distributed backend implements the same contracts
 * and runs the same contract suite (`test/store/contract.ts`).
 *
 * What every port guarantees:
 * - **One writer.** One process writes a store at a time (SQLite: the state-dir lock and the
 *   database's write lock; a distributed backend: a fenced lease, so a writer that lost it cannot
 *   commit). Readers never block that writer.
 * - **Failures are StoreErrors.** A method that cannot read or write throws a `StoreError` naming
 *   the store and the cause; a failed write changed nothing.
 * - **Durable on return.** A write that returned survives the writer's crash (kill -9) and is seen
 *   by the next process that opens the store. (SQLite in WAL mode with `synchronous = NORMAL`: an
 *   operating system crash may lose the last commits, never part of one.)
 */
import type { Entity } from '../inventory/model/entity.js';
import type { EntityChange } from '../inventory/registry.js';
import type { FileManifests } from '../manifests/load.js';
import type { Ownership } from '../plan/planner.js';
import type { ObjectStatusRecord, OwnedObject, StoredEvent, SyncState } from './types.js';

/** Raised when the store cannot be opened, read or written; never silently replaced or reset. */
export class StoreError extends Error {}

/** How many events the event log keeps: the newest ones; older ones are dropped as new ones arrive. */
export const EVENT_RETENTION = 2000;

/** An ownership change that commits with a step's inventory changes. */
export type OwnershipChange = { readonly op: 'put'; readonly record: OwnedObject } | { readonly op: 'delete'; readonly key: string };

/** Object statuses to write and to remove. */
export interface StatusChanges {
  readonly put: readonly ObjectStatusRecord[];
  readonly delete: readonly string[];
}

/**
 * The step journal: every change to the inventory and to what pacific owns is a step, and steps
 * are atomic, ordered and durable. The executor, the simulator's task runner and its admin
 * operations write through it.
 */
export interface StepJournal {
  /**
   * Commits one step: its entity changes, ownership changes and events are written together or
   * not at all. Steps take effect in commit order (a later write of an entity replaces an earlier
   * one). The same write removes the settled mark (see `SettledMark`).
   */
  commitStep(changes: readonly EntityChange[], ownership: readonly OwnershipChange[], events: readonly StoredEvent[]): void;
  /**
   * Runs `fn` as one atomic unit: the steps it commits are durable together when `batch` returns,
   * or, when `fn` throws or the commit fails, none of them is and the error is rethrown. A batch
   * inside a batch joins it. Nothing read back (`ownership()`) shows a step of a batch before the
   * batch is durable.
   */
  batch<T>(fn: () => T): T;
}

/** What pacific manages: written only by committed steps. */
export interface OwnershipReader {
  /** Origin by key, exactly as the committed steps left it (never a step of an unfinished or failed batch). */
  ownership(): ReadonlyMap<string, Ownership>;
  /** The ownership records, in key order. */
  ownedObjects(): OwnedObject[];
}

/** Reads the persisted inventory. */
export interface SnapshotReader {
  /** Every entity as the committed steps left it; undefined for a store that never held an inventory. */
  loadInventory(): Entity[] | undefined;
}

/** The inventory snapshot: the whole inventory, restored at start; kept current by the step journal. */
export interface InventorySnapshot extends SnapshotReader {
  /** Writes a whole inventory at once (a new state's topology). */
  saveInventory(entities: readonly Entity[]): void;
}

/** The event log: append-only, ordered, bounded. */
export interface EventLog {
  /** Appends events together, after every event appended before; the log keeps the newest `EVENT_RETENTION`. */
  addEvents(events: readonly StoredEvent[]): void;
  /** The newest events first, at most `limit`, each with its `seq` (increasing in append order). */
  recentEvents(limit?: number): StoredEvent[];
  /** The events appended after `seq`, oldest first, at most `limit` (a follower resumes from the last seq it saw). */
  eventsAfter(seq: number, limit?: number): StoredEvent[];
}

/** The reconciler's record: its sync state and the object statuses of its last pass. */
export interface SyncRecord {
  /** The state last saved; undefined before the first. */
  syncState(): SyncState | undefined;
  /** The statuses last saved, in key order. */
  objectStatuses(): ObjectStatusRecord[];
  /** Replaces the state, applies the status changes and appends the events, in one atomic write. */
  saveReconcileResult(state: SyncState, statuses?: StatusChanges, events?: readonly StoredEvent[]): void;
}

/**
 * The settled mark: what the reconciler's last pass left with nothing to do (its own format). Every
 * committed step removes it in the step's own write, so a mark that is read (after a crash or a
 * restart included) means no step was committed since it was set: the inventory is as that pass
 * left it.
 */
export interface SettledMark {
  /** The mark, if set and no step was committed since. */
  settled(): string | undefined;
  /** Sets the mark, or with undefined removes it. */
  setSettled(mark: string | undefined): void;
}

/** Why and since when reconciling is suspended (`pacific suspend`). */
export interface Suspension {
  readonly since: string;
  /** Who asked: the identity of the request. */
  readonly by: string;
  readonly reason?: string;
}

/**
 * The suspend switch: while set, passes apply no new revision and correct no drift. Durable on
 * return, so a restarted daemon stays suspended until `pacific resume`.
 */
export interface SuspendSwitch {
  suspension(): Suspension | undefined;
  /** Suspends (or, with undefined, resumes). */
  setSuspension(suspension: Suspension | undefined): void;
}

/** How many passes the history keeps: the newest ones. */
export const PASS_RETENTION = 1000;

/** One pass as `pacific history` shows it. */
export interface PassRecord {
  /** Increasing in record order; given by the store. */
  readonly seq?: number;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly trigger: string;
  readonly result: string;
  /** What the plan covered: everything, the namespaces that changed, or nothing (settled). */
  readonly scope?: string;
  readonly revision?: string;
  /** SHA-256 of the plan's changes (action, object, fields, verdict): equal plans, equal digests. */
  readonly planDigest?: string;
  readonly counts?: { readonly create: number; readonly update: number; readonly delete: number; readonly unchanged: number; readonly notReady: number };
  /** The failure of a failed pass. */
  readonly error?: string;
  /** The journal's links (`pass-chain.ts`): the hash of the record before, and this record's. */
  readonly previousHash?: string;
  readonly hash?: string;
}

/** Reads the pass history. */
export interface PassHistoryReader {
  /** The newest passes first, at most `limit`, each with its `seq`. */
  passes(limit?: number): PassRecord[];
}

/** The pass history: append-only, ordered, bounded. */
export interface PassHistory extends PassHistoryReader {
  /** Appends a pass after every one recorded before, chained to the newest by hash; the history keeps the newest `PASS_RETENTION`. */
  recordPass(pass: PassRecord): void;
}

/** Reads small named values. */
export interface MetaReader {
  meta(key: string): string | undefined;
}

/** Small named values (the parse cache's key, a confirmed prune): durable on return. */
export interface MetaStore extends MetaReader {
  setMeta(key: string, value: string): void;
}

/** Reads the parse cache. */
export interface ParsedFileReader {
  /** What was saved for exactly this path and blob id, or undefined. */
  parsedFile(path: string, blob: string): FileManifests | undefined;
}

/** The parse cache: files already parsed and validated, by path and blob id. Losing entries is always safe. */
export interface ParsedFileCache extends ParsedFileReader {
  /** Saves parsed files together. */
  saveParsedFiles(files: readonly { path: string; blob: string; manifests: FileManifests }[]): void;
}

/** The parse cache with its reset (after the schemas, tenancy rule or parser changed, verdicts may differ). */
export interface ParsedFileStore extends ParsedFileCache {
  clearParsedFiles(): void;
}

/** A daemon's whole store: every port, opened for writing by its one writer. */
export interface DaemonStore extends StepJournal, OwnershipReader, InventorySnapshot, EventLog, SyncRecord, SettledMark, MetaStore, ParsedFileStore, SuspendSwitch, PassHistory {
  close(): void;
}

/** A daemon's store opened for reading beside it (`pacific diff --state`): what a dry run compares with. */
export interface StateReader extends SnapshotReader, OwnershipReader, MetaReader, ParsedFileReader, PassHistoryReader {
  close(): void;
}
