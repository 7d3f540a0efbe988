/** Raw HTTP requests for server tests: any method, headers, chunked bodies and a chosen client address. */
import { request, type IncomingHttpHeaders } from 'node:http';

export interface RawRequest {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** Sent with a Content-Length unless `chunked`. */
  readonly body?: string | Buffer;
  /** Send the body in 1 KiB chunks with Transfer-Encoding: chunked (no Content-Length). */
  readonly chunked?: boolean;
  /** The client's own address (any of 127.0.0.0/8 on Linux): another client to the server's rate limit. */
  readonly localAddress?: string;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/** One request on a fresh connection; resolves with the whole response. */
export function send(url: string, options: RawRequest = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    const headers = { ...options.headers, ...(body && !options.chunked ? { 'content-length': String(body.length) } : {}) };
    const req = request(url, { method: options.method ?? 'GET', headers, agent: false, ...(options.localAddress ? { localAddress: options.localAddress } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    // The server may answer (413) and close before the whole body is written; the answer is what counts.
    req.on('error', reject);
    if (body && options.chunked) {
      for (let i = 0; i < body.length; i += 1024) req.write(body.subarray(i, i + 1024));
    } else if (body) req.write(body);
    req.end();
  });
}
