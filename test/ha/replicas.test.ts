/**
 * Three `pacific serve --store etcd://…` processes on a real three-member etcd: one leads and
 * applies, the two others follow the store's watch and serve it; a push reaches all three; a
 * kill -9 of the leader hands the lead to a follower, which applies the next push without reading
 * the store again; a SIGTERM resigns and the next replica leads at once.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namespaceManifest, vmManifest } from '../../bench/generate-repo.js';
import { getJson, initRepoFrom, startDaemonProcess, stopDaemonProcess, waitFor, type DaemonProcess } from '../support/daemon-process.js';
import { git } from '../support/git.js';
import { etcdMissing, startEtcd, type EtcdCluster } from '../support/etcd.js';
import { tempDir } from '../support/temp.js';

if (etcdMissing) console.warn(`SKIPPED: ${etcdMissing}`);

interface Status {
  lastAppliedRevision: string | null;
  replica: { role: 'leader' | 'follower'; identity: string; leader: string | null; revision: number; lagRevisions: number; lease: { ttlSeconds: number } };
}

describe.skipIf(!!etcdMissing)('three replicas on a three-member etcd', () => {
  const tmp = tempDir('pacific-ha-');
  const work = join(tmp.dir, 'work');
  let etcd: EtcdCluster;
  let bare: string;
  const replicas = new Map<string, DaemonProcess>();

  const start = async (name: string) => {
    const d = await startDaemonProcess(['--repo', bare, '--state', join(tmp.dir, name), '--store', `etcd://${etcd.endpoints.map((e) => e.slice('http://'.length)).join(',')}`, '--replica-id', name, '--lease', '2s', '--resync', '5s', '--api-listen', 'off']);
    replicas.set(name, d);
    return d;
  };
  const status = async (name: string) => (await getJson<Status>(`${replicas.get(name)!.url}/status`)).body;
  const live = () => [...replicas.entries()].filter(([, d]) => d.child.exitCode === null && d.child.signalCode === null);
  const leaderName = async () => {
    for (const [name] of live()) if ((await status(name).catch(() => undefined))?.replica.role === 'leader') return name;
    return undefined;
  };
  const push = (i: number) => {
    writeFileSync(join(work, 'namespaces', 'team-a', `vm-${i}.yaml`), vmManifest('team-a', `vm-${i}`, i));
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', `vm-${i}`);
    git(work, 'push', '-q', 'origin', 'main');
    return git(work, 'rev-parse', 'HEAD');
  };
  /** Every live replica reports `head` applied, and the followers hold the VM in their inventory. */
  const allApplied = (head: string, vm: string) =>
    waitFor(
      async () => {
        for (const [name, d] of live()) {
          if ((await status(name)).lastAppliedRevision !== head) return undefined;
          const inventory = (await getJson<{ virtualMachines: { name: string }[] }>(`${d.url}/inventory`)).body;
          if (!inventory.virtualMachines.some((v) => v.name === vm)) return undefined;
        }
        return true;
      },
      `every replica applied ${head}`,
      30_000,
    );

  beforeAll(async () => {
    etcd = await startEtcd(3);
    bare = initRepoFrom(tmp.dir, { 'platform/team-a.yaml': namespaceManifest('team-a'), 'namespaces/team-a/vm-0.yaml': vmManifest('team-a', 'vm-0', 0) });
    git(tmp.dir, 'clone', '-q', bare, work);
    mkdirSync(join(work, 'namespaces', 'team-a'), { recursive: true });
    for (const name of ['r1', 'r2', 'r3']) await start(name);
  });

  afterAll(async () => {
    for (const [, d] of live()) await stopDaemonProcess(d, 'SIGKILL').catch(() => undefined);
    await etcd?.stop();
    tmp.cleanup();
  });

  it('one leads and the others follow a push, serving it at a stated revision', async () => {
    const head = push(1);
    await allApplied(head, 'vm-1');
    const statuses = await Promise.all(['r1', 'r2', 'r3'].map(status));
    const leaders = statuses.filter((s) => s.replica.role === 'leader');
    expect(leaders).toHaveLength(1);
    for (const s of statuses) {
      expect(s.replica.leader).toBe(leaders[0]!.replica.identity);
      expect(s.replica.revision).toBeGreaterThan(0);
      expect(s.replica.lease.ttlSeconds).toBe(2);
    }
    const metrics = await (await fetch(`${replicas.get(leaders[0]!.replica.identity)!.url}/metrics`, { headers: { authorization: `Bearer ${(await import('node:fs')).readFileSync(join(tmp.dir, leaders[0]!.replica.identity, 'token'), 'utf8').trim()}` } })).text();
    expect(metrics).toMatch(/pacific_replica_leader\{identity="r\d"\} 1/);
    expect(metrics).toMatch(/pacific_store_revision \d+/);
  });

  it('after kill -9 of the leader a follower takes the lead and applies the next push', async () => {
    const old = (await leaderName())!;
    const killedAt = Date.now();
    await stopDaemonProcess(replicas.get(old)!, 'SIGKILL');
    const next = await waitFor(leaderName, 'a new leader', 20_000);
    const failoverMs = Date.now() - killedAt;
    expect(next).not.toBe(old);
    // The 2 s lease ends, then the follower that wins takes over at once.
    expect(failoverMs).toBeLessThan(10_000);
    const head = push(2);
    await allApplied(head, 'vm-2');
    // The killed replica comes back as a follower and catches up.
    await start(old);
    await allApplied(head, 'vm-2');
    expect((await status(old)).replica.role).toBe('follower');
  });

  it('SIGTERM resigns: another replica leads at once', async () => {
    const old = (await leaderName())!;
    await stopDaemonProcess(replicas.get(old)!);
    const stoppedAt = Date.now();
    const next = await waitFor(leaderName, 'a new leader', 10_000);
    expect(next).not.toBe(old);
    // Under the 2 s lease: the key went with the revoked lease, before the process ended.
    expect(Date.now() - stoppedAt).toBeLessThan(1_500);
    const head = push(3);
    await allApplied(head, 'vm-3');
  });
});
