/**
 * The etcd client's thread. The store's ports are synchronous (a step is durable when `commitStep`
 * returns, as with SQLite), and etcd's client is asynchronous: the daemon's thread posts a request
 * and sleeps on a shared flag (`connection.ts`) while this thread runs it on `etcd3`'s gRPC client,
 * posts the answer and wakes it. Leases are kept alive here, so a daemon thread busy with a long
 * pass never lets its lease lapse; watches report here too, as notices.
 */
import { readFileSync } from 'node:fs';
import { workerData, type MessagePort } from 'node:worker_threads';
import { Etcd3, isRecoverableError, type Lease } from 'etcd3';
import { circuitBreaker, ConsecutiveBreaker, ExponentialBackoff, handleWhen, isBrokenCircuitError, noop, retry } from 'cockatiel';
import type { Compare, ConnectOptions, KeyValue, Notice, Request, Response, WriteOp } from './protocol.js';

const { options, flag, port, notices } = workerData as { options: ConnectOptions; flag: Int32Array; port: MessagePort; notices: MessagePort };

/** Keys read per page. */
const PAGE = 1000;

const client = new Etcd3({
  hosts: [...options.endpoints],
  dialTimeout: options.deadlineMs * 2,
  // A member that stops answering (frozen, partitioned) keeps its connections open: pings find it out
  // within ~6 s, and the watches on it resume on another member. etcd refuses pings more often than
  // every 5 s (--grpc-keepalive-min-time).
  grpcOptions: { 'grpc.keepalive_time_ms': 5_000, 'grpc.keepalive_timeout_ms': 1_000 },
  defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + options.deadlineMs }),
  faultHandling: {
    // Retries are `resilient`'s, bounded by time rather than by a count.
    global: noop,
    // A member that failed a call is left out for 1 s, so the retry goes to a live one.
    host: () => circuitBreaker(handleWhen(isRecoverableError), { halfOpenAfter: 1_000, breaker: new ConsecutiveBreaker(1) }),
  },
  ...(options.tls
    ? {
        credentials: {
          rootCertificate: readFileSync(options.tls.ca),
          ...(options.tls.cert ? { certChain: readFileSync(options.tls.cert) } : {}),
          ...(options.tls.key ? { privateKey: readFileSync(options.tls.key) } : {}),
        },
      }
    : {}),
});

/**
 * Every call is retried, on another member, until it succeeds or `retryMs` has passed: a member's
 * death (connection refused, or no answer within the deadline) and a Raft election (`leader
 * changed`, ~1.4 s here) are outlived. Repeating any call is safe: reads are, and every write
 * pacific makes is fenced by the writer sequence, so a write whose first try landed is refused when
 * repeated and the store reads the sequence back (`fenced-writer.ts`); a campaign reads the leader
 * key's lease back (`election.ts`).
 */
const retrying = retry(handleWhen((err) => isRecoverableError(err) || isBrokenCircuitError(err)), {
  maxAttempts: Number.MAX_SAFE_INTEGER,
  backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 500 }),
});
const resilient = <T>(call: () => Promise<T>, budgetMs = options.retryMs): Promise<T> => retrying.execute(call, AbortSignal.timeout(budgetMs));

const leases = new Map<string, Lease>();
const b = (s: string) => Buffer.from(s);
const TARGET = { version: 'Version', create: 'Create', mod: 'Mod', value: 'Value' } as const;

/** The first key after every key starting with `prefix`. */
function prefixEnd(prefix: string): Buffer {
  const end = Buffer.from(prefix);
  end[end.length - 1]! += 1;
  return end;
}

function kv(k: { key: Buffer; value: Buffer; create_revision: string; mod_revision: string; lease: string }): KeyValue {
  return { key: k.key.toString(), value: k.value.toString(), createRevision: Number(k.create_revision), modRevision: Number(k.mod_revision), lease: k.lease };
}

function compare(c: Compare) {
  const base = { key: b(c.key), target: TARGET[c.target], result: 'Equal' as const };
  if (c.target === 'value') return { ...base, value: b(c.equals) };
  return { ...base, [c.target === 'create' ? 'create_revision' : c.target === 'mod' ? 'mod_revision' : 'version']: String(c.equals) };
}

function write(w: WriteOp) {
  if ('put' in w) return { request_put: { key: b(w.put), value: b(w.value), ...(w.lease ? { lease: w.lease } : {}) } };
  if ('delete' in w) return { request_delete_range: { key: b(w.delete) } };
  return { request_delete_range: { key: b(w.deleteRange), range_end: b(w.to) } };
}

/**
 * Keeps a lease alive with one keep-alive a quarter of its TTL, each within the deadline and retried
 * on another member. (`etcd3`'s own keep-alive stream waits a whole TTL before it gives up on a member
 * that stopped answering, by which time the lease has expired.) The lease is lost when etcd says it
 * expired, or when no keep-alive got through for a TTL.
 */
function keepAlive(lease: Lease, ttlSeconds: number, lost: (err: Error) => void): void {
  let last = Date.now();
  const tick = () => {
    if (lease.revoked()) return;
    resilient(() => lease.keepaliveOnce({ deadline: Date.now() + options.deadlineMs }), ttlSeconds * 1000)
      .then(() => {
        last = Date.now();
      })
      .catch((err: Error) => {
        if (!lease.revoked() && Date.now() - last > ttlSeconds * 1000) lost(err);
      })
      .finally(() => {
        if (!lease.revoked()) setTimeout(tick, (ttlSeconds * 1000) / 4);
      });
  };
  setTimeout(tick, (ttlSeconds * 1000) / 4);
}

async function range(prefix: string): Promise<Response> {
  const kvs: KeyValue[] = [];
  let from = b(prefix);
  let revision: string | undefined;
  for (;;) {
    const page = { key: from, range_end: prefixEnd(prefix), limit: PAGE, ...(revision ? { revision } : {}) };
    const res = await resilient(() => client.kv.range(page));
    revision ??= res.header.revision;
    for (const k of res.kvs) kvs.push(kv(k));
    if (!res.more || !res.kvs.length) return { ok: true, revision: Number(revision), kvs };
    from = Buffer.concat([res.kvs[res.kvs.length - 1]!.key, Buffer.from([0])]);
  }
}

async function run(req: Request): Promise<Response> {
  switch (req.op) {
    case 'range':
      return range(req.prefix);
    case 'get': {
      const res = await resilient(() => client.kv.range({ key: b(req.key) }));
      return { ok: true, revision: Number(res.header.revision), kvs: res.kvs.map(kv) };
    }
    case 'txn': {
      const txn = { compare: req.compares.map(compare), success: req.writes.map(write), failure: [] };
      const res = await resilient(() => client.kv.txn(txn));
      return { ok: true, revision: Number(res.header.revision), succeeded: res.succeeded };
    }
    case 'grant': {
      // A lease whose grant failed is dropped (it holds nothing); the retry grants a new one.
      const { lease, id } = await resilient(async () => {
        const lease = client.lease(req.ttlSeconds, { autoKeepAlive: false });
        return { lease, id: await lease.grant() };
      });
      leases.set(id, lease);
      const lost = (err: Error) => {
        if (!leases.delete(id)) return;
        lease.release();
        notices.postMessage({ notice: 'leaseLost', lease: id, error: err.message } satisfies Notice);
      };
      lease.on('lost', lost);
      keepAlive(lease, req.ttlSeconds, lost);
      return { ok: true, revision: 0, lease: id };
    }
    case 'revoke': {
      const lease = leases.get(req.lease);
      leases.delete(req.lease);
      lease?.removeAllListeners('lost');
      if (lease) await resilient(() => lease.revoke());
      return { ok: true, revision: 0 };
    }
    case 'watch': {
      const watcher = await client.watch().prefix(req.prefix).startRevision(String(req.fromRevision)).create();
      watcher.on('data', (res) => {
        const events = res.events.map((e) => ({ type: e.type === 'Delete' ? ('delete' as const) : ('put' as const), key: e.kv.key.toString(), value: e.kv.value.toString(), modRevision: Number(e.kv.mod_revision) }));
        if (events.length) notices.postMessage({ notice: 'watch', revision: Number(res.header.revision), events } satisfies Notice);
      });
      watcher.on('error', (err) => notices.postMessage({ notice: 'watchError', error: err.message } satisfies Notice));
      return { ok: true, revision: 0 };
    }
    case 'close':
      for (const lease of leases.values()) {
        lease.removeAllListeners('lost');
        await lease.revoke().catch(() => undefined);
      }
      client.close();
      return { ok: true, revision: 0 };
  }
}

port.on('message', (req: Request & { id: number }) => {
  void run(req)
    .catch((err: Error): Response => ({ ok: false, error: err.message, code: err.constructor.name }))
    .then((res) => {
      port.postMessage({ id: req.id, ...res });
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      if (req.op === 'close') {
        port.close();
        notices.close();
      }
    });
});
