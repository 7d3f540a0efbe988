/** Path → the right manifest source: a bare repository, a repository with a worktree, or a plain directory. */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DirectorySource } from './directory-source.js';
import { findGitDir } from './git-dir.js';
import { GitSource, resolveRevision } from './git-source.js';
import { pinRevision } from './pinned-source.js';
import type { ManifestSource } from './types.js';
import type { ManifestLimits } from '../base/input-limits.js';

/** Which branch to follow, or which revision to pin. */
export interface OpenSourceOptions {
  /** The branch a Git source follows; `main` unless told. */
  readonly branch?: string;
  /** A branch, tag, commit id or `HEAD` to freeze the source at (Git repositories only). */
  readonly ref?: string;
  /** Bounds on files and on a revision's listing (unset: the defaults). */
  readonly limits?: Partial<ManifestLimits>;
}

/** A `GitSource` for a repository, a `DirectorySource` otherwise; throws a readable Error when `path` is unusable. */
export async function openSource(path: string, options: OpenSourceOptions = {}): Promise<ManifestSource> {
  const location = resolve(path);
  const info = await stat(location).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new Error(`manifest source ${location} does not exist`);
    throw new Error(`manifest source ${location} cannot be read: ${error.message}`);
  });
  if (!info.isDirectory()) throw new Error(`manifest source ${location} is not a directory (expected a Git repository or a folder of manifests)`);
  const gitdir = await findGitDir(location);
  if (!gitdir) {
    if (options.ref !== undefined) throw new Error(`--ref needs a Git repository, and ${location} is a plain directory`);
    return new DirectorySource(location, options.limits);
  }
  const source = new GitSource({ gitdir, location, branch: options.branch ?? 'main', ...(options.limits ? { limits: options.limits } : {}) });
  if (options.ref === undefined) return source;
  return pinRevision(source, await resolveRevision(location, options.ref));
}

