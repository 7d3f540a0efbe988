/**
 * The source contract: a revision of a manifest repository as a sorted list of files read by blob id.
 * Git repositories and plain directories both answer it, so the rest of the daemon never knows which.
 */

/** A manifest file of a revision: repo-relative `/`-separated path and its Git blob id. */
export interface SourceFile {
  readonly path: string;
  readonly blobId: string;
}

/** An entry pacific saw but will not read (symlink, submodule, path outside the root), and why. */
export interface SkippedEntry {
  readonly path: string;
  readonly reason: string;
}

/** The manifest files of one revision, sorted by path, and the entries skipped on the way. */
export interface RevisionFiles {
  readonly revision: string;
  readonly files: readonly SourceFile[];
  readonly skipped: readonly SkippedEntry[];
}

/** The manifest files one revision changed against another: added or modified, and removed paths. */
export interface RevisionChanges {
  readonly from: string;
  readonly to: string;
  /** Added or modified manifest files of `to`, sorted by path. */
  readonly changed: readonly SourceFile[];
  /** Manifest paths of `from` that `to` no longer has, sorted. */
  readonly removed: readonly string[];
}

/** Why a remote source's last fetch failed: a Flux reason (`AuthenticationFailed`, `GitOperationFailed`, …), the cause and a message naming the source. */
export interface SourceFault {
  readonly reason: string;
  readonly cause: string;
  readonly message: string;
}

/**
 * What the tracked branch points at now; `unreadable` covers a deleted, corrupt or non-repository path.
 * A remote source whose last fetch failed says so in `fetchFailed`, beside the commit its mirror still holds.
 */
export type HeadState = (
  | { readonly state: 'commit'; readonly commit: string }
  | { readonly state: 'empty-repository' }
  | { readonly state: 'branch-not-found'; readonly branch: string; readonly branches: readonly string[] }
  | { readonly state: 'unreadable'; readonly message: string }
) & { readonly fetchFailed?: SourceFault };

/** A place manifests come from: a Git branch or a directory as it is now. */
export interface ManifestSource {
  readonly kind: 'git' | 'directory';
  /** Absolute path shown in status. */
  readonly location: string;
  /** The current revision of the tracked branch; never throws. */
  head(): Promise<HeadState>;
  /** The manifest files (`isManifestPath`) of a revision, sorted by path. */
  files(revision: string): Promise<RevisionFiles>;
  /** The bytes of one file of a listed revision. */
  read(file: SourceFile): Promise<Uint8Array>;
  /**
   * What `to` changed against `from`, reading only the trees on changed paths; undefined when the
   * source cannot tell (no history, or an entry it would skip changed: list `to` instead).
   */
  changes?(from: string, to: string): Promise<RevisionChanges | undefined>;
  /** True when `descendant` contains `ancestor` in its history (or equals it); false when unrelated or unknown. */
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
}

/**
 * A revision refused while it is listed (over a bound, or a name that is not UTF-8): it is not
 * read at all, and the loader reports it as one error at `path` (a folder ends in `/`).
 */
export class RevisionRefused extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly code: 'LimitExceeded' | 'InvalidEncoding' = 'LimitExceeded',
  ) {
    super(`${path}: ${reason}`);
  }
}

/** A file whose size, known before its bytes are read (an object header, a stat), is over the bound: not read. */
export class FileTooLarge extends Error {
  constructor(
    readonly path: string,
    readonly size: number,
  ) {
    super(`${path} is ${size} bytes: not read`);
  }
}

/** The message of anything thrown, for status lines. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Sorts by path in code-unit order, so the order never depends on the locale. */
export function byPath<T extends { readonly path: string }>(a: T, b: T): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
