/**
 * Doors and process (issue 17): the Host header on every listener (DNS rebinding), state files
 * readable by their owner only, signals at any moment, a port in use, absurd admin numbers.
 * The real CLI as a child process on real ports.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hostCheck } from '../../daemon/server/host-check.js';
import { namespaceManifest, namespaceName, vmManifest, vmName } from '../../bench/generate-repo.js';
import { CLI, initRepoFrom, startDaemonProcess, stopDaemonProcess, waitFor, type DaemonProcess } from '../support/daemon-process.js';

const dirs: string[] = [];
const daemons: DaemonProcess[] = [];
afterEach(async () => {
  for (const d of daemons.splice(0)) await stopDaemonProcess(d).catch(() => undefined);
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const NS = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n';

function tempDir(): string {
  const dir = fs.mkdtempSync(join(os.tmpdir(), 'pacific-doors-'));
  dirs.push(dir);
  return dir;
}

async function serve(args: readonly string[] = []): Promise<{ d: DaemonProcess; state: string }> {
  const dir = tempDir();
  const repo = initRepoFrom(dir, { 'ns.yaml': NS });
  const state = join(dir, 'state');
  const d = await startDaemonProcess(['--repo', repo, '--state', state, ...args]);
  daemons.push(d);
  return { d, state };
}

/** A GET with a chosen Host header (fetch may not set one). */
function getWithHost(url: string, host: string, token?: string): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname: u.hostname, port: u.port, path: u.pathname, headers: { host, ...(token ? { authorization: `Bearer ${token}` } : {}) }, rejectUnauthorized: false },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the Host header (DNS rebinding)', () => {
  it('answers IP addresses, localhost and --allowed-host names, nothing else', () => {
    const check = hostCheck(['pacific.example.com', '.corp.example']);
    for (const ok of [undefined, '127.0.0.1:8080', '[::1]:8080', '10.0.0.7', 'localhost:8080', 'LOCALHOST', 'app.localhost:1', 'pacific.example.com', 'Pacific.Example.com.:8080', 'corp.example', 'a.b.corp.example']) {
      expect(check(ok), ok).toBeUndefined();
    }
    for (const bad of ['evil.example', 'evil.example:8080', 'pacific.example.com.evil.example', 'localhost.evil.example', 'xcorp.example', '127.0.0.1.nip.io']) {
      expect(check(bad), bad).toMatch(/is not a name of this listener/);
    }
  });

  it('refuses a foreign Host on the HTTP API and the Kubernetes API, and answers one named by --allowed-host', async () => {
    const { d, state } = await serve(['--allowed-host', 'pacific.example.com']);
    const token = fs.readFileSync(join(state, 'token'), 'utf8').trim();
    for (const url of [`${d.url}/inventory/snapshot`, `${d.api}/api/v1/namespaces`]) {
      const refused = await getWithHost(url, 'rebound.attacker.example', token);
      expect(refused.status, url).toBe(403);
      expect(refused.body).toContain('Host \\"rebound.attacker.example\\" is not a name of this listener');
      expect((await getWithHost(url, 'pacific.example.com', token)).status, url).toBe(200);
      expect((await getWithHost(url, new URL(url).host, token)).status, url).toBe(200);
    }
    expect((await getWithHost(`${d.url}/healthz`, 'rebound.attacker.example')).status).toBe(403);
  });
});

/** Every entry of the state dir with permissions beyond its owner's (none expected). */
function openToOthers(state: string): string[] {
  const open = (fs.statSync(state).mode & 0o777) === 0o700 ? [] : [`. ${(fs.statSync(state).mode & 0o777).toString(8)}`];
  for (const name of fs.readdirSync(state)) {
    const mode = fs.statSync(join(state, name)).mode & 0o777;
    if (mode & 0o077) open.push(`${name} ${mode.toString(8)}`);
  }
  return open;
}

describe('secrets at rest', () => {
  it('keeps the state dir 0700 and every file in it 0600, the stores and their WAL included, and restricts an older state dir', async () => {
    const { d, state } = await serve();
    const files = fs.readdirSync(state);
    expect(files).toEqual(expect.arrayContaining(['pacific.db', 'pacific.db-wal', 'kube-api.db', 'kube-api.db-wal', 'token', 'daemon.lock']));
    expect(openToOthers(state)).toEqual([]);
    await stopDaemonProcess(d);
    // As an older pacific left it.
    fs.chmodSync(state, 0o755);
    for (const name of fs.readdirSync(state)) if (fs.statSync(join(state, name)).isFile()) fs.chmodSync(join(state, name), 0o644);
    const repo = join(state, '..', 'gitops.git');
    daemons.push(await startDaemonProcess(['--repo', repo, '--state', state]));
    expect(openToOthers(state)).toEqual([]);
  });
});

describe('the process', () => {
  it('says in one line that a port is in use, and exits 1 leaving the state dir unlocked', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const dir = tempDir();
      const repo = initRepoFrom(dir, { 'ns.yaml': NS });
      const state = join(dir, 'state');
      for (const [flag, other] of [
        ['--listen', '--api-listen'],
        ['--api-listen', '--listen'],
      ] as const) {
        const r = spawnSync(process.execPath, [CLI, 'serve', '--repo', repo, '--state', state, flag, `127.0.0.1:${port}`, other, '127.0.0.1:0'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, PACIFIC_LOG_LEVEL: 'warn' } });
        expect(r.status, r.stderr).toBe(1);
        expect(r.stderr).toBe(`pacific: cannot listen on 127.0.0.1:${port} (${flag}): the address is in use (another pacific, or another server)\n`);
        expect(fs.existsSync(join(state, 'daemon.lock'))).toBe(false);
      }
    } finally {
      blocker.close();
    }
  });

  it('stops cleanly on SIGHUP: exit 0, lock released', async () => {
    const { d, state } = await serve();
    const exited = new Promise<[number | null, string | null]>((r) => d.child.once('exit', (code, signal) => r([code, signal])));
    d.child.kill('SIGHUP');
    expect(await exited).toEqual([0, null]);
    expect(fs.existsSync(join(state, 'daemon.lock'))).toBe(false);
    expect(d.logs.some((l) => l.includes('"signal":"SIGHUP"') && l.includes('stopping'))).toBe(true);
  });

  it('stops cleanly on SIGTERM during the startup pass: the pass ends, the lock is released, exit 0', async () => {
    const dir = tempDir();
    const files: Record<string, string> = {};
    for (let ns = 0; ns < 10; ns++) files[`platform/${namespaceName(ns)}.yaml`] = namespaceManifest(namespaceName(ns));
    for (let i = 0; i < 1500; i++) files[`namespaces/${namespaceName(i % 10)}/${vmName(i)}.yaml`] = vmManifest(namespaceName(i % 10), vmName(i), i);
    const repo = initRepoFrom(dir, files);
    const state = join(dir, 'state');
    const child = spawn(process.execPath, [CLI, 'serve', '--repo', repo, '--state', state, '--listen', '127.0.0.1:0', '--api-listen', 'off'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PACIFIC_LOG_LEVEL: 'info' } });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    const exited = new Promise<[number | null, string | null]>((r) => child.once('exit', (code, signal) => r([code, signal])));
    // The listeners start before the first pass, which applies 1,500 VMs (seconds).
    await waitFor(() => (out.includes('pacific is serving') ? true : undefined), 'the daemon to listen');
    child.kill('SIGTERM');
    expect(await exited).toEqual([0, null]);
    const stopping = out.indexOf('"signal":"SIGTERM"');
    expect(stopping).toBeGreaterThan(0);
    // The signal came during the startup pass: that pass logged its result after it.
    expect(out.indexOf('"revision applied"')).toBeGreaterThan(stopping);
    expect(fs.existsSync(join(state, 'daemon.lock'))).toBe(false);
    // The store is whole: another daemon starts on it.
    daemons.push(await startDaemonProcess(['--repo', repo, '--state', state, '--api-listen', 'off']));
  });

  it('refuses an absurd resize (cpus: 1e308, memory: 1e308Ei) with what vSphere allows', async () => {
    const dir = tempDir();
    const repo = initRepoFrom(dir, { 'ns.yaml': NS });
    const state = join(dir, 'state');
    const d = await startDaemonProcess(['--repo', repo, '--state', state]);
    daemons.push(d);
    const token = fs.readFileSync(join(state, 'token'), 'utf8').trim();
    const resize = (body: unknown) =>
      fetch(`${d.url}/admin/virtualmachines/team-a/web-1/resize`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: await r.text() }));
    expect(await resize({ cpus: 1e308 })).toEqual({ status: 400, body: JSON.stringify({ error: "cpus must be a whole number from 1 to 768 (vSphere's maximum for a VM), not 1e+308" }) });
    expect((await resize({ cpus: 2.5 })).status).toBe(400);
    expect((await resize({ cpus: 0 })).status).toBe(400);
    expect(await resize({ memory: '1e308Ei' })).toMatchObject({ status: 400 });
    expect((await resize({ memory: '32Ti' })).body).toContain('memory must be a quantity from 4Mi to 24Ti');
    // Within the bounds the request reaches the simulator (which has no such VM here).
    expect((await resize({ cpus: 8, memory: '16Gi' })).status).toBe(404);
  });
});
