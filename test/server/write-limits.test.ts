/**
 * The limits on state-changing requests: a per-client token bucket (unit, with an injected clock),
 * and against a real `pacific serve` on 127.0.0.1:0 with small limits: 429 with Retry-After after
 * the burst, reads never limited, clients limited apart, 413 for bodies over the limit whether
 * announced by Content-Length or streamed in chunks. No timing: only counts of immediate requests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../daemon/server/rate-limit.js';
import { initRepoFrom, startDaemonProcess, stopDaemonProcess, type DaemonProcess } from '../support/daemon-process.js';
import { namespaceYaml, vmYaml } from '../support/fixtures.js';
import { send } from '../support/http-client.js';
import { tempDir } from '../support/temp.js';

describe('RateLimiter', () => {
  it('allows a burst, then one request per 1/rate seconds, and says how long to wait', () => {
    let now = 0;
    const limiter = new RateLimiter({ perSecond: 2, burst: 3 }, () => now);
    expect([1, 2, 3, 4].map(() => limiter.take('a').allowed)).toEqual([true, true, true, false]);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take('b').allowed).toBe(true); // another client has its own bucket
    now += 499;
    expect(limiter.take('a').allowed).toBe(false);
    now += 1;
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    now += 60_000; // idle: back to a full burst, never more
    expect([1, 2, 3, 4].map(() => limiter.take('a').allowed)).toEqual([true, true, true, false]);
  });

  it('rounds Retry-After up to whole seconds for slow rates', () => {
    const limiter = new RateLimiter({ perSecond: 0.1, burst: 1 }, () => 0);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 10 });
  });

  it('refuses a limit that would let nothing through', () => {
    expect(() => new RateLimiter({ perSecond: 0, burst: 5 })).toThrow(/perSecond > 0/);
    expect(() => new RateLimiter({ perSecond: 1, burst: 0 })).toThrow(/burst/);
  });
});

describe('pacific serve --write-rate --write-burst --max-body', () => {
  let tmp: ReturnType<typeof tempDir>;
  let daemon: DaemonProcess;
  let auth: Record<string, string>;

  beforeAll(async () => {
    tmp = tempDir('pacific-write-limits-');
    const bare = initRepoFrom(tmp.dir, { 'namespaces/team-a/namespace.yaml': namespaceYaml('team-a'), 'namespaces/team-a/web-1.yaml': vmYaml('team-a', 'web-1') });
    // One token an hour after a burst of 3: every request of a test is "immediate".
    daemon = await startDaemonProcess(['--repo', bare, '--state', join(tmp.dir, 'state'), '--resync', '1h', '--write-burst', '3', '--write-rate', '0.0003', '--max-body', '1Ki']);
    auth = { authorization: `Bearer ${readFileSync(join(tmp.dir, 'state', 'token'), 'utf8').trim()}` };
  });

  afterAll(async () => {
    if (daemon) await stopDaemonProcess(daemon);
    tmp?.cleanup();
  });

  it('answers 429 with Retry-After once a client has spent its burst; reads and other clients go on', async () => {
    const client = { localAddress: '127.0.0.2' };
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await send(`${daemon.url}/reconcile`, { ...client, method: 'POST', headers: auth })).status);
    expect(statuses).toEqual([202, 202, 202, 429, 429, 429]);
    const refused = await send(`${daemon.url}/reconcile`, { ...client, method: 'POST', headers: auth });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(refused.text).error).toMatch(/too many state-changing requests from 127\.0\.0\.2: at most 3 at once/);
    // Without the token it is still 401: refusals do not spend, and are not hidden behind, the budget.
    expect((await send(`${daemon.url}/reconcile`, { ...client, method: 'POST' })).status).toBe(401);
    // Reads are not limited.
    for (let i = 0; i < 30; i++) expect((await send(`${daemon.url}/status`, { ...client, headers: auth })).status).toBe(200);
    // Another client has its own budget.
    expect((await send(`${daemon.url}/reconcile`, { localAddress: '127.0.0.3', method: 'POST', headers: auth })).status).toBe(202);
  });

  it('answers 413 to a body over the limit, announced or streamed, and 400 to one that is not JSON', async () => {
    const resize = `${daemon.url}/admin/virtualmachines/team-a/web-1/resize`;
    const big = JSON.stringify({ cpus: 2, padding: 'x'.repeat(2048) });
    const client = { localAddress: '127.0.0.4', method: 'POST', headers: { ...auth, 'content-type': 'application/json' } };
    const announced = await send(resize, { ...client, body: big });
    expect(announced.status).toBe(413);
    expect(JSON.parse(announced.text).error).toBe('request body over 1024 bytes');
    const streamed = await send(resize, { ...client, body: big, chunked: true });
    expect(streamed.status).toBe(413);
    expect((await send(resize, { ...client, body: '{"cpus": 8' })).status).toBe(400);
  });
});
