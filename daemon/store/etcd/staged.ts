/**
 * Writes sized against etcd's limits (`--max-txn-ops`, default 128; `--max-request-bytes`,
 * default 1.5 MiB), and the layout of a staged write: one too large for a transaction is put in
 * chunks under `staged/<write>/`, committed by one small key (`commit`, holding a StagedCommit),
 * then rolled forward in transactions within the limits. The fenced writer (`fenced-writer.ts`)
 * runs it; a reader that finds the commit key reads the write as done (`view.ts`).
 */
import { StoreError } from '../ports.js';
import type { WriteOp } from './protocol.js';

/** The etcd server's limits the writer sizes its transactions by (etcd's own defaults unless the operator raised them). */
export interface TxnLimits {
  readonly maxTxnOps: number;
  readonly maxRequestBytes: number;
}

export const ETCD_DEFAULT_LIMITS: TxnLimits = { maxTxnOps: 128, maxRequestBytes: 1.5 * 1024 * 1024 };

/** The commit key's value: which staged write is committed, in how many chunks. */
export interface StagedCommit {
  readonly write: string;
  readonly chunks: number;
}

/** The ops and bytes the fence and sequence take in each transaction, and the bytes of a request besides its ops. */
const FENCE_OPS = 2;
const REQUEST_OVERHEAD = 4096;

const opBytes = (op: WriteOp) => ('put' in op ? op.put.length + op.value.length : 'delete' in op ? op.delete.length : op.deleteRange.length + op.to.length) + 16;

/** Whether `ops` fit one fenced transaction. */
export function fitsOneTxn(ops: readonly WriteOp[], limits: TxnLimits): boolean {
  const bytes = ops.reduce((n, op) => n + opBytes(op), 0);
  return ops.length + FENCE_OPS <= limits.maxTxnOps && bytes + REQUEST_OVERHEAD <= limits.maxRequestBytes;
}

/** Ops grouped into transactions within the limits (each leaving room for the fence). */
export function txnGroups(ops: readonly WriteOp[], limits: TxnLimits): WriteOp[][] {
  const groups: WriteOp[][] = [];
  let group: WriteOp[] = [];
  let bytes = REQUEST_OVERHEAD;
  for (const op of ops) {
    const size = opBytes(op);
    if (size + REQUEST_OVERHEAD > limits.maxRequestBytes) throw new StoreError(`a record of ${size} bytes exceeds etcd's request limit of ${limits.maxRequestBytes} bytes (--max-request-bytes)`);
    if (group.length && (group.length + FENCE_OPS >= limits.maxTxnOps || bytes + size > limits.maxRequestBytes)) {
      groups.push(group);
      group = [];
      bytes = REQUEST_OVERHEAD;
    }
    group.push(op);
    bytes += size;
  }
  if (group.length) groups.push(group);
  return groups;
}

/** Ops in chunks of half the request limit, so a chunk and its key always fit one put. */
export function stagingChunks(ops: readonly WriteOp[], limits: TxnLimits): WriteOp[][] {
  const chunks: WriteOp[][] = [];
  let chunk: WriteOp[] = [];
  let bytes = 0;
  for (const op of ops) {
    if (chunk.length && bytes + opBytes(op) > limits.maxRequestBytes / 2) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(op);
    bytes += opBytes(op);
  }
  chunks.push(chunk);
  return chunks;
}
