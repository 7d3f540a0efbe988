/**
 * Real etcd members for the tests and the bench: started on free loopback ports in a temp dir,
 * stopped by PID. Where the binary is missing (`npm test` installs `etcd-server` when it can),
 * `etcdMissing` says why and the tests skip with that message.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './daemon-child.js';

const ETCD = ['/usr/bin/etcd', '/usr/local/bin/etcd'].find((p) => existsSync(p));

/** Why etcd tests cannot run here, or undefined when they can. */
export const etcdMissing: string | undefined = ETCD ? undefined : 'etcd is not installed (Debian: apt-get install etcd-server; `npm test` installs it when run as root): the etcd tests are skipped';

export interface EtcdMember {
  readonly name: string;
  readonly clientUrl: string;
  readonly pid: number | undefined;
  /** Sends a signal to the member's process (SIGKILL, SIGSTOP, SIGCONT). */
  signal(signal: NodeJS.Signals): void;
  /** Starts the member again on its data dir (after a kill). */
  restart(): Promise<void>;
}

export interface EtcdCluster {
  readonly members: readonly EtcdMember[];
  readonly endpoints: string[];
  /** The member that leads Raft now (asked of each live member through the gRPC gateway). */
  raftLeader(): Promise<EtcdMember>;
  stop(): Promise<void>;
}

interface MemberStatus {
  header: { member_id: string };
  leader: string;
}

async function memberStatus(url: string): Promise<MemberStatus | undefined> {
  try {
    const res = await fetch(`${url}/v3/maintenance/status`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(1000) });
    return res.ok ? ((await res.json()) as MemberStatus) : undefined;
  } catch {
    return undefined;
  }
}

async function healthy(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok && ((await res.json()) as { health?: string }).health === 'true') return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > until) throw new Error(`etcd at ${url} not healthy after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts `size` members (1 or 3) of a new cluster; `extra` flags go to every member. */
export async function startEtcd(size = 1, extra: readonly string[] = []): Promise<EtcdCluster> {
  if (!ETCD) throw new Error(etcdMissing);
  const dir = mkdtempSync(join(tmpdir(), 'pacific-etcd-'));
  const ports = await Promise.all(Array.from({ length: size * 2 }, () => freePort()));
  const names = Array.from({ length: size }, (_, i) => `m${i + 1}`);
  const peer = (i: number) => `http://127.0.0.1:${ports[i * 2 + 1]}`;
  const initialCluster = names.map((n, i) => `${n}=${peer(i)}`).join(',');
  const members = names.map((name, i) => {
    const clientUrl = `http://127.0.0.1:${ports[i * 2]}`;
    let child: ChildProcess | undefined;
    const start = (state: 'new' | 'existing') => {
      const log = openSync(join(dir, `${name}.log`), 'a');
      child = spawn(
        ETCD,
        [
          '--name', name, '--data-dir', join(dir, name),
          '--listen-client-urls', clientUrl, '--advertise-client-urls', clientUrl,
          '--listen-peer-urls', peer(i), '--initial-advertise-peer-urls', peer(i),
          '--initial-cluster', initialCluster, '--initial-cluster-state', state,
          '--auto-compaction-mode', 'revision', '--auto-compaction-retention', '10000',
          ...extra,
        ],
        { stdio: ['ignore', log, log] },
      );
    };
    start('new');
    return {
      name,
      clientUrl,
      get pid() {
        return child?.pid;
      },
      signal(signal: NodeJS.Signals) {
        if (child?.pid) process.kill(child.pid, signal);
      },
      async restart() {
        start('existing');
        await healthy(clientUrl, 20_000);
      },
      stop() {
        if (child?.exitCode !== null || child.signalCode !== null || !child.pid) return;
        process.kill(child.pid, 'SIGCONT');
        process.kill(child.pid, 'SIGKILL');
      },
    };
  });
  await Promise.all(members.map((m) => healthy(m.clientUrl, 20_000)));
  return {
    members,
    endpoints: members.map((m) => m.clientUrl),
    async raftLeader() {
      for (const m of members) {
        const status = await memberStatus(m.clientUrl);
        if (!status) continue;
        for (const other of members) if ((await memberStatus(other.clientUrl))?.header.member_id === status.leader) return other;
      }
      throw new Error('no etcd member answers with a Raft leader');
    },
    async stop() {
      for (const m of members) m.stop();
      await new Promise((r) => setTimeout(r, 100));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
