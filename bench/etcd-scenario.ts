/**
 * The distributed store beside SQLite, in the bench's run: a three-member etcd on loopback, a daemon
 * on `--store etcd://…` with the same repo and topology as the SQLite scenario, its cold reconcile and
 * push-to-applied; then two more replicas follow, and the leader is killed (`kill -9`) `trials`
 * times, each time timing kill → a pushed revision applied by the replica that takes the lead
 * (target ≤ 5 s with the default 5 s lease), the killed one started again as a follower.
 */
import { join } from 'node:path';
import { measureColdReconcile, type ColdResult } from './cold-reconcile.js';
import { spawnDaemon, type DaemonChild } from './daemon-child.js';
import { etcdMissing, startEtcd } from './etcd-cluster.js';
import { scrape } from './daemon-client.js';
import { commitPowerFlip, type FixtureRepo } from './fixture-repo.js';
import { git } from './git-cli.js';
import { measurePushToApplied, type PushResult } from './push-to-applied.js';
import { sumOf } from './prom-text.js';
import { median } from './stats.js';

export type EtcdResult = { readonly skipped: string } | { readonly cold: ColdResult; readonly push: PushResult; readonly failoverMs: readonly number[]; readonly failoverMedianMs: number; readonly lease: string };

/** A replica's applied revision (`/status/summary`, light at any size), or undefined while it does not answer. */
async function appliedBy(d: DaemonChild): Promise<string | null | undefined> {
  try {
    const res = await fetch(`${d.url}/status/summary`, { headers: { authorization: `Bearer ${d.token()}` }, signal: AbortSignal.timeout(2000) });
    return res.ok ? ((await res.json()) as { lastAppliedRevision: string | null }).lastAppliedRevision : undefined;
  } catch {
    return undefined;
  }
}

async function leads(d: DaemonChild): Promise<boolean> {
  const samples = await scrape(d).catch(() => []);
  return sumOf(samples, 'pacific_replica_leader') === 1;
}

const LEASE = '5s';

async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>, alive: () => void): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    alive();
    const value = await check();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function runEtcdScenario(repo: FixtureRepo, topologyFile: string, root: string, options: { pushes: number; trials: number; timeoutMs: number; progress: (line: string) => void }): Promise<EtcdResult> {
  if (etcdMissing) return { skipped: etcdMissing };
  const etcd = await startEtcd(3);
  const store = `etcd://${etcd.endpoints.map((e) => e.slice('http://'.length)).join(',')}`;
  // The live replicas: a killed leader leaves the list as it is killed.
  const replicas: DaemonChild[] = [];
  // A replica that exits on its own is a failure of the run, with its log.
  const assertAlive = () => {
    for (const d of replicas) d.assertAlive();
  };
  const spawnReplica = async (name: string) => {
    const d = await spawnDaemon({ repo: repo.bareDir, stateDir: join(root, `etcd-${name}`), topologyFile, args: ['--store', store, '--replica-id', name, '--lease', LEASE] });
    replicas.push(d);
    return d;
  };
  try {
    options.progress(`etcd: cold reconcile of ${repo.size.vms} VMs on a 3-member etcd`);
    const first = await spawnReplica('r1');
    const cold = await measureColdReconcile(first, git(repo.bareDir, 'rev-parse', 'main'), repo.size.vms, { probe: 'metrics', timeoutMs: options.timeoutMs });
    options.progress(`etcd: push-to-applied × ${options.pushes}`);
    const push = await measurePushToApplied(first, repo, { iterations: options.pushes, probe: 'metrics', timeoutMs: options.timeoutMs });
    for (const name of ['r2', 'r3']) await spawnReplica(name);
    const failoverMs: number[] = [];
    for (let trial = 0; trial < options.trials; trial++) {
      // Every replica in step with the head before the kill: the one taking the lead has nothing to catch up.
      const head = git(repo.bareDir, 'rev-parse', 'main');
      await until('the replicas in step', options.timeoutMs, async () => ((await Promise.all(replicas.map(appliedBy))).every((r) => r?.endsWith(head)) ? true : undefined), assertAlive);
      const leader = await until('a leader', options.timeoutMs, async () => {
        for (const d of replicas) if (await leads(d)) return d;
        return undefined;
      }, assertAlive);
      const revision = commitPowerFlip(repo, (trial * 104729 + 7) % repo.size.vms);
      replicas.splice(replicas.indexOf(leader), 1);
      leader.child.kill('SIGKILL');
      const killed = performance.now();
      git(repo.cloneDir, 'push', '-q', 'origin', 'main');
      await until(`revision ${revision} applied after the kill`, options.timeoutMs, async () => ((await Promise.all(replicas.map(appliedBy))).some((r) => r?.endsWith(revision)) ? true : undefined), assertAlive);
      failoverMs.push(performance.now() - killed);
      options.progress(`etcd: failover ${trial + 1}/${options.trials}: ${Math.round(failoverMs.at(-1)!)} ms`);
      await spawnReplica(`r${4 + trial}`);
    }
    return { cold, push, failoverMs, failoverMedianMs: median(failoverMs), lease: LEASE };
  } finally {
    // A replica that does not exit within 10 s of SIGTERM is said so and killed: the run still ends.
    const stopOrKill = async (d: DaemonChild) => {
      const timer = setTimeout(() => {
        options.progress(`etcd: replica pid ${d.pid} did not exit 10 s after SIGTERM: killed`);
        d.child.kill('SIGKILL');
      }, 10_000);
      await d.stop().catch(() => undefined);
      clearTimeout(timer);
    };
    await Promise.all(replicas.map(stopOrKill));
    await etcd.stop();
  }
}
