/** The API's CA and serving certificate: made once in the state dir, reused, trusted by a real TLS client. */
import { statSync } from 'node:fs';
import { createServer, request } from 'node:https';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stateDirTls } from '../../daemon/kube-api/tls.js';
import { tempDir } from '../support/temp.js';

let tmp: ReturnType<typeof tempDir> | undefined;
afterEach(() => tmp?.cleanup());

function fetchOver(ca: string, cert: string, key: string, host: string): Promise<string> {
  const server = createServer({ cert, key }, (_req, res) => res.end('ok'));
  return new Promise((resolve, reject) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      const req = request({ host: '127.0.0.1', servername: host === '127.0.0.1' ? undefined : host, port, ca, path: '/' }, (res) => {
        res.setEncoding('utf8');
        let body = '';
        res.on('data', (d: string) => (body += d));
        res.on('end', () => server.close(() => resolve(body)));
      });
      req.on('error', (err) => server.close(() => reject(err)));
      req.end();
    });
  });
}

describe('API TLS material', () => {
  it('is made at first start with 0600 keys, trusted for 127.0.0.1 and localhost, and reused', async () => {
    tmp = tempDir();
    const first = await stateDirTls(tmp.dir, '127.0.0.1');
    expect(statSync(join(tmp.dir, 'api', 'ca.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(tmp.dir, 'api', 'apiserver.key')).mode & 0o777).toBe(0o600);
    expect(await fetchOver(first.ca!, first.cert, first.key, '127.0.0.1')).toBe('ok');
    expect(await fetchOver(first.ca!, first.cert, first.key, 'localhost')).toBe('ok');
    const again = await stateDirTls(tmp.dir, '127.0.0.1');
    expect(again).toEqual(first);
  });

  it('issues a new serving certificate from the same CA when the listen address is not covered', async () => {
    tmp = tempDir();
    const first = await stateDirTls(tmp.dir, '127.0.0.1');
    const moved = await stateDirTls(tmp.dir, 'pacific.example');
    expect(moved.ca).toBe(first.ca);
    expect(moved.cert).not.toBe(first.cert);
    expect(await fetchOver(moved.ca!, moved.cert, moved.key, 'pacific.example')).toBe('ok');
    await expect(fetchOver(moved.ca!, first.cert, first.key, 'pacific.example')).rejects.toThrow(/altnames|Hostname/i);
  });
});
