/**
 * What pacific asks of etcd, as plain messages between the daemon's thread and the etcd client's
 * worker thread (`worker.ts`). Keys and values are UTF-8 strings; revisions are numbers (etcd's
 * int64 stays far below 2^53 in any life of a cluster).
 */

/** A condition of a transaction. */
export type Compare =
  | { readonly key: string; readonly target: 'create' | 'mod' | 'version'; readonly equals: number }
  | { readonly key: string; readonly target: 'value'; readonly equals: string };

/** A write inside a transaction. */
export type WriteOp =
  | { readonly put: string; readonly value: string; readonly lease?: string }
  | { readonly delete: string }
  /** Deletes every key in [from, to). */
  | { readonly deleteRange: string; readonly to: string };

export interface KeyValue {
  readonly key: string;
  readonly value: string;
  readonly createRevision: number;
  readonly modRevision: number;
  /** The lease the key is attached to (`'0'` for none). */
  readonly lease: string;
}

export type Request =
  /** Every key under `prefix` at one revision, read in pages (one range of 11,000 × 2 KB exceeds the gRPC client's 4 MiB). */
  | { readonly op: 'range'; readonly prefix: string }
  | { readonly op: 'get'; readonly key: string }
  | { readonly op: 'txn'; readonly compares: readonly Compare[]; readonly writes: readonly WriteOp[] }
  /** Grants a lease kept alive by the worker until revoked or lost (reported as a `leaseLost` notice). */
  | { readonly op: 'grant'; readonly ttlSeconds: number }
  | { readonly op: 'revoke'; readonly lease: string }
  /** Starts a watch of `prefix` from `fromRevision`, reported as `watch` notices. */
  | { readonly op: 'watch'; readonly prefix: string; readonly fromRevision: number }
  | { readonly op: 'close' };

export type Response =
  | { readonly ok: true; readonly revision: number; readonly kvs?: readonly KeyValue[]; readonly succeeded?: boolean; readonly lease?: string }
  | { readonly ok: false; readonly error: string; readonly code?: string };

/** One event of a watch. */
export interface WatchEvent {
  readonly type: 'put' | 'delete';
  readonly key: string;
  readonly value: string;
  readonly modRevision: number;
}

/** Messages the worker sends unasked. */
export type Notice =
  | { readonly notice: 'watch'; readonly revision: number; readonly events: readonly WatchEvent[] }
  | { readonly notice: 'watchError'; readonly error: string }
  | { readonly notice: 'leaseLost'; readonly lease: string; readonly error: string };

/** How the worker connects. */
export interface ConnectOptions {
  readonly endpoints: readonly string[];
  /** Per-call deadline: a call to a dead member fails after it instead of the client's long retries. */
  readonly deadlineMs: number;
  /** How long a call is retried on the members (each try within the deadline) before it fails. */
  readonly retryMs: number;
  readonly tls?: { readonly ca: string; readonly cert?: string; readonly key?: string };
}
