/**
 * The status listener keeps the Kubernetes API's rules: every endpoint × the VI admin, an editor
 * and a viewer of team-a, the owner of team-b (another tenant) and no token. Tenants see their
 * namespaces only; Secret values reach the VI admin only; health is open; metrics are the admin's.
 */
import { load } from 'js-yaml';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, writeFileSync } from 'node:fs';
import { ROUTES } from '../../daemon/server/routes.js';
import { getJson, initRepoFrom, runCli, startDaemonProcess, stopDaemonProcess, waitFor, type DaemonProcess } from '../support/daemon-process.js';
import { vmYaml } from '../support/fixtures.js';
import { git } from '../support/git.js';
import { tempDir } from '../support/temp.js';

const POLICY = (ns: string, permissions: string) => `apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
apiVersion: pacific.dev/v1alpha1
kind: NamespacePolicy
metadata: {name: policy, namespace: ${ns}}
spec:
  permissions: ${permissions}
`;

const SECRET = 'apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: team-a}\nstringData: {password: door-secret-42}\n';

let tmp: ReturnType<typeof tempDir>;
let daemon: DaemonProcess;
let bare: string;
let state: string;
const tokens: Record<string, string | undefined> = {};

type Who = 'admin' | 'edit' | 'view' | 'otherTenant' | 'none';
const WHO: readonly Who[] = ['admin', 'edit', 'view', 'otherTenant', 'none'];

const as = (who: Who): RequestInit => ({ headers: { authorization: tokens[who] ? `Bearer ${tokens[who]}` : '' } });

beforeAll(async () => {
  tmp = tempDir('pacific-doors-');
  bare = initRepoFrom(tmp.dir, {
    'platform/team-a.yaml': POLICY('team-a', '[{subject: {kind: Group, name: devs}, role: edit}, {subject: {kind: Group, name: auditors}, role: view}]'),
    'platform/team-b.yaml': POLICY('team-b', '[{subject: {kind: User, name: bob}, role: owner}]'),
    'namespaces/team-a/web.yaml': vmYaml('team-a', 'web-1'),
    'namespaces/team-a/secret.yaml': SECRET,
    'namespaces/team-b/ci.yaml': vmYaml('team-b', 'ci-1'),
  });
  state = join(tmp.dir, 'state');
  daemon = await startDaemonProcess(['--repo', bare, '--state', state, '--resync', '1h'], { PACIFIC_LOG_LEVEL: 'debug' });
  await waitFor(async () => ((await getJson<{ lastAppliedRevision: string | null }>(`${daemon.url}/status`)).body.lastAppliedRevision ? true : undefined), 'first pass');
  const token = (args: string[]) => (load(runCli(['kubeconfig', '--state', state, ...args]).stdout) as { users: { user: { token: string } }[] }).users[0]!.user.token;
  tokens['admin'] = token([]);
  tokens['edit'] = token(['--user', 'carol', '--group', 'devs']);
  tokens['view'] = token(['--user', 'dan', '--group', 'auditors']);
  tokens['otherTenant'] = token(['--user', 'bob']);
}, 120_000);

afterAll(async () => {
  if (daemon) await stopDaemonProcess(daemon);
  tmp?.cleanup();
});

describe('the status listener, endpoint × identity', () => {
  it('serves health to anyone', async () => {
    for (const who of WHO) for (const path of ['/healthz', '/readyz']) expect((await fetch(`${daemon.url}${path}`, as(who))).status, `${path} ${who}`).toBe(200);
  });

  it('refuses every read without a token (401) or with a bad one', async () => {
    for (const path of ['/status', '/status/summary', '/status/objects', '/status/objects/VirtualMachine/team-a/web-1', '/status/version', '/events', '/inventory', '/inventory/snapshot', '/metrics']) {
      expect((await fetch(`${daemon.url}${path}`)).status, path).toBe(401);
      expect((await fetch(`${daemon.url}${path}`, { headers: { authorization: `Bearer ${tokens['edit']!.slice(0, -2)}xx` } })).status, path).toBe(401);
    }
  });

  it('cuts /status to the identity\'s namespaces', async () => {
    const names = async (who: Who) => ((await getJson<{ objects: { kind: string; namespace: string; name: string }[] }>(`${daemon.url}/status`, as(who))).body.objects ?? []).map((o) => `${o.kind}/${o.namespace || o.name}`);
    const all = await names('admin');
    expect(all).toEqual(expect.arrayContaining(['VirtualMachine/team-a', 'VirtualMachine/team-b', 'Namespace/team-b']));
    for (const who of ['edit', 'view'] as const) {
      const seen = await names(who);
      expect(seen, who).toContain('VirtualMachine/team-a');
      expect(seen.filter((n) => n.endsWith('team-b')), who).toEqual([]);
    }
    const bob = await names('otherTenant');
    expect(bob).toContain('VirtualMachine/team-b');
    expect(bob.filter((n) => n.endsWith('team-a'))).toEqual([]);
    const events = (await getJson<{ events: { object: string; message: string }[] }>(`${daemon.url}/status`, as('otherTenant'))).body.events;
    expect(events.some((e) => e.object.includes('/team-a/') || e.message.includes('team-a'))).toBe(false);
  });

  it('cuts /inventory to the identity\'s namespaces, with pod VMs and disks listed', async () => {
    const inventory = async (who: Who) => (await getJson<{ virtualMachines: { namespace: string }[]; namespaces: { name: string }[]; podVMs: unknown[]; disks: unknown[] }>(`${daemon.url}/inventory`, as(who))).body;
    const admin = await inventory('admin');
    expect(admin.virtualMachines.map((v) => v.namespace).sort()).toEqual(['team-a', 'team-b']);
    expect(admin).toHaveProperty('podVMs');
    expect(admin).toHaveProperty('disks');
    for (const [who, ns] of [['edit', 'team-a'], ['view', 'team-a'], ['otherTenant', 'team-b']] as const) {
      const seen = await inventory(who);
      expect(seen.virtualMachines.map((v) => v.namespace), who).toEqual([ns]);
      expect(seen.namespaces.map((n) => n.name), who).toEqual([ns]);
    }
  });

  it('serves Secret values in /inventory/snapshot to the VI admin only', async () => {
    const snapshot = async (who: Who) => JSON.stringify((await getJson(`${daemon.url}/inventory/snapshot`, as(who))).body);
    expect(await snapshot('admin')).toContain('door-secret-42');
    for (const who of ['edit', 'view'] as const) {
      const text = await snapshot(who);
      expect(text, who).toContain('"Secret/db"');
      expect(text, who).not.toContain('door-secret-42');
      expect(text, who).not.toContain('ci-1');
    }
    const bob = await snapshot('otherTenant');
    expect(bob).not.toContain('"Secret/db"');
    expect(bob).toContain('ci-1');
    expect(bob).not.toContain('web-1');
  });

  it('cuts the light endpoints (summary, objects, one object, events) as /status', async () => {
    type Items = { items: { kind: string; metadata: { namespace?: string; name: string } }[] };
    const namespacesIn = (list: Items) => [...new Set(list.items.map((o) => o.metadata.namespace ?? o.metadata.name))].sort();
    expect(namespacesIn((await getJson<Items>(`${daemon.url}/status/objects`, as('admin'))).body)).toEqual(['team-a', 'team-b']);
    for (const [who, ns, other] of [['edit', 'team-a', 'team-b'], ['view', 'team-a', 'team-b'], ['otherTenant', 'team-b', 'team-a']] as const) {
      expect(namespacesIn((await getJson<Items>(`${daemon.url}/status/objects`, as(who))).body), who).toEqual([ns]);
      const summary = (await getJson<{ namespaces: { name: string }[] }>(`${daemon.url}/status/summary`, as(who))).body;
      expect(summary.namespaces.map((n) => n.name), who).toEqual([ns]);
      const refused = await getJson<{ error: string }>(`${daemon.url}/status/objects?namespace=${other}`, as(who));
      expect(refused.status, who).toBe(403);
      expect(refused.body.error, who).toContain(`no NamespacePolicy permission of namespace ${other}`);
      expect((await fetch(`${daemon.url}/status/objects/VirtualMachine/${other}/${other === 'team-a' ? 'web-1' : 'ci-1'}`, as(who))).status, who).toBe(403);
      const events = (await getJson<{ items: { object: string; message: string }[] }>(`${daemon.url}/events?after=0`, as(who))).body.items;
      expect(events.length, who).toBeGreaterThan(0);
      expect(events.some((e) => e.object.includes(`/${other}/`) || e.message.includes(other)), who).toBe(false);
    }
    expect((await getJson(`${daemon.url}/status/objects/VirtualMachine/team-a/web-1`, as('edit'))).body).toMatchObject({ kind: 'VirtualMachine', metadata: { name: 'web-1', namespace: 'team-a' } });
    expect((await fetch(`${daemon.url}/status/objects/VirtualMachine/team-a/nope`, as('edit'))).status).toBe(404);
    const secret = JSON.stringify((await getJson(`${daemon.url}/status/objects?kind=secret`, as('admin'))).body);
    expect(secret).toContain('"name":"db"');
    expect(secret).not.toContain('door-secret-42');
  });

  it('shows a Secret value nowhere once it changes: no endpoint but the VI admin\'s snapshot, no log line, no CLI output', async () => {
    const work = join(tmp.dir, 'work');
    git(tmp.dir, 'clone', '-q', bare, work);
    writeFileSync(join(work, 'namespaces/team-a/secret.yaml'), SECRET.replace('door-secret-42', 'door-secret-43'));
    git(work, 'commit', '-qam', 'rotate the password');
    git(work, 'push', '-q', 'origin', 'main');
    const head = git(work, 'rev-parse', 'HEAD');
    await waitFor(async () => ((await getJson<{ lastAppliedRevision: string | null }>(`${daemon.url}/status`, as('admin'))).body.lastAppliedRevision === head ? true : undefined), 'the rotation applied');
    const planted = /door-secret-4[23]/;
    const gets = ROUTES.filter((r) => r.method === 'GET' && r.example);
    expect(gets.length).toBeGreaterThan(8);
    for (const route of gets)
      for (const who of WHO) {
        if (route.example === '/inventory/snapshot' && who === 'admin') continue; // what diff --server plans with
        const body = await (await fetch(`${daemon.url}${route.example!}`, as(who))).text();
        expect(body, `${route.example!} as ${who}`).not.toMatch(planted);
      }
    expect(daemon.logs.join('\n')).toContain('Secret/team-a/db configured');
    expect(daemon.logs.join('\n')).not.toMatch(planted);
    const cli = (args: string[]) => runCli([...args, '--server', daemon.url, '--token', tokens['admin']!]);
    for (const args of [['status'], ['events'], ['history'], ['get', 'secret', '-n', 'team-a', '-o', 'json']]) expect(cli(args).stdout, args.join(' ')).not.toMatch(planted);
    const edited = join(tmp.dir, 'edited');
    cpSync(work, edited, { recursive: true, filter: (path) => !path.includes('/.git') });
    writeFileSync(join(edited, 'namespaces/team-a/secret.yaml'), SECRET.replace('door-secret-42', 'door-secret-44'));
    for (const output of ['text', 'json']) {
      const diff = cli(['diff', edited, '-o', output]);
      expect(diff.stdout, `diff -o ${output}`).toContain('stringData.password');
      expect(diff.stdout + diff.stderr, `diff -o ${output}`).not.toMatch(/door-secret-4[234]/);
    }
  });

  it('serves /metrics to the VI admin (403 to tenants)', async () => {
    const status = async (who: Who) => (await fetch(`${daemon.url}/metrics`, as(who))).status;
    expect(await status('admin')).toBe(200);
    for (const who of ['edit', 'view', 'otherTenant'] as const) expect(await status(who), who).toBe(403);
  });
});
