/**
 * What `pacific serve` follows, wired for the composition root: the source (a local repository, or
 * a remote one's mirror fetched on its schedule), the commit verifier of `--verify`, and the
 * webhook receiver of a remote source with the door's answer to a delivery.
 */
import type { Logger } from 'pino';
import type { Clock } from './base/clock.js';
import type { ManifestLimits } from './base/input-limits.js';
import { Receivers } from './receivers/receivers.js';
import type { DaemonApi } from './server/routes.js';
import { json } from './server/types.js';
import { followSource, type FollowedSource, type FollowOptions } from './source/remote/follow.js';
import { CommitVerifier } from './source/verify/commit-verifier.js';
import { loadVerifyRules } from './source/verify/rules.js';

export interface FollowRepoOptions {
  /** A local path or a remote URL (`https://…`, `ssh://…`, `user@host:path`). */
  readonly repo: string;
  readonly branch: string;
  /** What else says which commits to follow and how: a tag, semver range or commit, a sub-path, and a remote's fetch settings. */
  readonly follow?: Partial<Pick<FollowOptions, 'ref' | 'path' | 'intervalMs' | 'timeoutMs' | 'limits' | 'credentialsFile'>>;
  /** `--verify`: signers and path rules every commit from the last applied revision to the head must meet. */
  readonly verifyFile?: string;
  readonly stateDir: string;
  readonly limits?: Partial<ManifestLimits>;
}

export interface FollowedRepo {
  readonly followed: FollowedSource;
  /** What status calls the branch: the branch, or how a remote's tag, semver range or commit reads. */
  readonly branch: string;
  readonly verifier?: CommitVerifier;
  readonly receivers: Receivers;
  /** `POST /hooks/<id>`. */
  readonly webhook: DaemonApi['webhook'];
}

/** Opens (and for a remote, fetches once) the followed repository, its verifier and its receiver. */
export async function followRepo(options: FollowRepoOptions, clock: Clock, log: Logger): Promise<FollowedRepo> {
  const followed = await followSource({
    repo: options.repo,
    ref: { kind: 'branch', name: options.branch },
    stateDir: options.stateDir,
    intervalMs: 60_000,
    timeoutMs: 60_000,
    ...options.follow,
    ...(options.limits ? { readLimits: options.limits } : {}),
    clock,
    log,
  });
  let verifier: CommitVerifier | undefined;
  if (options.verifyFile) {
    if (!followed.gitdir) throw new Error(`--verify needs a Git repository; ${followed.source.location} is a plain directory`);
    verifier = new CommitVerifier(followed.gitdir, await loadVerifyRules(options.verifyFile));
  }
  const receivers = new Receivers(options.stateDir);
  if (followed.remote && followed.fetchNow) {
    const { remote, fetchNow } = followed;
    const added = receivers.add({ location: remote.location, ref: remote.ref, ...(remote.credentials?.webhookSecretFile ? { secretFile: remote.credentials.webhookSecretFile } : {}), fetchNow: (at) => void fetchNow('webhook', at) });
    if (added.generated) log.warn({ receiver: added.info.path, secretFile: added.info.secretFile }, 'generated a webhook secret: configure the Git host with this path and the secret in this file (mode 0600)');
  }
  return {
    followed,
    branch: followed.remote?.refName ?? options.branch,
    ...(verifier ? { verifier } : {}),
    receivers,
    webhook: (id, headers, body) => {
      const result = receivers.deliver(id, headers, body, clock.now());
      log.info({ receiver: id.slice(0, 12), status: result.status, forge: result.forge, fetched: result.fetched }, `webhook: ${result.message}`);
      return json(result.status, result.status < 300 ? { message: result.message } : { error: result.message });
    },
  };
}
