/**
 * Steps gathered into writes. Outside a batch each step is one atomic write; inside one, the
 * batch's steps gather (the last operation on a key wins) and land in one atomic write when the
 * batch ends, or not at all when it throws, as one SQLite transaction would.
 */
import type { OwnershipChange } from '../ports.js';
import type { StoredEvent } from '../types.js';
import type { WriteOps } from './write-ops.js';

/** Lands one write: its operations, events and ownership changes. */
export type Land = (ops: WriteOps, events: readonly StoredEvent[], owned: readonly OwnershipChange[]) => void;

export class StepBatch {
  private gathered: { ops: WriteOps; events: StoredEvent[]; owned: OwnershipChange[] } | undefined;

  constructor(private readonly land: Land) {}

  /** Whether a batch is open. */
  get open(): boolean {
    return this.gathered !== undefined;
  }

  /** Runs `build` on the open batch's operations, or on a write of its own that lands now. */
  step(build: (ops: WriteOps) => void, events: readonly StoredEvent[], owned: readonly OwnershipChange[] = []): void {
    if (this.gathered) {
      build(this.gathered.ops);
      this.gathered.events.push(...events);
      this.gathered.owned.push(...owned);
      return;
    }
    const ops: WriteOps = new Map();
    build(ops);
    this.land(ops, events, owned);
  }

  /** Runs `fn` as one batch (joining the open one, if any) and lands its steps once `fn` returned. */
  batch<T>(fn: () => T): T {
    if (this.gathered) return fn();
    const gathered = (this.gathered = { ops: new Map(), events: [] as StoredEvent[], owned: [] as OwnershipChange[] });
    let result: T;
    try {
      result = fn();
    } finally {
      this.gathered = undefined;
    }
    this.land(gathered.ops, gathered.events, gathered.owned);
    return result;
  }
}
