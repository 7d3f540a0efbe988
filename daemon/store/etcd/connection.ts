/**
 * pacific's own interface to etcd: synchronous calls answered by the client's worker thread
 * (`worker.ts`), and notices (watch events, a lost lease) delivered on the event loop.
 *
 * Why `etcd3` (gRPC) and not the gRPC gateway's JSON over `fetch`: measured here, 11,000 × 2 KB in
 * fenced 128-op transactions took 2.9–6.3 s through `etcd3` and 8.9–9.8 s through the gateway, and
 * `etcd3` keeps leases alive and resumes watches across a member's death (2000/2000 events, in
 * order). Its last release is from 2023; it stays behind this file, so swapping it touches one module.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { StoreError } from '../ports.js';
import type { Compare, ConnectOptions, KeyValue, Notice, Request, Response, WriteOp } from './protocol.js';

/** The compiled worker: beside this module when it runs from `dist/`, or in `dist/` when it runs from source (tests). */
function workerPath(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return join(dirname(here), 'worker.js');
  let root = dirname(here);
  while (!existsSync(join(root, 'package.json'))) root = dirname(root);
  const compiled = join(root, 'dist', relative(root, dirname(here)), 'worker.js');
  if (!existsSync(compiled)) throw new StoreError(`the etcd client's worker ${compiled} is not built: run \`npm run build\``);
  return compiled;
}

/** A call's failure: the cause as etcd or the client said it. */
export class EtcdCallError extends StoreError {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export class EtcdConnection {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private seq = 0;
  private closed = false;
  private readonly listeners = new Set<(notice: Notice) => void>();

  constructor(readonly options: ConnectOptions) {
    const calls = new MessageChannel();
    const notices = new MessageChannel();
    this.port = calls.port1;
    this.worker = new Worker(workerPath(), {
      workerData: { options, flag: this.flag, port: calls.port2, notices: notices.port2 },
      transferList: [calls.port2, notices.port2],
    });
    // Notices must not keep a process alive that has nothing else to do.
    this.worker.unref();
    notices.port1.unref();
    notices.port1.on('message', (n: Notice) => {
      for (const listen of this.listeners) listen(n);
    });
  }

  /** Hears every notice until the returned function is called. */
  onNotice(listen: (notice: Notice) => void): () => void {
    this.listeners.add(listen);
    return () => this.listeners.delete(listen);
  }

  /** Runs one request and waits for its answer; the worker bounds each gRPC call by the deadline. */
  private call(req: Request): Extract<Response, { ok: true }> {
    if (this.closed) throw new StoreError('the etcd connection is closed');
    const id = ++this.seq;
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage({ id, ...req });
    // The worker retries each call (each page of a range) for up to retryMs; a dead worker must not hang the daemon.
    const budget = this.options.retryMs + this.options.deadlineMs + 5_000;
    const waitMs = req.op === 'range' ? budget * 60 : budget;
    for (;;) {
      const woke = Atomics.wait(this.flag, 0, 0, waitMs);
      const msg = receiveMessageOnPort(this.port)?.message as (Response & { id: number }) | undefined;
      if (!msg) {
        if (woke === 'timed-out') throw new EtcdCallError(`etcd ${this.where()}: no answer to ${req.op} in ${waitMs} ms`, 'Timeout');
        continue;
      }
      // An answer to a call that timed out earlier is stale: wait for ours.
      if (msg.id !== id) continue;
      if (!msg.ok) throw new EtcdCallError(`etcd ${this.where()}: ${req.op} failed: ${msg.error}`, msg.code);
      return msg;
    }
  }

  private where(): string {
    return this.options.endpoints.join(',');
  }

  /** Every key under `prefix`, read at one revision. */
  range(prefix: string): { revision: number; kvs: readonly KeyValue[] } {
    const res = this.call({ op: 'range', prefix });
    return { revision: res.revision, kvs: res.kvs ?? [] };
  }

  get(key: string): { revision: number; kv: KeyValue | undefined } {
    const res = this.call({ op: 'get', key });
    return { revision: res.revision, kv: res.kvs?.[0] };
  }

  /** One transaction: the writes happen if every compare holds. */
  txn(compares: readonly Compare[], writes: readonly WriteOp[]): { succeeded: boolean; revision: number } {
    const res = this.call({ op: 'txn', compares, writes });
    return { succeeded: res.succeeded ?? false, revision: res.revision };
  }

  /** A lease the worker keeps alive; a lost one is reported as a `leaseLost` notice. */
  grant(ttlSeconds: number): string {
    return this.call({ op: 'grant', ttlSeconds }).lease!;
  }

  revoke(lease: string): void {
    this.call({ op: 'revoke', lease });
  }

  /** Watches `prefix` from `fromRevision` on; events arrive as `watch` notices. */
  watch(prefix: string, fromRevision: number): void {
    this.call({ op: 'watch', prefix, fromRevision });
  }

  /** Revokes the leases (a clean resign) and ends the worker. */
  close(): void {
    if (this.closed) return;
    try {
      this.call({ op: 'close' });
    } catch {
      // The worker is ended below all the same.
    }
    this.closed = true;
    void this.worker.terminate();
  }
}
