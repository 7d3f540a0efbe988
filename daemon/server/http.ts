/** node:http adapter for the routes: bounded bodies, JSON in and out, 127.0.0.1 unless told otherwise. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { StoreError } from '../store/ports.js';
import { randomBytes } from 'node:crypto';
import { grantsOf } from '../access/grants.js';
import { authenticator } from '../access/identity.js';
import { InventoryRegistry } from '../inventory/registry.js';
import { changesState, route, type DaemonApi, type Identify } from './routes.js';
import { BodyError, type HttpRequest } from './types.js';
import { hostCheck } from './host-check.js';
import { listenOn } from './listen-on.js';
import { DEFAULT_WRITE_LIMITS, WriteGuard, type WriteLimits } from './write-guard.js';

/** Reads a body of at most `max` bytes, counted as it arrives: a Content-Length over it is refused unread, a chunked body once it passes it. */
async function readRaw(req: IncomingMessage, max: number): Promise<Buffer> {
  const tooLarge = () => new BodyError(413, `request body over ${max} bytes`);
  if (Number(req.headers['content-length'] ?? 0) > max) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Reads a JSON body of at most `max` bytes (undefined when empty). */
async function readBody(req: IncomingMessage, max: number): Promise<unknown> {
  const raw = await readRaw(req, max);
  if (!raw.length) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new BodyError(400, 'request body is not JSON');
  }
}

export interface Listening {
  readonly server: Server;
  /** `http://host:port` actually bound (port 0 picks a free one). */
  readonly url: string;
  close(): Promise<void>;
}

/** How the server guards state-changing requests. */
export interface ListenOptions {
  readonly token: string;
  readonly limits?: WriteLimits;
  /** Monotonic milliseconds for the rate limiter (tests). */
  readonly now?: () => number;
  /** Who a read is (default: the admin token is the VI admin, nothing else is anyone). */
  readonly identify?: Identify;
  /** `--allowed-host` names answered besides IP addresses and localhost. */
  readonly allowedHosts?: readonly string[];
}

/** Reads by the admin token only: for a listener without the daemon's identities. */
function adminTokenOnly(token: string): Identify {
  const authn = authenticator(randomBytes(32), token);
  const empty = new InventoryRegistry();
  return (header) => {
    const who = authn.authenticate(header);
    return who && !('refused' in who) ? grantsOf(who, empty) : who;
  };
}

/** Parses `host:port`; a bare port means 127.0.0.1. */
export function parseListen(listen: string): { host: string; port: number } {
  const i = listen.lastIndexOf(':');
  const host = i < 0 ? '127.0.0.1' : listen.slice(0, i).replace(/^\[|\]$/g, '') || '127.0.0.1';
  const port = Number(i < 0 ? listen : listen.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--listen ${listen}: expected host:port`);
  return { host, port };
}

/** Answers one request of the status listener (also mounted on the Kubernetes API's listener for the paths the CLI reads). */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** The status listener's handler: routes, the write guard (one per handler: one rate budget per client), errors as JSON. */
export function requestHandler(api: DaemonApi, options: ListenOptions, log: Logger): RequestHandler {
  const guard = new WriteGuard(options.token, options.limits ?? DEFAULT_WRITE_LIMITS, options.now);
  const identify = options.identify ?? adminTokenOnly(options.token);
  return async (req, res) => {
    try {
      const method = req.method ?? 'GET';
      const url = new URL(req.url ?? '/', 'http://x');
      const request: HttpRequest = {
        method,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        client: req.socket.remoteAddress ?? 'unknown',
        body: () => readBody(req, guard.limits.maxBodyBytes),
        rawBody: () => readRaw(req, guard.limits.maxBodyBytes),
      };
      const response = await route(api, guard, request, identify);
      const text = typeof response.body === 'string' || Buffer.isBuffer(response.body) ? response.body : JSON.stringify(response.body);
      // A state-changing request refused before its body was read may still be sending it: close rather than read on.
      const close = changesState(method) && !req.complete ? { connection: 'close' } : {};
      res.writeHead(response.status, { 'content-type': response.contentType ?? 'application/json', ...response.headers, ...close });
      res.end(method === 'HEAD' ? undefined : text);
    } catch (err) {
      log.error({ err, url: req.url }, 'request failed');
      // A state dir that cannot be written (full, read-only) is the daemon's condition, not a bug:
      // 503 with the store's own words (file, SQLite code, OS cause). The operation was rolled back.
      const unavailable = err instanceof StoreError;
      if (!res.headersSent) res.writeHead(unavailable ? 503 : 500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: unavailable ? err.message : 'internal error' }));
    }
  };
}

/** Starts the HTTP server. */
export async function listen(api: DaemonApi, options: ListenOptions, address: string, log: Logger, handler: RequestHandler = requestHandler(api, options, log)): Promise<Listening> {
  const { host, port } = parseListen(address);
  const checkHost = hostCheck(options.allowedHosts);
  const server = createServer((req, res) => {
    const wrongHost = checkHost(req.headers.host);
    if (!wrongHost) return void handler(req, res);
    res.writeHead(403, { 'content-type': 'application/json', connection: 'close' });
    res.end(JSON.stringify({ error: wrongHost }));
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  // Node closes an idle keep-alive socket from a timer, and timers run before the next request on
  // it is read: a pass holding the event loop longer than this (a 10,000-object plan takes seconds)
  // would reset every client that was polling. 30 s instead of Node's 5 s.
  server.keepAliveTimeout = 30_000;
  await listenOn(server, host, port, '--listen');
  const bound = server.address();
  const actualPort = typeof bound === 'object' && bound ? bound.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
  return {
    server,
    url,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
