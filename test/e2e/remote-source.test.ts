/**
 * The real daemon following a repository on a Git host: `git http-backend` behind HTTPS with basic
 * auth and a private CA. A push is fetched and applied; a host that goes away is a FetchFailed
 * condition while the last revision stays applied; kill -9 during a fetch and a restart converge;
 * the password appears in no log line and no status.
 */
import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send } from '../support/http-client.js';
import { getJson, runCli, startDaemonProcess, stopDaemonProcess, waitFor, type DaemonProcess } from '../support/daemon-process.js';
import { git } from '../support/git.js';
import { tempDir } from '../support/temp.js';
import { makeTestCa, startGitHttpServer, type GitHttpServer } from '../support/git-servers.js';

interface Status {
  source: { repo: string; branch: string };
  lastAppliedRevision?: string;
  conditions: { type: string; status: string; reason: string; message: string }[];
  events: { reason: string; message: string }[];
  receivers?: { path: string; source: string; ref: string; secretFile: string }[];
}

const PASSWORD = 'correct-horse-battery-staple';

let tmp: ReturnType<typeof tempDir>;
let server: GitHttpServer;
let daemon: DaemonProcess | undefined;
let work: string;
let bare: string;
let args: string[];

const status = async (d = daemon!) => (await getJson<Status>(`${d.url}/status`)).body;
const applied = (revision: string, timeoutMs = 30_000) => waitFor(async () => ((await status()).lastAppliedRevision === revision ? true : undefined), `revision ${revision.slice(0, 12)} applied`, timeoutMs);

function push(file: string, text: string, message: string): string {
  writeFileSync(join(work, file), text);
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', message);
  git(work, 'push', '-q', 'origin', 'main');
  return git(work, 'rev-parse', 'HEAD');
}

beforeAll(async () => {
  tmp = tempDir('pacific-remote-e2e-');
  bare = join(tmp.dir, 'host', 'gitops.git');
  expect(runCli(['init', bare]).code).toBe(0);
  work = join(tmp.dir, 'work');
  git(tmp.dir, 'clone', '-q', bare, work);
  const ca = makeTestCa(join(tmp.dir, 'ca'));
  server = await startGitHttpServer(join(tmp.dir, 'host'), { tls: ca, users: { pacific: PASSWORD } });
  writeFileSync(join(tmp.dir, 'password'), PASSWORD);
  const credentials = join(tmp.dir, 'credentials.yaml');
  writeFileSync(credentials, `credentials:\n  - url: ${server.url}/\n    username: pacific\n    passwordFile: password\n    caFile: ${ca.caFile}\n`, { mode: 0o600 });
  args = ['--repo', `${server.url}/gitops.git`, '--credentials', credentials, '--interval', '500ms', '--fetch-timeout', '10s', '--state', join(tmp.dir, 'state'), '--resync', '1h'];
  daemon = await startDaemonProcess(args);
});

afterAll(async () => {
  if (daemon) await stopDaemonProcess(daemon);
  await server?.close();
  tmp?.cleanup();
});

describe('pacific serve --repo https://…', () => {
  it('applies the remote head at start and follows a push', async () => {
    await applied(git(work, 'rev-parse', 'HEAD'));
    const s = await status();
    expect(s.source).toMatchObject({ repo: `${server.url}/gitops.git`, branch: 'main' });
    expect(s.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True' });
    const next = push('namespaces/team-a/note.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: note\n  namespace: team-a\ndata:\n  a: "1"\n', 'a ConfigMap');
    await applied(next);
  });

  it('reports a host that goes away as FetchFailed, keeps the last revision applied, and recovers', async () => {
    const before = (await status()).lastAppliedRevision;
    server.down();
    try {
      // A fetch cut mid-stream says so first; the next ones find nobody listening.
      const failed = await waitFor(async () => (await status()).conditions.find((c) => c.type === 'FetchFailed' && c.message.includes('Failed to connect')), 'FetchFailed');
      expect(failed).toMatchObject({ status: 'True', reason: 'GitOperationFailed', message: expect.stringContaining(`fetch of ${server.url}/gitops.git failed: host unreachable`) });
      const s = await status();
      expect(s.lastAppliedRevision).toBe(before);
      expect(s.conditions.find((c) => c.type === 'SourceReady')).toMatchObject({ status: 'True' });
      expect(s.events.some((e) => e.reason === 'FetchFailed')).toBe(true);
    } finally {
      await server.up();
    }
    const next = push('namespaces/team-a/note.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: note\n  namespace: team-a\ndata:\n  a: "2"\n', 'after the outage');
    await applied(next);
    const s = await status();
    expect(s.conditions.find((c) => c.type === 'FetchFailed')).toBeUndefined();
    expect(s.events.some((e) => e.reason === 'FetchSucceeded')).toBe(true);
  });

  it('converges after kill -9 during a fetch', async () => {
    server.delay(3000);
    const next = push('namespaces/team-a/note.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: note\n  namespace: team-a\ndata:\n  a: "3"\n', 'killed while fetched');
    const seen = server.requests.length;
    // A fetch is under way once a request waits in the server.
    await waitFor(() => (server.requests.slice(seen).some((r) => r.startsWith('(delayed')) ? true : undefined), 'a fetch in progress');
    await stopDaemonProcess(daemon!, 'SIGKILL');
    const logs = daemon!.logs;
    server.delay(0);
    daemon = await startDaemonProcess(args);
    await applied(next);
    for (const line of [...logs, ...daemon.logs]) expect(line).not.toContain(PASSWORD);
    const shown = JSON.stringify(await status());
    expect(shown).not.toContain(PASSWORD);
    expect(shown).not.toContain(Buffer.from(`pacific:${PASSWORD}`).toString('base64'));
    expect(readFileSync(join(tmp.dir, 'state', 'token'), 'utf8')).not.toContain(PASSWORD);
  });

  it('fetches at once on a GitHub push webhook; a bad signature or an unknown id does nothing', async () => {
    // A slow schedule, so only the webhook can bring the push in time.
    await stopDaemonProcess(daemon!);
    daemon = await startDaemonProcess(args.map((a) => (a === '500ms' ? '1h' : a)));
    const [receiver] = (await status()).receivers ?? [];
    expect(receiver).toMatchObject({ path: expect.stringMatching(/^\/hooks\/[0-9a-f]{64}$/), source: `${server.url}/gitops.git`, ref: 'branch main' });
    const secret = readFileSync(receiver!.secretFile, 'utf8').trim();
    const next = push('namespaces/team-a/note.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: note\n  namespace: team-a\ndata:\n  a: "webhook"\n', 'announced by a webhook');
    const body = JSON.stringify({ ref: 'refs/heads/main', after: next, repository: { clone_url: `${server.url}/gitops.git` } });
    const headers = (signature: string) => ({ 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': signature });
    // What the start's fetches ask for settles first (2 s without a request: a loaded machine
    // pauses longer than 0.5 s between a fetch's round trips), then nothing may ask more.
    let before = -1;
    while (before !== server.requests.length) {
      before = server.requests.length;
      await new Promise((r) => setTimeout(r, 2000));
    }
    const forged = await send(`${daemon.url}${receiver!.path}`, { method: 'POST', headers: headers(`sha256=${createHmac('sha256', 'guess').update(body).digest('hex')}`), body });
    expect(forged.status).toBe(401);
    const unknown = await send(`${daemon.url}/hooks/${'a'.repeat(64)}`, { method: 'POST', headers: headers(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`), body });
    expect(unknown.status).toBe(404);
    await new Promise((r) => setTimeout(r, 300));
    expect(server.requests.length).toBe(before);

    const sent = Date.now();
    const accepted = await send(`${daemon.url}${receiver!.path}`, { method: 'POST', headers: headers(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`), body });
    expect(accepted.status).toBe(202);
    await applied(next);
    const elapsed = Date.now() - sent;
    console.log(`webhook → applied: ${elapsed} ms (fetch over HTTPS included)`);
    const metrics = await (await fetch(`${daemon.url}/metrics`, { headers: { authorization: `Bearer ${readFileSync(join(tmp.dir, 'state', 'token'), 'utf8').trim()}` } })).text();
    expect(metrics).toMatch(/pacific_webhook_to_applied_seconds_count 1\b/);
  });
});
