/**
 * The Kubernetes API listener: HTTPS only (over http kubectl sends no credentials), 127.0.0.1:6443
 * by default, with the state dir's certificate or the operator's. It builds the API's services from
 * what the core computed and refreshes the served objects when the daemon says the core moved.
 */
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { Logger } from 'pino';
import type { Authenticator, Identity } from '../access/identity.js';
import { parseListen } from '../server/http.js';
import { listenOn } from '../server/listen-on.js';
import { hostCheck } from '../server/host-check.js';
import { Catalog } from './catalog.js';
import { memoryChangeFeed } from './change-feed.js';
import type { ApiContext } from './context.js';
import type { CoreView } from './core-view.js';
import { sqliteMetaStore, type ObjectMetaStore } from './meta-store.js';
import { OpenApi } from './openapi.js';
import { ResourceTable } from './resources.js';
import { Router } from './router.js';
import { mergeCollected, type Collected } from './collected.js';
import { ObjectSources } from './sources.js';
import { failure, JsonListBody } from './status.js';
import { operatorTls, stateDirTls, type TlsMaterial } from './tls.js';
import { Writes } from './writes.js';

export interface KubeApiOptions {
  readonly listen: string;
  readonly stateDir: string;
  /** The operator's certificate and key (`--api-cert`, `--api-key`); else the state dir's. */
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly core: CoreView;
  readonly authn: Authenticator;
  readonly ready: () => boolean;
  readonly log: Logger;
  /** Bookkeeping store (default: `kube-api.db` in the state dir). */
  readonly metaStore?: ObjectMetaStore;
  readonly bookmarkEveryMs?: number;
  /** Told the ms from an apply to each watch event it caused being written to the watcher's connection. */
  readonly onWatchDelivered?: (ms: number) => void;
  /** A door served on this origin (the console), made from what the API serves. */
  readonly mount?: (served: ServedView) => MountedDoor;
  /** pacific's own endpoints the CLI reads (`pacific get`, `status`, …) under the current kubeconfig context: answered by the status listener's handler. */
  readonly pacificEndpoints?: { readonly paths: RegExp; readonly handle: (req: IncomingMessage, res: ServerResponse) => Promise<void> };
  /** Check every refresh against one from scratch, and exit if they differ (tests). */
  readonly verify?: boolean;
  /** `--allowed-host` names answered besides IP addresses and localhost. */
  readonly allowedHosts?: readonly string[];
}

/** What the API serves, for a door mounted beside it to read. */
export interface ServedView {
  readonly catalog: Catalog;
  readonly table: ResourceTable;
  readonly inventory: CoreView['inventory'];
}

/** A door on the API's origin (the console): it answers what it owns and may say who a request without a bearer token is. */
export interface MountedDoor {
  owns(req: IncomingMessage): boolean;
  identify(req: IncomingMessage): Identity | undefined | { refused: string };
  handle(req: IncomingMessage, res: ServerResponse): void;
}

export interface KubeApi {
  /** `https://host:port` actually bound. */
  readonly url: string;
  readonly tls: TlsMaterial;
  readonly catalog: Catalog;
  /**
   * Brings the served objects up to what the core computed now, and tells the watchers; resolves with
   * the milliseconds it worked. `causedAtMs`: when the apply that made these changes happened, if one did.
   */
  refresh(causedAtMs?: number): Promise<number>;
  close(): Promise<void>;
}

/** Default bookmark period of a watch that asks for bookmarks (the API server's is about a minute). */
export const BOOKMARK_EVERY_MS = 60_000;

/** Writes pieces as the client takes them (the event loop serves others between pieces). */
async function writePieces(res: ServerResponse, pieces: Iterable<Buffer>): Promise<void> {
  for (const piece of pieces) {
    if (res.destroyed) return;
    if (!res.write(piece)) await new Promise((resume) => res.once('drain', resume).once('close', resume));
  }
  res.end();
}

export async function startKubeApi(options: KubeApiOptions): Promise<KubeApi> {
  const { core, log } = options;
  const { host, port } = parseListen(options.listen);
  const tls = options.certFile && options.keyFile ? operatorTls(options.certFile, options.keyFile) : await stateDirTls(options.stateDir, host);
  const table = new ResourceTable(core.schemas);
  const sources = new ObjectSources(core, table);
  const metaStore = options.metaStore ?? sqliteMetaStore(options.stateDir);
  const saved = metaStore.load();
  const feed = memoryChangeFeed(saved.revision);
  const catalog = new Catalog(metaStore, feed, saved, () => core.now(), () => core.applied()?.revision);
  // Everything the core computed, against what was served before a restart.
  catalog.refresh(sources.collect().changed);
  // What changed while the daemon was down has new versions: older watches relist.
  feed.compact();
  const ctx: ApiContext = {
    core,
    table,
    catalog,
    render: { source: core.source, objectOf: (key) => catalog.get(key), normalizeSpec: (a, k, s) => core.schemas.normalizeSpec(a, k, s) },
    bookmarkEveryMs: options.bookmarkEveryMs ?? BOOKMARK_EVERY_MS,
    ...(options.onWatchDelivered ? { watchDelivered: options.onWatchDelivered } : {}),
  };
  let url = '';
  const door = options.mount?.({ catalog, table, inventory: core.inventory });
  // A bearer token wins; without one, the browser's console session (CSRF checked for writes).
  const authenticate = (req: IncomingMessage) => (req.headers.authorization === undefined && door ? door.identify(req) : options.authn.authenticate(req.headers.authorization));
  const router = new Router(ctx, new OpenApi(table, core.schemas), authenticate, new Writes(ctx), `${host}:${port}`, options.ready);
  const checkHost = hostCheck(options.allowedHosts);
  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const wrongHost = checkHost(req.headers.host);
    if (wrongHost) {
      const reply = failure(403, 'Forbidden', wrongHost);
      res.writeHead(reply.status, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify(reply.body));
      return;
    }
    if (door?.owns(req)) return door.handle(req, res);
    const own = options.pacificEndpoints;
    if (own && own.paths.test(new URL(req.url ?? '/', 'https://x').pathname)) return void own.handle(req, res);
    router.handle(req, res).then(
      (reply) => {
        if (!reply) return;
        res.writeHead(reply.status, { 'content-type': reply.contentType ?? 'application/json', ...reply.headers });
        if (req.method === 'HEAD') return void res.end();
        if (reply.body instanceof JsonListBody) return void writePieces(res, reply.body.pieces());
        res.end(typeof reply.body === 'string' || Buffer.isBuffer(reply.body) ? reply.body : JSON.stringify(reply.body));
      },
      (err: unknown) => {
        log.error({ err, url: req.url }, 'Kubernetes API request failed');
        if (res.headersSent) return res.destroy();
        const reply = failure(500, 'InternalError', `pacific could not answer: ${(err as Error).message}`);
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply.body));
      },
    );
  });
  server.keepAliveTimeout = 30_000;
  try {
    await listenOn(server, host, port, '--api-listen');
  } catch (err) {
    metaStore.close();
    throw err;
  }
  let pending: Collected | undefined;
  const bound = server.address();
  url = `https://${host.includes(':') ? `[${host}]` : host}:${typeof bound === 'object' && bound ? bound.port : port}`;
  return {
    url,
    tls,
    catalog,
    refresh: async (causedAtMs) => {
      let start = performance.now();
      // A delta the bookkeeping could not take (a full disk) is kept and taken with the next one.
      const delta = pending ? mergeCollected(pending, sources.collect()) : sources.collect();
      pending = delta;
      // Collecting and recording are each a block as long as what changed (500 new pods): requests are answered between them.
      const collected = performance.now() - start;
      await nextMacrotask();
      start = performance.now() - collected;
      catalog.update(delta.changed, delta.removed, causedAtMs);
      pending = undefined;
      if (options.verify) {
        const differ = catalog.differences(new ObjectSources(core, table).collect().changed);
        if (differ.length) {
          // A served object the incremental refresh got wrong: stop here, loudly (tests run with this check).
          log.fatal({ keys: differ.slice(0, 20), count: differ.length }, 'the Kubernetes API serves objects that differ from a full refresh');
          process.exit(70);
        }
      }
      return performance.now() - start;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        metaStore.close();
      }),
  };
}
