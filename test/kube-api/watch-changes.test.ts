/**
 * A refresh of the API's view looks only at what a pass changed; a change it failed to look at
 * would be a watch event never sent. Watchers of VMs, VM classes, Nodes, Events and
 * NamespacePolicies follow pushes (a VM created, relabelled, removed; a policy narrowing its
 * classes) and simulator changes (a host in maintenance, a VM powered off behind pacific's back,
 * tasks completing), and after each step what each watcher built from its events is exactly what a
 * fresh LIST answers (names, resourceVersions, objects). The daemon runs with
 * PACIFIC_VERIFY_PASSES=1, so each refresh is also checked against one from scratch.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, initRepoFrom, startDaemonProcess, stopDaemonProcess, waitFor, type DaemonProcess } from '../support/daemon-process.js';
import { vmYaml } from '../support/fixtures.js';
import { git } from '../support/git.js';
import { tempDir } from '../support/temp.js';

const policy = (classes: string) => `apiVersion: v1
kind: Namespace
metadata: {name: team-a}
---
apiVersion: pacific.dev/v1alpha1
kind: NamespacePolicy
metadata: {name: policy, namespace: team-a}
spec:
  vmClasses: [${classes}]
`;

const PATHS = {
  vms: '/apis/vmoperator.vmware.com/v1alpha3/virtualmachines',
  classes: '/apis/vmoperator.vmware.com/v1alpha3/virtualmachineclasses',
  nodes: '/api/v1/nodes',
  events: '/api/v1/events',
  policies: '/apis/pacific.dev/v1alpha1/namespacepolicies',
} as const;
type Watched = keyof typeof PATHS;

interface Item {
  metadata: { name: string; namespace?: string; resourceVersion: string };
  spec?: { unschedulable?: boolean };
  status?: { powerState?: string; host?: string };
}
interface Seen {
  readonly type: string;
  readonly name: string;
  readonly namespace: string | undefined;
  readonly object: Item;
}

let tmp: ReturnType<typeof tempDir>;
let daemon: DaemonProcess;
let work: string;
let agent: Agent;
let token: string;
const stops: (() => void)[] = [];

const nameOf = (o: Item) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

function get(path: string): Promise<{ metadata: { resourceVersion: string }; items: Item[] }> {
  const url = new URL(daemon.api!);
  return new Promise((resolve, reject) => {
    request({ host: url.hostname, port: url.port, path, agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (text: string) => (body += text));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`GET ${path}: ${res.statusCode} ${body}`))));
    })
      .on('error', reject)
      .end();
  });
}

/** A LIST, then a watch from its resourceVersion applied to a copy of it: what the watcher believes is served. */
async function follow(path: string): Promise<{ view: Map<string, Item>; seen: Seen[] }> {
  const list = await get(path);
  const view = new Map(list.items.map((o) => [nameOf(o), o]));
  const seen: Seen[] = [];
  const url = new URL(daemon.api!);
  await new Promise<void>((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: `${path}?watch=true&resourceVersion=${list.metadata.resourceVersion}`, agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`watch ${path}: ${res.statusCode}`));
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (text: string) => {
        buffered += text;
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const event = JSON.parse(buffered.slice(0, nl)) as { type: string; object: Item };
          buffered = buffered.slice(nl + 1);
          seen.push({ type: event.type, name: event.object.metadata.name, namespace: event.object.metadata.namespace, object: event.object });
          if (event.type === 'DELETED') view.delete(nameOf(event.object));
          else view.set(nameOf(event.object), event.object);
        }
      });
      resolve();
    });
    req.on('error', (err) => (String(err).includes('socket hang up') ? undefined : reject(err)));
    req.end();
    stops.push(() => req.destroy());
  });
  return { view, seen };
}

type Followed = Record<Watched, Awaited<ReturnType<typeof follow>>>;

/** Waits until every watcher's view is exactly a fresh LIST (same objects at the same versions). */
async function inSync(followed: Followed, step: string): Promise<void> {
  let last = '';
  await waitFor(
    async () => {
      for (const [what, path] of Object.entries(PATHS)) {
        const listed = (await get(path)).items;
        const view = followed[what as Watched].view;
        const differs = listed.length !== view.size || listed.some((o) => JSON.stringify(view.get(nameOf(o))) !== JSON.stringify(o));
        if (differs) {
          last = `${what}: listed ${listed.map(nameOf).join(', ')}; watched ${[...view.keys()].join(', ')}`;
          return undefined;
        }
      }
      return true;
    },
    `watchers in sync with a LIST after ${step} (${last})`,
    60_000,
  ).catch((err: unknown) => {
    throw new Error(`${(err as Error).message}\nlast difference: ${last}`);
  });
  // Every refresh was checked against one from scratch: a difference would have stopped the daemon.
  expect(daemon.child.exitCode).toBeNull();
}

async function applied(): Promise<void> {
  const head = git(work, 'rev-parse', 'HEAD');
  await waitFor(async () => ((await getJson<{ lastAppliedRevision: string }>(`${daemon.url}/status`)).body.lastAppliedRevision === head ? true : undefined), `revision ${head} applied`, 60_000);
}

function push(files: Record<string, string>, message: string): void {
  for (const [path, text] of Object.entries(files)) writeFileSync(join(work, path), text);
  git(work, 'add', '-A');
  git(work, 'commit', '-qm', message);
  git(work, 'push', '-q', 'origin', 'main');
}

async function admin(path: string): Promise<void> {
  const res = await fetch(`${daemon.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  expect(res.status, `${path}: ${await res.text()}`).toBeLessThan(300);
}

const vms = (names: string[], labels: Record<string, Record<string, string>> = {}) => names.map((n) => vmYaml('team-a', n, { powerState: 'PoweredOn', ...(labels[n] ? { labels: labels[n] } : {}) })).join('---\n');

beforeAll(async () => {
  tmp = tempDir('pacific-watch-changes-');
  const bare = initRepoFrom(tmp.dir, { 'platform/team-a.yaml': policy('best-effort-small, best-effort-medium'), 'namespaces/team-a/vms.yaml': vms(['web-1', 'web-2', 'web-3']) });
  const state = join(tmp.dir, 'state');
  daemon = await startDaemonProcess(['--repo', bare, '--state', state, '--resync', '1h']);
  token = readFileSync(join(state, 'token'), 'utf8').trim();
  agent = new Agent({ ca: readFileSync(join(state, 'api', 'ca.crt'), 'utf8'), keepAlive: true, maxSockets: 20 });
  work = join(tmp.dir, 'work');
  git(tmp.dir, 'clone', '-q', bare, work);
  await applied();
}, 120_000);

afterAll(async () => {
  for (const stop of stops) stop();
  agent?.destroy();
  if (daemon) await stopDaemonProcess(daemon);
  tmp?.cleanup();
});

describe('watch after a change-driven refresh', () => {
  it('tells every watcher each change a LIST shows: pushes, simulator changes and a policy change', async () => {
    const followed = Object.fromEntries(await Promise.all(Object.entries(PATHS).map(async ([what, path]) => [what, await follow(path)] as const))) as Followed;
    const vmEvents = (type: string, name: string) => followed.vms.seen.filter((e) => e.type === type && e.name === name);
    await inSync(followed, 'the start');

    // Created, changed and removed in one push.
    push({ 'namespaces/team-a/vms.yaml': vms(['web-1', 'web-3', 'web-4'], { 'web-1': { tier: 'front' } }) }, 'web-4 in, web-2 out, web-1 relabelled');
    await applied();
    await inSync(followed, 'the push');
    expect(vmEvents('ADDED', 'web-4')).not.toHaveLength(0);
    expect(vmEvents('DELETED', 'web-2')).toHaveLength(1);
    // The daemon timed those events from the apply to each watcher's connection.
    const metrics = await (await fetch(`${daemon.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(Number(/^pacific_api_watch_delivery_seconds_count (\d+)/m.exec(metrics)?.[1] ?? 0)).toBeGreaterThanOrEqual(1);
    expect(vmEvents('MODIFIED', 'web-1').some((e) => (e.object as { metadata: { labels?: Record<string, string> } }).metadata.labels?.['tier'] === 'front')).toBe(true);
    // web-4's tasks complete after the apply: passes that change only statuses.
    await waitFor(async () => ((await get(`${PATHS.vms}`)).items.find((o) => o.metadata.name === 'web-4')?.status?.powerState === 'PoweredOn' ? true : undefined), 'web-4 powered on', 30_000);
    await inSync(followed, 'web-4 starting');

    // The simulator: a host in maintenance is a Node change; a VM powered off behind pacific's back is a status change.
    const host = (await get(PATHS.nodes)).items[0]!.metadata.name;
    await admin(`/admin/hosts/${host}/enter-maintenance`);
    await waitFor(async () => ((await get(PATHS.nodes)).items.find((o) => o.metadata.name === host)?.spec?.unschedulable ? true : undefined), `${host} unschedulable`);
    await inSync(followed, 'a host entering maintenance');
    expect(followed.nodes.seen.some((e) => e.type === 'MODIFIED' && e.name === host && e.object.spec?.unschedulable)).toBe(true);
    // Powered off behind pacific's back: the next pass powers it on again (the status ends as it was) and says so in events.
    await admin('/admin/virtualmachines/team-a/web-3/power-off');
    await admin('/reconcile');
    await waitFor(() => (followed.events.seen.some((e) => e.type === 'ADDED' && e.name.startsWith('web-3.')) ? true : undefined), 'an event about web-3');
    await inSync(followed, 'a VM powered off and the pass after it');
    // Its host fails: web-3's status changes with no commit.
    const web3 = async () => (await get(PATHS.vms)).items.find((o) => o.metadata.name === 'web-3')!;
    const before = await web3();
    const runsOn = before.status!.host!;
    await admin(`/admin/hosts/${runsOn}/fail`);
    await waitFor(async () => (JSON.stringify((await web3()).status) !== JSON.stringify(before.status) ? true : undefined), `web-3's status after ${runsOn} failed`);
    await inSync(followed, 'a host failing');
    expect(vmEvents('MODIFIED', 'web-3').some((e) => Number(e.object.metadata.resourceVersion) > Number(before.metadata.resourceVersion))).toBe(true);
    await admin(`/admin/hosts/${runsOn}/recover`);
    await admin('/reconcile');
    await inSync(followed, 'the host recovering');
    await admin(`/admin/hosts/${host}/exit-maintenance`);
    await inSync(followed, 'a host leaving maintenance');

    // A namespace's policy narrows its classes: the class it no longer binds goes away for its watchers.
    push({ 'platform/team-a.yaml': policy('best-effort-small') }, 'team-a: small VMs only');
    await applied();
    await inSync(followed, 'the policy change');
    expect(followed.classes.seen.filter((e) => e.type === 'DELETED' && e.namespace === 'team-a').map((e) => e.name)).toEqual(['best-effort-medium']);
    expect(followed.policies.seen.some((e) => e.type === 'MODIFIED' && e.namespace === 'team-a')).toBe(true);
    expect(followed.events.seen.some((e) => e.type === 'ADDED')).toBe(true);

    // Versions only grow along each watch: a watcher never goes back.
    for (const { seen } of Object.values(followed)) {
      const versions = seen.map((e) => Number(e.object.metadata.resourceVersion));
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
    }
  }, 300_000);
});
