/**
 * Every state-changing route of the route table, sent to a real `pacific serve` on 127.0.0.1:0
 * without the token and with a wrong one: each is refused with 401 and nothing changes. The list
 * comes from `ROUTES`, so a route added to the table is checked here without anyone writing a case.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changesState, findRoute, ROUTES } from '../../daemon/server/routes.js';
import { parseListen } from '../../daemon/server/http.js';
import { getJson, initRepoFrom, runCli, startDaemonProcess, stopDaemonProcess, type DaemonProcess } from '../support/daemon-process.js';
import { namespaceYaml, vmYaml } from '../support/fixtures.js';
import { send } from '../support/http-client.js';
import { tempDir } from '../support/temp.js';

// Webhooks prove themselves by signature, not the token: test/receivers/ checks them.
const writeRoutes = ROUTES.filter((r) => changesState(r.method) && !r.signed);

let tmp: ReturnType<typeof tempDir>;
let daemon: DaemonProcess;

beforeAll(async () => {
  tmp = tempDir('pacific-write-routes-');
  // The routes' examples name team-a/web-1 and esx-01: they exist, so a request let through would show.
  const bare = initRepoFrom(tmp.dir, { 'namespaces/team-a/namespace.yaml': namespaceYaml('team-a'), 'namespaces/team-a/web-1.yaml': vmYaml('team-a', 'web-1') });
  daemon = await startDaemonProcess(['--repo', bare, '--state', join(tmp.dir, 'state'), '--resync', '1h']);
});

afterAll(async () => {
  if (daemon) await stopDaemonProcess(daemon);
  tmp?.cleanup();
});

describe('state-changing routes', () => {
  it('are the non-GET rows of the route table, each example reaching its own row', () => {
    expect(writeRoutes.map((r) => `${r.method} ${r.example}`)).toContain('POST /reconcile');
    expect(writeRoutes.length).toBeGreaterThanOrEqual(10);
    for (const r of ROUTES) expect(findRoute(r.method, r.example)).toMatchObject({ route: r });
  });

  it('refuse every request without the token or with a wrong one (401), and change nothing', async () => {
    const before = await getJson(`${daemon.url}/inventory/snapshot`);
    const token = readFileSync(join(tmp.dir, 'state', 'token'), 'utf8').trim();
    const wrong = token.slice(0, -1) + (token.endsWith('0') ? '1' : '0'); // as long as the real one
    const answers: string[] = [];
    for (const r of writeRoutes) {
      for (const authorization of [undefined, `Bearer ${wrong}`, 'Basic cGFjaWZpYzpwYWNpZmlj', 'Bearer ']) {
        const response = await send(daemon.url + r.example, {
          method: r.method,
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body: '{"cpus": 8, "revision": "0000000000000000000000000000000000000000"}',
        });
        answers.push(`${r.method} ${r.example} ${authorization ?? '(none)'}: ${response.status} ${response.headers['www-authenticate'] ?? ''}`);
        expect(response.status, answers.at(-1)).toBe(401);
        expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="pacific"/);
        expect(JSON.parse(response.text)).toHaveProperty('error');
      }
    }
    expect((await getJson(`${daemon.url}/inventory/snapshot`)).body).toEqual(before.body);
  });

  it('are served on 127.0.0.1 unless --listen says otherwise', () => {
    expect(new URL(daemon.url).hostname).toBe('127.0.0.1');
    expect(parseListen('8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseListen(':8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(runCli(['serve', '--help']).stdout).toContain('127.0.0.1:8080');
  });
});
