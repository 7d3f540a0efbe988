/**
 * The source `pacific serve` follows and what tells it to look again: a local repository's ref
 * watcher, or a remote repository's mirror, fetched first (before the first pass) and then on its
 * schedule. Either way the loop hears "look again"; the pass reads the head itself.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../../base/clock.js';
import { GitSource } from '../git-source.js';
import { openSource } from '../open-source.js';
import { watchRefs, type RefWatcher, type RefWatchState } from '../ref-watcher.js';
import { loadCredentials } from './credentials.js';
import { FetchSchedule } from './fetch-schedule.js';
import { type GitRef } from './git-ref.js';
import type { FetchLimits } from './git-process.js';
import { RemoteGitSource } from './remote-source.js';
import { isRemoteRepo } from './remote-url.js';
import { underPath } from '../sub-path.js';
import type { ManifestSource } from '../types.js';
import type { ManifestLimits } from '../../base/input-limits.js';

export interface FollowOptions {
  /** A local path, or `https://…`, `ssh://…`, `user@host:path`. */
  readonly repo: string;
  readonly ref: GitRef;
  /** A folder of the repository as the manifest root. */
  readonly path?: string;
  readonly stateDir: string;
  /** Remote sources: how often to fetch, how long a fetch may take, what it may bring, and the credentials file. */
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly limits?: FetchLimits;
  readonly credentialsFile?: string;
  /** Bounds on what the pack reader reads (`--limit`). */
  readonly readLimits?: Partial<ManifestLimits>;
  readonly clock: Clock;
  readonly log: Logger;
}

/** What to tell the loop: a pass is due, when the ref moved, and when a webhook asked for it (ms since the epoch). */
export type LookAgain = (reason: 'watch' | 'fetch', refWrittenAtMs: number, webhookAtMs?: number) => void;

export interface FollowedSource {
  readonly source: ManifestSource;
  /** The mirror of a remote source (undefined for a local one). */
  readonly remote?: RemoteGitSource;
  /** The local ref the passes read (`main`, or `pacific/tag` for a remote tag), shown in status as the branch. */
  readonly branch: string;
  /** The Git directory the passes read (a local repository's, or the mirror); undefined for a plain directory. */
  readonly gitdir?: string;
  /** Starts telling `lookAgain` (and a local watcher's `onWatchState`); a remote source has already been fetched once by `followSource`. */
  watch(lookAgain: LookAgain, onWatchState?: (state: RefWatchState) => void): Promise<void>;
  /** For status: how a local repository's pushes are seen (nothing for a remote one). */
  watchState(): { refWatch?: RefWatchState };
  /** Fetches a remote source now (a webhook received at `receivedAtMs`); undefined for a local one. */
  fetchNow?(reason: string, receivedAtMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Opens the source and, for a remote one, fetches it once (a failure is the first pass's condition, not an error). */
export async function followSource(options: FollowOptions): Promise<FollowedSource> {
  const { ref, log, clock } = options;
  if (!isRemoteRepo(options.repo)) {
    if (ref.kind !== 'branch') throw new Error(`--${ref.kind} needs a remote repository; a local one follows a --branch`);
    const opened = await openSource(options.repo, { branch: ref.name, ...(options.readLimits ? { limits: options.readLimits } : {}) });
    let watcher: RefWatcher | undefined;
    return {
      source: options.path ? underPath(opened, options.path) : opened,
      branch: ref.name,
      ...(opened instanceof GitSource ? { gitdir: opened.gitdir } : {}),
      async watch(lookAgain, onWatchState) {
        if (!(opened instanceof GitSource)) return;
        watcher = watchRefs(opened.gitdir, ref.name, (e) => lookAgain('watch', e.refMtimeMs ?? e.at), clock, onWatchState);
        await watcher.ready;
      },
      watchState: () => (watcher ? { refWatch: watcher.state() } : {}),
      async stop() {
        await watcher?.close();
      },
    };
  }
  const remote = await RemoteGitSource.open({
    url: options.repo,
    ref,
    mirrorsDir: join(options.stateDir, 'sources'),
    ...(options.credentialsFile ? { credentials: loadCredentials(options.credentialsFile) } : {}),
    timeoutMs: options.timeoutMs,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.readLimits ? { readLimits: options.readLimits } : {}),
  });
  let lookAgain: LookAgain | undefined;
  // The earliest webhook not yet answered by a fetch: the pass after the next fetch reports webhook → applied.
  let webhookAt: number | undefined;
  const schedule = new FetchSchedule({
    intervalMs: options.intervalMs,
    fetch: () => remote.fetch(),
    onFetched(outcome, reason) {
      if (outcome.ok) log.debug({ repo: remote.location, ref: remote.refName, commit: outcome.commit, moved: outcome.moved, ms: outcome.ms, reason }, 'fetched');
      else log.warn({ repo: remote.location, ref: remote.refName, reason: outcome.fault.reason, cause: outcome.fault.cause, ms: outcome.ms }, outcome.fault.message);
      // A moved ref, or a fault that came or went: the pass reads the head and says so.
      const asked = webhookAt;
      webhookAt = undefined;
      lookAgain?.('fetch', clock.now(), asked);
    },
  });
  const first = await remote.fetch();
  if (first.ok) log.info({ repo: remote.location, ref: remote.refName, commit: first.commit, ms: first.ms }, 'fetched');
  else log.warn({ repo: remote.location, ref: remote.refName, reason: first.fault.reason, cause: first.fault.cause }, first.fault.message);
  return {
    source: options.path ? underPath(remote, options.path) : remote,
    remote,
    branch: remote.mirror.branch,
    gitdir: remote.mirror.gitdir,
    async watch(tell) {
      lookAgain = tell;
      schedule.start(first);
    },
    watchState: () => ({}),
    async fetchNow(reason, receivedAtMs) {
      if (receivedAtMs !== undefined) webhookAt = Math.min(webhookAt ?? Infinity, receivedAtMs);
      await schedule.now(reason);
    },
    async stop() {
      await schedule.stop();
    },
  };
}
