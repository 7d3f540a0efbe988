/** node:http adapter for the routes: bounded bodies, JSON in and out, 127.0.0.1 unless told otherwise. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Logger } from 'pino';
import { route, type DaemonApi, type HttpRequest } from './routes.js';

/** Request bodies larger than this are refused (only admin endpoints take bodies). */
export const MAX_BODY_BYTES = 64 * 1024;

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  if (!size) return undefined;
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

export interface Listening {
  readonly server: Server;
  /** `http://host:port` actually bound (port 0 picks a free one). */
  readonly url: string;
  close(): Promise<void>;
}

/** Parses `host:port`; a bare port means 127.0.0.1. */
export function parseListen(listen: string): { host: string; port: number } {
  const i = listen.lastIndexOf(':');
  const host = i < 0 ? '127.0.0.1' : listen.slice(0, i).replace(/^\[|\]$/g, '') || '127.0.0.1';
  const port = Number(i < 0 ? listen : listen.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--listen ${listen}: expected host:port`);
  return { host, port };
}

/** Starts the HTTP server. */
export async function listen(api: DaemonApi, token: string, address: string, log: Logger): Promise<Listening> {
  const { host, port } = parseListen(address);
  const server = createServer(async (req, res) => {
    try {
      let body: unknown;
      try {
        body = req.method === 'POST' || req.method === 'PUT' ? await readBody(req) : undefined;
      } catch (err) {
        const tooLarge = err instanceof BodyTooLarge;
        res.writeHead(tooLarge ? 413 : 400, { 'content-type': 'application/json', connection: 'close' });
        res.end(JSON.stringify({ error: tooLarge ? `request body over ${MAX_BODY_BYTES} bytes` : 'request body is not JSON' }));
        return;
      }
      const request: HttpRequest = { method: req.method ?? 'GET', path: new URL(req.url ?? '/', 'http://x').pathname, headers: req.headers as Record<string, string>, body };
      const response = await route(api, token, request);
      const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
      res.writeHead(response.status, { 'content-type': response.contentType ?? 'application/json' });
      res.end(req.method === 'HEAD' ? undefined : text);
    } catch (err) {
      log.error({ err, url: req.url }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'internal error' }));
    }
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = server.address();
  const actualPort = typeof bound === 'object' && bound ? bound.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
  return {
    server,
    url,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
