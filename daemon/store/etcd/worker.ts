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
import { circuitBreaker, ConsecutiveBreaker, handleWhen, noop } from 'cockatiel';
import type { Compare, ConnectOptions, KeyValue, Notice, Request, Response, WriteOp } from './protocol.js';

const { options, flag, port, notices } = workerData as { options: ConnectOptions; flag: Int32Array; port: MessagePort; notices: MessagePort };

/** Keys read per page. */
const PAGE = 1000;

const client = new Etcd3({
  hosts: [...options.endpoints],
  dialTimeout: options.deadlineMs * 2,
  defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + options.deadlineMs }),
  // No silent retries: a write whose answer was lost is resolved by the store (it knows what it wrote), not replayed blindly.
  faultHandling: {
    global: noop,
    // A member that failed a call is left out for 2 s, so the next call goes to a live one.
    host: () => circuitBreaker(handleWhen(isRecoverableError), { halfOpenAfter: 2_000, breaker: new ConsecutiveBreaker(1) }),
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

const leases = new Map<string, Lease>();
const b = (s: string) => Buffer.from(s);
const TARGET = { version: 'Version', create: 'Create', mod: 'Mod', value: 'Value' } as const;

/** The first key after every key starting with `prefix`. */
function prefixEnd(prefix: string): Buffer {
  const end = Buffer.from(prefix);
  end[end.length - 1]! += 1;
  return end;
}

function kv(k: { key: Buffer; value: Buffer; create_revision: string; mod_revision: string }): KeyValue {
  return { key: k.key.toString(), value: k.value.toString(), createRevision: Number(k.create_revision), modRevision: Number(k.mod_revision) };
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

async function range(prefix: string): Promise<Response> {
  const kvs: KeyValue[] = [];
  let from = b(prefix);
  let revision: string | undefined;
  for (;;) {
    const res = await client.kv.range({ key: from, range_end: prefixEnd(prefix), limit: PAGE, ...(revision ? { revision } : {}) });
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
      const res = await client.kv.range({ key: b(req.key) });
      return { ok: true, revision: Number(res.header.revision), kvs: res.kvs.map(kv) };
    }
    case 'txn': {
      const res = await client.kv.txn({ compare: req.compares.map(compare), success: req.writes.map(write), failure: [] });
      return { ok: true, revision: Number(res.header.revision), succeeded: res.succeeded };
    }
    case 'grant': {
      const lease = client.lease(req.ttlSeconds, { autoKeepAlive: true });
      const id = await lease.grant();
      leases.set(id, lease);
      lease.on('lost', (err) => {
        leases.delete(id);
        notices.postMessage({ notice: 'leaseLost', lease: id, error: err.message } satisfies Notice);
      });
      return { ok: true, revision: 0, lease: id };
    }
    case 'revoke': {
      const lease = leases.get(req.lease);
      leases.delete(req.lease);
      lease?.removeAllListeners('lost');
      await lease?.revoke();
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
