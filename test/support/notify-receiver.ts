/** A real HTTP receiver of `--notify` on loopback: it keeps what it is sent and answers as told. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  readonly headers: IncomingHttpHeaders;
  /** The body exactly as sent: the signature covers these bytes. */
  readonly raw: string;
  readonly at: number;
  /** What the receiver answered (undefined: it never answered). */
  readonly answered: number | undefined;
}

export interface Receiver {
  readonly url: string;
  readonly received: Received[];
  close(): Promise<void>;
}

/**
 * Starts a receiver; `answer` gives the status for the n-th request (0-based), or undefined to
 * hold the request open without answering (a receiver that hangs).
 */
export async function startReceiver(answer: (n: number) => number | undefined = () => 200): Promise<Receiver> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = answer(received.length);
      received.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8'), at: Date.now(), answered: status });
      if (status !== undefined) res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/pacific?channel=ops`,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A URL nobody listens on: a port taken and given back. */
export async function deadUrl(): Promise<string> {
  const r = await startReceiver();
  await r.close();
  return r.url;
}
