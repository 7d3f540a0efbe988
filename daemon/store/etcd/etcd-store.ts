/**
 * The distributed store: every port of `ports.ts` on etcd. Records that matter for correctness
 * (inventory, ownership, statuses, sync state, meta, events) are keys under the prefix (`keys.ts`);
 * the parse cache stays local to each replica (it is rebuilt when lost). Reads come from the
 * replica's view (`view.ts`); writes go through the fenced writer (`fenced-writer.ts`), so only
 * the leader's land, each step or batch in one atomic write, durable when the call returns.
 */
import type { Entity } from '../../inventory/model/entity.js';
import type { EntityChange } from '../../inventory/registry.js';
import type { FileManifests } from '../../manifests/load.js';
import type { Ownership } from '../../plan/planner.js';
import { EVENT_RETENTION, PASS_RETENTION, StoreError, type DaemonStore, type PassRecord, type Suspension, type OwnershipChange, type ParsedFileStore, type StatusChanges } from '../ports.js';
import type { ObjectStatusRecord, OwnedObject, StoredEvent, SyncState } from '../types.js';
import { EtcdConnection } from './connection.js';
import { ETCD_DEFAULT_LIMITS, FencedWriter, type Fence, type TxnLimits } from './fenced-writer.js';
import { DEFAULT_PREFIX, StoreKeys } from './keys.js';
import type { ConnectOptions, Notice, WriteOp } from './protocol.js';
import { StoreView } from './view.js';

/** Meta keys of the suspend switch and the pass history. */
const SUSPENDED = 'suspended';
const PASSES = 'pass-history';

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

/** An entity a watch put (with its new value) or deleted (without). */
export interface WatchedEntity {
  readonly id: string;
  readonly entity?: Entity;
}

/** The meta key of the settled mark (as in the SQLite store). */
const SETTLED = 'settled';

export class EtcdStore implements DaemonStore {
  readonly keys: StoreKeys;
  readonly conn: EtcdConnection;
  private view: StoreView;
  private readonly writer: FencedWriter;
  private readonly local: EtcdStoreOptions['local'];
  private owned: Map<string, Ownership> | undefined;
  private batched: { ops: Map<string, WriteOp>; events: StoredEvent[]; owned: OwnershipChange[] } | undefined;
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
      const applied = this.view.follow(n.revision, n.events);
      const entities: WatchedEntity[] = [];
      let owned = false;
      for (const e of applied) {
        const parsed = this.keys.parse(e.key);
        owned ||= parsed?.family === 'owned';
        if (parsed?.family === 'entity') entities.push(e.type === 'put' ? { id: parsed.id, entity: JSON.parse(e.value) as Entity } : { id: parsed.id });
      }
      if (owned) this.refreshOwnership();
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
    this.refreshOwnership();
  }

  close(): void {
    this.stopFollowing?.();
    if (this.ownsConnection) this.conn.close();
    this.local.close();
  }

  // --- writes -----------------------------------------------------------------------------------

  /** Writes ops (the last per key wins) with the events, trimming the log to `EVENT_RETENTION`. */
  private write(ops: Map<string, WriteOp>, events: readonly StoredEvent[]): void {
    const all = [...ops.values()];
    if (events.length) {
      const first = this.view.lastSeq() + 1;
      const newest = first + events.length - 1;
      const keep = newest - EVENT_RETENTION + 1;
      events.forEach((e, i) => {
        if (first + i >= keep) all.push({ put: this.keys.event(first + i), value: JSON.stringify({ ...e, seq: undefined }) });
      });
      if ((this.view.events[0]?.seq ?? keep) < keep) all.push({ deleteRange: this.keys.event(0), to: this.keys.event(keep) });
    }
    this.writer.write(all);
    this.view.apply(all);
    this.view.revision = Math.max(this.view.revision, this.writer.revision);
  }

  /** Runs `put` on the batch's ops if one is open, else writes them now. */
  private step(build: (ops: Map<string, WriteOp>) => void, events: readonly StoredEvent[], owned: readonly OwnershipChange[] = []): void {
    if (this.batched) {
      build(this.batched.ops);
      this.batched.events.push(...events);
      this.batched.owned.push(...owned);
      return;
    }
    const ops = new Map<string, WriteOp>();
    build(ops);
    this.write(ops, events);
    this.applyOwnership(owned);
  }

  batch<T>(fn: () => T): T {
    if (this.batched) return fn();
    this.ownership();
    const batched = (this.batched = { ops: new Map<string, WriteOp>(), events: [] as StoredEvent[], owned: [] as OwnershipChange[] });
    let result: T;
    try {
      result = fn();
    } finally {
      this.batched = undefined;
    }
    this.write(batched.ops, batched.events);
    this.applyOwnership(batched.owned);
    return result;
  }

  private put(ops: Map<string, WriteOp>, key: string, value: string): void {
    ops.set(key, { put: key, value });
  }

  private remove(ops: Map<string, WriteOp>, key: string): void {
    ops.set(key, { delete: key });
  }

  commitStep(changes: readonly EntityChange[], ownership: readonly OwnershipChange[], events: readonly StoredEvent[]): void {
    this.step(
      (ops) => {
        if (this.view.meta.has(SETTLED)) this.remove(ops, this.keys.meta(SETTLED));
        for (const c of changes) {
          if (c.op === 'put') this.put(ops, this.keys.entity(c.entity.id), JSON.stringify(c.entity));
          else this.remove(ops, this.keys.entity(c.id));
        }
        for (const o of ownership) {
          if (o.op === 'put') this.put(ops, this.keys.owned(o.record.key), JSON.stringify(o.record));
          else this.remove(ops, this.keys.owned(o.key));
        }
      },
      events,
      ownership,
    );
  }

  saveInventory(entities: readonly Entity[]): void {
    this.step((ops) => {
      for (const e of entities) this.put(ops, this.keys.entity(e.id), JSON.stringify(e));
    }, []);
  }

  saveReconcileResult(state: SyncState, statuses: StatusChanges = { put: [], delete: [] }, events: readonly StoredEvent[] = []): void {
    this.step((ops) => {
      this.put(ops, this.keys.sync, JSON.stringify(state));
      for (const s of statuses.put) this.put(ops, this.keys.status(s.key), JSON.stringify(s));
      for (const key of statuses.delete) this.remove(ops, this.keys.status(key));
    }, events);
  }

  addEvents(events: readonly StoredEvent[]): void {
    this.step(() => {}, events);
  }

  setSettled(mark: string | undefined): void {
    if (mark !== undefined) this.setMeta(SETTLED, mark);
    else if (this.view.meta.has(SETTLED)) this.step((ops) => this.remove(ops, this.keys.meta(SETTLED)), []);
  }

  setMeta(key: string, value: string): void {
    this.step((ops) => this.put(ops, this.keys.meta(key), value), []);
  }

  // The suspend switch and the pass history are meta values here: the history is small and bounded
  // (PASS_RETENTION records), written once per pass.
  suspension(): Suspension | undefined {
    const value = this.meta(SUSPENDED);
    return value === undefined ? undefined : (JSON.parse(value) as Suspension);
  }

  setSuspension(suspension: Suspension | undefined): void {
    if (suspension) this.setMeta(SUSPENDED, JSON.stringify(suspension));
    else if (this.view.meta.has(SUSPENDED)) this.step((ops) => this.remove(ops, this.keys.meta(SUSPENDED)), []);
  }

  recordPass(pass: PassRecord): void {
    const kept = this.passes(PASS_RETENTION - 1).reverse();
    const seq = (kept.at(-1)?.seq ?? 0) + 1;
    this.setMeta(PASSES, JSON.stringify([...kept, { ...pass, seq }]));
  }

  passes(limit = 100): PassRecord[] {
    const value = this.meta(PASSES);
    return value === undefined ? [] : (JSON.parse(value) as PassRecord[]).slice(-limit).reverse();
  }

  // --- reads ------------------------------------------------------------------------------------

  loadInventory(): Entity[] | undefined {
    if (!this.view.entities.size) return undefined;
    return [...this.view.entities.values()].map((v) => JSON.parse(v) as Entity);
  }

  ownedObjects(): OwnedObject[] {
    return [...this.view.owned.keys()].sort().map((k) => JSON.parse(this.view.owned.get(k)!) as OwnedObject);
  }

  ownership(): ReadonlyMap<string, Ownership> {
    if (!this.owned) {
      this.owned = new Map();
      this.refreshOwnership();
    }
    return this.owned;
  }

  /** Kept in place: a holder of the map sees every committed step, as with the SQLite store. */
  private refreshOwnership(): void {
    if (!this.owned) return;
    this.owned.clear();
    for (const [key, value] of this.view.owned) this.owned.set(key, (JSON.parse(value) as OwnedObject).origin);
  }

  private applyOwnership(changes: readonly OwnershipChange[]): void {
    if (!this.owned) return;
    for (const o of changes) {
      if (o.op === 'delete') this.owned.delete(o.key);
      else this.owned.set(o.record.key, o.record.origin);
    }
  }

  settled(): string | undefined {
    return this.view.meta.get(SETTLED);
  }

  meta(key: string): string | undefined {
    return this.view.meta.get(key);
  }

  syncState(): SyncState | undefined {
    return this.view.sync === undefined ? undefined : (JSON.parse(this.view.sync) as SyncState);
  }

  objectStatuses(): ObjectStatusRecord[] {
    return [...this.view.statuses.keys()].sort().map((k) => JSON.parse(this.view.statuses.get(k)!) as ObjectStatusRecord);
  }

  recentEvents(limit = 100): StoredEvent[] {
    return this.view.events.slice(-limit).reverse();
  }

  eventsAfter(seq: number, limit = EVENT_RETENTION): StoredEvent[] {
    return this.view.events.filter((e) => e.seq! > seq).slice(0, limit);
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
