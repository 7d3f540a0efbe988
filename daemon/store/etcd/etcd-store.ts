/**
 * The distributed store: every port of `ports.ts` on etcd. Records that matter for correctness
 * (inventory, ownership, statuses, sync state, meta, events) are keys under the prefix (`keys.ts`);
 * the parse cache stays local to each replica (it is rebuilt when lost). Reads come from the
 * replica's view (`view.ts`), decoded by `records.ts`; each write port's operations (`write-ops.ts`)
 * are gathered per step or batch (`step-batch.ts`) and go through the fenced writer
 * (`fenced-writer.ts`), so only the leader's land, each step or batch in one atomic write, durable
 * when the call returns.
 */
import type { Entity } from '../../inventory/model/entity.js';
import type { EntityChange } from '../../inventory/registry.js';
import type { FileManifests } from '../../manifests/load.js';
import type { Ownership } from '../../plan/planner.js';
import { EVENT_RETENTION, StoreError, type DaemonStore, type PassRecord, type Suspension, type OwnershipChange, type ParsedFileStore, type StatusChanges } from '../ports.js';
import type { ObjectStatusRecord, OwnedObject, StoredEvent, SyncState } from '../types.js';
import { EtcdConnection } from './connection.js';
import { FencedWriter, type Fence } from './fenced-writer.js';
import { DEFAULT_PREFIX, META, StoreKeys } from './keys.js';
import { OwnershipCache } from './ownership-cache.js';
import type { ConnectOptions, Notice } from './protocol.js';
import { eventsAfterOf, inventoryOf, objectStatusesOf, ownedObjectsOf, passesOf, recentEventsOf, suspensionOf, syncStateOf, watchedChanges, type WatchedEntity } from './records.js';
import { ETCD_DEFAULT_LIMITS, type TxnLimits } from './staged.js';
import { StepBatch } from './step-batch.js';
import { StoreView } from './view.js';
import { eventOps, inventoryOps, metaOps, metaRemovalOps, passHistoryWith, reconcileResultOps, stepOps, type WriteOps } from './write-ops.js';

export type { WatchedEntity };

export interface EtcdStoreOptions {
  readonly endpoints: readonly string[];
  /** Default `/pacific/`. */
  readonly prefix?: string;
  /** Per-call deadline (default 1 s: after a member's death it cut the longest write gap from 7.1 s to 1.2 s). */
  readonly deadlineMs?: number;
  /** How long a call is retried on the members before it fails, and a write's failure deposes the writer (default 5 s, the lease). */
  readonly retryMs?: number;
  /** The server's transaction limits (default etcd's: 128 ops, 1.5 MiB). */
  readonly limits?: TxnLimits;
  readonly tls?: ConnectOptions['tls'];
  /** A connection to share (its worker takes 1–3 s to start); the store then leaves it open when it closes. */
  readonly connection?: EtcdConnection;
  /** The replica's own parse cache: never shared, rebuilt when lost. */
  readonly local: ParsedFileStore & { close(): void };
}

export class EtcdStore implements DaemonStore {
  readonly keys: StoreKeys;
  readonly conn: EtcdConnection;
  private view: StoreView;
  private readonly writer: FencedWriter;
  private readonly local: EtcdStoreOptions['local'];
  private readonly owned = new OwnershipCache();
  private readonly steps = new StepBatch((ops, events, owned) => this.land(ops, events, owned));
  private stopFollowing: (() => void) | undefined;
  private readonly ownsConnection: boolean;

  private constructor(options: EtcdStoreOptions) {
    this.keys = new StoreKeys(options.prefix ?? DEFAULT_PREFIX);
    const deadlineMs = options.deadlineMs ?? 1000;
    const retryMs = options.retryMs ?? 5000;
    this.conn = options.connection ?? new EtcdConnection({ endpoints: options.endpoints, deadlineMs, retryMs, ...(options.tls ? { tls: options.tls } : {}) });
    this.ownsConnection = !options.connection;
    this.local = options.local;
    try {
      this.view = StoreView.load(this.keys, this.conn.range(this.keys.prefix));
    } catch (err) {
      if (this.ownsConnection) this.conn.close();
      throw new StoreError(`cannot read the etcd store at ${options.endpoints.join(',')} (prefix ${this.keys.prefix}): ${(err as Error).message}`);
    }
    this.writer = new FencedWriter(this.conn, this.keys, options.limits ?? ETCD_DEFAULT_LIMITS);
  }

  /** Opens the store as a follower: it reads; it writes once `lead` is called with a won leadership. */
  static open(options: EtcdStoreOptions): EtcdStore {
    return new EtcdStore(options);
  }

  /** The etcd revision this replica's view is at. */
  get revision(): number {
    return this.view.revision;
  }

  /** The leader as this replica last saw it. */
  get leader(): { identity: string; createRevision: number } | undefined {
    return this.view.leader;
  }

  get leading(): boolean {
    return this.writer.leading;
  }

  /**
   * Starts writing under a won leadership. A follower that followed the watch up to the
   * leadership's revision (every write of an earlier leader is before it) has the store in its
   * view and takes over without reading it again. Returns true when the view was read again (not
   * following, a watch still behind, or a previous leader's staged write rolled forward now).
   */
  lead(fence: Fence): boolean {
    const following = this.stopFollowing !== undefined && this.view.revision >= fence.createRevision;
    this.stopFollowing?.();
    this.stopFollowing = undefined;
    const rolledForward = this.writer.lead(fence);
    if (following && !rolledForward) return false;
    this.reload();
    return true;
  }

  /** Hears this replica's writer deposed (a write refused or of unknown outcome): it no longer leads. */
  onDeposed(listen: (reason: string) => void): void {
    this.writer.onDeposed = listen;
  }

  /** Stops writing: every later write is a StoreError. */
  depose(reason: string): void {
    this.writer.depose(reason);
  }

  /** Follows the store with a watch from the view's revision; `onChange` hears the entity changes of each batch applied. */
  follow(onChange?: (revision: number, entities: readonly WatchedEntity[]) => void): void {
    if (this.stopFollowing) return;
    const stop = this.conn.onNotice((n: Notice) => {
      if (n.notice !== 'watch' || this.writer.leading) return;
      const { entities, owned } = watchedChanges(this.keys, this.view.follow(n.revision, n.events));
      if (owned) this.owned.refresh(this.view);
      onChange?.(n.revision, entities);
    });
    this.conn.watch(this.keys.prefix, this.view.revision + 1);
    this.stopFollowing = stop;
  }

  /** Counts changes to the object statuses (a follower re-reads them only when it moved). */
  get statusVersion(): number {
    return this.view.statusVersion;
  }

  private reload(): void {
    this.view = StoreView.load(this.keys, this.conn.range(this.keys.prefix));
    this.owned.refresh(this.view);
  }

  close(): void {
    this.stopFollowing?.();
    if (this.ownsConnection) this.conn.close();
    this.local.close();
  }

  // --- writes -----------------------------------------------------------------------------------

  /** Writes ops with the events (`eventOps`), then applies them to the view and the ownership map. */
  private land(ops: WriteOps, events: readonly StoredEvent[], owned: readonly OwnershipChange[]): void {
    const all = [...ops.values(), ...eventOps(this.keys, this.view, events)];
    this.writer.write(all);
    this.view.apply(all);
    this.view.revision = Math.max(this.view.revision, this.writer.revision);
    this.owned.apply(owned);
  }

  batch<T>(fn: () => T): T {
    // The ownership map exists before a batch, so the batch's changes reach it once it lands.
    if (!this.steps.open) this.ownership();
    return this.steps.batch(fn);
  }

  commitStep(changes: readonly EntityChange[], ownership: readonly OwnershipChange[], events: readonly StoredEvent[]): void {
    this.steps.step((ops) => stepOps(ops, this.keys, this.view, changes, ownership), events, ownership);
  }

  saveInventory(entities: readonly Entity[]): void {
    this.steps.step((ops) => inventoryOps(ops, this.keys, entities), []);
  }

  saveReconcileResult(state: SyncState, statuses: StatusChanges = { put: [], delete: [] }, events: readonly StoredEvent[] = []): void {
    this.steps.step((ops) => reconcileResultOps(ops, this.keys, state, statuses), events);
  }

  addEvents(events: readonly StoredEvent[]): void {
    this.steps.step(() => {}, events);
  }

  setSettled(mark: string | undefined): void {
    if (mark !== undefined) this.setMeta(META.settled, mark);
    else this.removeMeta(META.settled);
  }

  setMeta(key: string, value: string): void {
    this.steps.step((ops) => metaOps(ops, this.keys, key, value), []);
  }

  /** Removes a meta value; nothing is written when there is none. */
  private removeMeta(key: string): void {
    if (this.view.meta.has(key)) this.steps.step((ops) => metaRemovalOps(ops, this.keys, key), []);
  }

  setSuspension(suspension: Suspension | undefined): void {
    if (suspension) this.setMeta(META.suspended, JSON.stringify(suspension));
    else this.removeMeta(META.suspended);
  }

  recordPass(pass: PassRecord): void {
    this.setMeta(META.passes, passHistoryWith(this.view, pass));
  }

  // --- reads (`records.ts`) ---------------------------------------------------------------------

  suspension(): Suspension | undefined {
    return suspensionOf(this.view);
  }

  passes(limit = 100): PassRecord[] {
    return passesOf(this.view, limit);
  }

  loadInventory(): Entity[] | undefined {
    return inventoryOf(this.view);
  }

  ownedObjects(): OwnedObject[] {
    return ownedObjectsOf(this.view);
  }

  ownership(): ReadonlyMap<string, Ownership> {
    return this.owned.get(this.view);
  }

  settled(): string | undefined {
    return this.view.meta.get(META.settled);
  }

  meta(key: string): string | undefined {
    return this.view.meta.get(key);
  }

  syncState(): SyncState | undefined {
    return syncStateOf(this.view);
  }

  objectStatuses(): ObjectStatusRecord[] {
    return objectStatusesOf(this.view);
  }

  recentEvents(limit = 100): StoredEvent[] {
    return recentEventsOf(this.view, limit);
  }

  eventsAfter(seq: number, limit = EVENT_RETENTION): StoredEvent[] {
    return eventsAfterOf(this.view, seq, limit);
  }

  // --- the replica's own parse cache ------------------------------------------------------------

  parsedFile(path: string, blob: string): FileManifests | undefined {
    return this.local.parsedFile(path, blob);
  }

  saveParsedFiles(files: readonly { path: string; blob: string; manifests: FileManifests }[]): void {
    this.local.saveParsedFiles(files);
  }

  clearParsedFiles(): void {
    this.local.clearParsedFiles();
  }
}
