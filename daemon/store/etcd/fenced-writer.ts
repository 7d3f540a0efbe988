/**
 * Every write of the leader, fenced. A transaction succeeds only if (1) the leader key's create
 * revision is still the one this replica created (a paused or partitioned ex-leader's writes fail
 * once its lease expired and another replica took the key), and (2) the writer sequence is the one
 * this replica last wrote, which the same transaction advances: a write whose answer was lost and
 * is retried lands once, and a late copy of an old write can never land after a newer one.
 *
 * Writes larger than etcd's limits are staged (`staged.ts`): their operations are put in chunks
 * under `staged/<write>/`, one small fenced transaction commits them (the `commit` key and the
 * sequence), and they are then rolled forward and the staging removed. A reader or the next
 * leader that finds the commit key rolls it forward too (`view.ts`, `lead`), so a crash at any
 * point leaves the whole write or none of it.
 */
import { StoreError } from '../ports.js';
import type { EtcdConnection } from './connection.js';
import type { StoreKeys } from './keys.js';
import type { Compare, WriteOp } from './protocol.js';
import { fitsOneTxn, stagingChunks, txnGroups, type StagedCommit, type TxnLimits } from './staged.js';

/** The leadership a writer writes under: the leader key's create revision. */
export interface Fence {
  readonly createRevision: number;
}

export class FencedWriter {
  private fence: Fence | undefined;
  private sequence = 0;
  /** Set once a write's outcome could not be known or leadership was lost: nothing more is written. */
  private deposed: string | undefined;
  /** A staged write committed whose roll-forward failed: finished before the next write. */
  private unfinished: StagedCommit | undefined;
  /** The etcd revision of the last successful write. */
  revision = 0;

  constructor(
    private readonly conn: EtcdConnection,
    private readonly keys: StoreKeys,
    private readonly limits: TxnLimits,
  ) {}

  get leading(): boolean {
    return this.fence !== undefined && this.deposed === undefined;
  }

  /** Why this replica no longer writes, if it was deposed. */
  get lost(): string | undefined {
    return this.deposed;
  }

  /**
   * Starts writing under a leadership just won: takes over the writer sequence and rolls forward a
   * staged write the previous leader committed but did not finish (then true: the caller's view
   * lacks it).
   */
  lead(fence: Fence): boolean {
    this.fence = fence;
    this.deposed = undefined;
    this.sequence = 0;
    const current = this.conn.get(this.keys.writer).kv;
    const taken = this.txn([this.leaderCompare(), current ? { key: this.keys.writer, target: 'mod', equals: current.modRevision } : { key: this.keys.writer, target: 'version', equals: 0 }], [
      { put: this.keys.writer, value: this.writerValue() },
    ]);
    // Refused: unless a retried try of this very write landed (the sequence names this leadership), another writer moved it.
    if (!taken && this.conn.get(this.keys.writer).kv?.value !== this.writerValue()) {
      this.depose('another writer moved the writer sequence while this replica took the lead');
      throw new StoreError(`this replica cannot take the lead: ${this.deposed}`);
    }
    const commit = this.conn.get(this.keys.commit).kv;
    if (commit) this.rollForward(JSON.parse(commit.value) as StagedCommit);
    return commit !== undefined;
  }

  /** Hears the first deposition (a refused write, an unknown outcome): the replica must stop applying. */
  onDeposed: ((reason: string) => void) | undefined;

  /** Stops writing (a resign or a lost lease). */
  depose(reason: string): void {
    if (this.deposed !== undefined) return;
    this.deposed = reason;
    if (this.fence) this.onDeposed?.(reason);
  }

  /** Writes `ops` atomically under the fence; returns once etcd acknowledged them. */
  write(ops: readonly WriteOp[]): void {
    if (!ops.length) return;
    this.check();
    if (this.unfinished) {
      this.rollForward(this.unfinished);
      this.unfinished = undefined;
    }
    if (fitsOneTxn(ops, this.limits)) {
      this.advance(ops);
      return;
    }
    this.stage(ops);
  }

  private check(): void {
    if (this.deposed) throw new StoreError(`this replica no longer writes the etcd store: ${this.deposed}`);
    if (!this.fence) throw new StoreError('this replica is a follower: only the leader writes the etcd store');
  }

  private leaderCompare(): Compare {
    return { key: this.keys.leader, target: 'create', equals: this.fence!.createRevision };
  }

  private writerValue(n = this.sequence): string {
    return `${this.fence!.createRevision}:${n}`;
  }

  /** One transaction that advances the sequence; a lost answer is resolved by reading the sequence back. */
  private advance(ops: readonly WriteOp[]): void {
    const compares: Compare[] = [this.leaderCompare(), { key: this.keys.writer, target: 'value', equals: this.writerValue() }];
    const next = this.writerValue(this.sequence + 1);
    const writes = [...ops, { put: this.keys.writer, value: next }];
    if (this.txn(compares, writes)) {
      this.sequence++;
      return;
    }
    // Refused: either an earlier try of this very write landed (the sequence is ours, advanced), or leadership is gone.
    const current = this.conn.get(this.keys.writer).kv;
    const writer = current?.value;
    if (writer === next) {
      this.sequence++;
      this.revision = current!.modRevision;
      return;
    }
    const leader = this.conn.get(this.keys.leader).kv;
    const reason = leader?.createRevision === this.fence!.createRevision ? `the writer sequence is ${writer}, not ${this.writerValue()}` : 'its leadership was lost (the lease expired or another replica leads)';
    this.depose(reason);
    throw new StoreError(`write refused by etcd: ${reason}; nothing of it was written`);
  }

  /**
   * A fenced transaction; true if it succeeded, false if a compare failed. The connection retried
   * it on the members for as long as the lease lasts: a failure now leaves its outcome unknown,
   * and the replica stops writing.
   */
  private txn(compares: readonly Compare[], writes: readonly WriteOp[]): boolean {
    try {
      const res = this.conn.txn(compares, writes);
      if (res.succeeded) this.revision = res.revision;
      return res.succeeded;
    } catch (err) {
      this.depose(`a write's outcome is unknown (${(err as Error).message})`);
      throw new StoreError(`cannot write the etcd store: ${(err as Error).message}; this replica stops writing and leaves the lead`);
    }
  }

  private stage(ops: readonly WriteOp[]): void {
    const write = String(this.sequence + 1);
    const chunks = stagingChunks(ops, this.limits);
    const puts: WriteOp[] = chunks.map((c, i) => ({ put: this.keys.staged(write, i), value: JSON.stringify(c) }));
    for (const group of txnGroups(puts, this.limits)) this.fenced(group);
    const commit: StagedCommit = { write, chunks: chunks.length };
    // The commit point.
    this.advance([{ put: this.keys.commit, value: JSON.stringify(commit) }]);
    try {
      this.rollForward(commit, ops);
    } catch {
      // Committed: the next write, or the next leader, finishes it.
      this.unfinished = commit;
    }
  }

  /** Puts the staged operations in place, then removes the staging and the commit key. */
  private rollForward(commit: StagedCommit, ops?: readonly WriteOp[]): void {
    if (!ops) {
      const staged = this.conn.range(this.keys.staged(commit.write)).kvs;
      ops = staged.flatMap((kv) => JSON.parse(kv.value) as WriteOp[]);
    }
    for (const group of txnGroups(ops, this.limits)) this.fenced(group);
    const from = this.keys.staged(commit.write);
    this.fenced([{ deleteRange: from, to: from.slice(0, -1) + '0' }, { delete: this.keys.commit }]);
  }

  /** A write that does not advance the sequence (idempotent: staging and roll-forward). */
  private fenced(ops: readonly WriteOp[]): void {
    if (!this.txn([this.leaderCompare(), { key: this.keys.writer, target: 'value', equals: this.writerValue() }], ops)) {
      this.depose('its leadership was lost during a staged write');
      throw new StoreError('write refused by etcd: this replica lost its leadership during a staged write');
    }
  }
}
