/**
 * A remote repository as a manifest source: a bare mirror in the state dir, fetched on start, on a
 * webhook and every interval (with jitter), read by `GitSource` like a local repository. A fetch
 * that fails leaves the mirror as it was: the last fetched commit stays the head (so the last good
 * revision stays applied and drift is still corrected) and the fault rides along in `head()`.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { GitSource } from '../git-source.js';
import type { ManifestLimits } from '../../base/input-limits.js';
import type { HeadState, ManifestSource, RevisionChanges, RevisionFiles, SourceFile } from '../types.js';
import { matchCredentials, type CredentialEntry } from './credentials.js';
import type { FetchFault } from './faults.js';
import { describeRef, type GitRef } from './git-ref.js';
import { DEFAULT_FETCH_LIMITS, gitAccess, type FetchLimits } from './git-process.js';
import { RemoteMirror, type FetchOutcome } from './mirror.js';
import { mirrorName, parseRemoteUrl, type RemoteUrl } from './remote-url.js';

export interface RemoteSourceOptions {
  readonly url: string;
  readonly ref: GitRef;
  /** Where mirrors live: `<state>/sources`. */
  readonly mirrorsDir: string;
  readonly credentials?: readonly CredentialEntry[];
  /** A credentials entry by name (a GitSource's `spec.credentials`); else matched by URL prefix. */
  readonly credentialName?: string;
  readonly timeoutMs?: number;
  readonly limits?: FetchLimits;
  /** Bounds on what the pack reader reads from the mirror (`--limit`). */
  readonly readLimits?: Partial<ManifestLimits>;
}

export const DEFAULT_FETCH_TIMEOUT_MS = 60_000;

export class RemoteGitSource implements ManifestSource {
  readonly kind = 'git' as const;
  /** The URL as given (it never holds a secret: `parseRemoteUrl` refuses one). */
  readonly location: string;
  readonly remote: RemoteUrl;
  readonly ref: GitRef;
  readonly mirror: RemoteMirror;
  readonly git: GitSource;
  readonly credentials: CredentialEntry | undefined;
  #fault: FetchFault | undefined;
  #fetching: Promise<FetchOutcome> | undefined;
  #again = false;

  private constructor(options: RemoteSourceOptions) {
    this.remote = parseRemoteUrl(options.url);
    this.location = this.remote.url;
    this.ref = options.ref;
    this.credentials = matchCredentials(options.credentials ?? [], this.remote, options.credentialName);
    if (this.remote.transport === 'ssh' && !this.credentials?.knownHostsFile) {
      throw new Error(`${this.remote.url}: SSH needs a credentials entry with identityFile and knownHostsFile (host keys are always checked)`);
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
    const id = createHash('sha256').update(`${this.remote.url}\n${JSON.stringify(options.ref)}`).digest('hex');
    const gitdir = join(options.mirrorsDir, mirrorName(this.remote, id));
    const home = join(options.mirrorsDir, '.home');
    const entry = this.credentials;
    const remote = this.remote;
    // Check the credentials now (a missing password file is a start-up error), and re-read them every fetch (rotation).
    gitAccess(remote, entry, home, timeoutMs);
    this.mirror = new RemoteMirror({ gitdir, remote, ref: options.ref, access: () => gitAccess(remote, entry, home, timeoutMs), timeoutMs, limits: options.limits ?? DEFAULT_FETCH_LIMITS });
    this.git = new GitSource({ gitdir, location: remote.url, branch: this.mirror.branch, ...(options.readLimits ? { limits: options.readLimits } : {}) });
  }

  /** Opens (or creates) the mirror; does not fetch. Throws for a bad URL or credentials entry. */
  static async open(options: RemoteSourceOptions): Promise<RemoteGitSource> {
    const source = new RemoteGitSource(options);
    await source.mirror.open();
    return source;
  }

  /** How the followed ref reads in status (`main`, `tag v1.2.0`, …). */
  get refName(): string {
    return describeRef(this.ref);
  }

  /** The last fetch's fault, if it failed. */
  get fault(): FetchFault | undefined {
    return this.#fault;
  }

  /**
   * Fetches now. A call while a fetch runs waits for it and then fetches once more (what a webhook
   * announced may have landed after the running fetch listed the refs); calls meanwhile share that one.
   */
  fetch(): Promise<FetchOutcome> {
    if (this.#fetching) {
      // The running loop fetches once more before it resolves.
      this.#again = true;
      return this.#fetching;
    }
    const run = (async () => {
      try {
        let outcome: FetchOutcome;
        do {
          this.#again = false;
          outcome = await this.mirror.fetch();
        } while (this.#again);
        this.#fault = outcome.ok ? undefined : outcome.fault;
        return outcome;
      } finally {
        this.#fetching = undefined;
      }
    })();
    this.#fetching = run;
    return run;
  }

  async head(): Promise<HeadState> {
    const head = await this.git.head();
    const fault = this.#fault;
    if (!fault) return head;
    if (head.state === 'commit') return { ...head, fetchFailed: fault };
    return { state: 'unreadable', message: fault.message, fetchFailed: fault };
  }

  files(revision: string): Promise<RevisionFiles> {
    return this.git.files(revision);
  }

  read(file: SourceFile): Promise<Uint8Array> {
    return this.git.read(file);
  }

  changes(from: string, to: string): Promise<RevisionChanges | undefined> {
    return this.git.changes(from, to);
  }

  isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return this.git.isAncestor(ancestor, descendant);
  }
}
