/**
 * The remote-source rows: the daemon following the bench repo over smart HTTP (`git http-backend`
 * on loopback), beside the same run's floors from the same server. Cold: spawn on a fresh state dir
 * → head applied (the daemon clones its mirror first), beside `git clone --bare` of the followed
 * branch. One commit: a verified webhook delivery → the new revision applied, beside `git fetch`
 * of the same one commit into a bare clone. The local rows of the same run (cold reconcile,
 * push-to-applied) say what the pass costs; the difference is what following a Git host costs.
 */
import { createHmac } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnDaemon } from './daemon-child.js';
import { waitUntilApplied, type AppliedProbe } from './daemon-client.js';
import { commitPowerFlip, type FixtureRepo } from './fixture-repo.js';
import { serveGitHttp } from './git-http.js';
import { git, gitAsync } from './git-cli.js';
import { median } from './stats.js';

export interface RemoteSourceResult {
  /** `git clone --bare --single-branch` of `main` from the server, per run. */
  readonly cloneFloorMs: readonly number[];
  /** Spawn → head applied, the daemon following `http://…/gitops.git` on a fresh state dir. */
  readonly coldWallMs: number;
  /** `git fetch` of one new commit into a bare clone, per commit. */
  readonly fetchFloorMs: readonly number[];
  /** Webhook delivery answered → the commit applied, per commit. */
  readonly webhookToAppliedMs: readonly number[];
}

const timed = async (fn: () => Promise<unknown>): Promise<number> => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};

/** Measures both rows; `repo.bareDir` is served by its folder, its `main` moved by `pushes` one-file commits. */
export async function measureRemoteSource(repo: FixtureRepo, dir: string, topologyFile: string, options: { runs: number; pushes: number; probe: AppliedProbe; timeoutMs: number }): Promise<RemoteSourceResult> {
  const host = await serveGitHttp(join(repo.bareDir, '..'));
  const url = `${host.url}/gitops.git`;
  try {
    const cloneFloorMs: number[] = [];
    const floorClone = join(dir, 'floor-clone.git');
    for (let i = 0; i < options.runs; i++) {
      rmSync(floorClone, { recursive: true, force: true });
      cloneFloorMs.push(await timed(() => gitAsync(dir, 'clone', '-q', '--bare', '--single-branch', '--branch', 'main', url, floorClone)));
    }

    const head = git(repo.bareDir, 'rev-parse', 'main');
    const daemon = await spawnDaemon({ repo: url, stateDir: join(dir, 'state-remote'), topologyFile, args: ['--interval', '1h'] });
    try {
      const coldWallMs = (await waitUntilApplied(daemon, head, { probe: options.probe, intervalMs: 20, timeoutMs: options.timeoutMs })) - daemon.spawnedAt;
      const token = daemon.token();
      const status = (await (await fetch(`${daemon.url}/status`, { headers: { authorization: `Bearer ${token}` } })).json()) as { receivers?: { path: string; secretFile: string }[] };
      const receiver = status.receivers?.[0];
      if (!receiver) throw new Error('the remote source has no receiver in /status');
      const secret = readFileSync(receiver.secretFile, 'utf8').trim();

      const fetchFloorMs: number[] = [];
      const webhookToAppliedMs: number[] = [];
      for (let i = 0; i < options.pushes; i++) {
        const commit = commitPowerFlip(repo, (i * 104_729 + 7) % repo.size.vms);
        git(repo.cloneDir, 'push', '-q', 'origin', 'main');
        fetchFloorMs.push(await timed(() => gitAsync(floorClone, 'fetch', '-q', 'origin', 'main:main')));
        // Flux's generic HMAC receiver: the delivery says "look now", the daemon fetches the ref itself.
        const body = JSON.stringify({ ref: 'refs/heads/main', after: commit });
        const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
        const sent = performance.now();
        const answer = await fetch(daemon.url + receiver.path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature': signature }, body });
        await answer.text();
        if (answer.status >= 300) throw new Error(`POST ${receiver.path}: ${answer.status}`);
        webhookToAppliedMs.push((await waitUntilApplied(daemon, commit, { probe: options.probe, intervalMs: 5, timeoutMs: options.timeoutMs })) - sent);
        await new Promise((r) => setTimeout(r, 100));
      }
      return { cloneFloorMs, coldWallMs, fetchFloorMs, webhookToAppliedMs };
    } finally {
      await daemon.stop();
    }
  } finally {
    await host.close();
  }
}

/** The medians the report prints. */
export function remoteMedians(r: RemoteSourceResult): { cloneFloorMs: number; fetchFloorMs: number; webhookMs: number } {
  return { cloneFloorMs: median(r.cloneFloorMs), fetchFloorMs: median(r.fetchFloorMs), webhookMs: median(r.webhookToAppliedMs) };
}
