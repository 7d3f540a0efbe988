/**
 * A branch of a local Git repository (bare or not) as a manifest source, read with isomorphic-git.
 * Every call shares one isomorphic-git `cache`: without it packfile indexes are re-parsed each time.
 */
import fs from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import git from 'isomorphic-git';
import { findGitDir, isGitDir } from './git-dir.js';
import { ObjectReader, parseTree } from './object-reader.js';
import { TreeDiff } from './tree-diff.js';
import { TreeListing, type TreeReader } from './tree-listing.js';
import { errorMessage, type HeadState, type ManifestSource, type RevisionChanges, type RevisionFiles, type SourceFile } from './types.js';

/** Where the repository is and which branch to follow. */
export interface GitSourceOptions {
  /** The Git directory: the repository itself when bare, `<worktree>/.git` otherwise. */
  readonly gitdir: string;
  /** The path shown in status (the worktree of a non-bare repository); defaults to `gitdir`. */
  readonly location?: string;
  /** The branch to follow; `main` unless told. */
  readonly branch?: string;
}

/** The tracked branch of a local repository; lists commits incrementally by tree id. */
export class GitSource implements ManifestSource {
  readonly kind = 'git' as const;
  readonly location: string;
  readonly branch: string;
  readonly gitdir: string;
  #cache: object = {};
  #packs: string | undefined;
  readonly #listing: TreeListing;
  readonly #diff: TreeDiff;
  readonly #objects: ObjectReader;
  #last: RevisionFiles | undefined;

  constructor(options: GitSourceOptions) {
    this.gitdir = resolve(options.gitdir);
    this.location = resolve(options.location ?? options.gitdir);
    this.branch = options.branch ?? 'main';
    this.#objects = new ObjectReader(this.gitdir);
    const readTree: TreeReader = async (oid) => {
      const object = this.#objects.read(oid);
      if (object?.type === 'tree') return parseTree(object.data);
      return (await git.readTree({ fs, gitdir: this.gitdir, oid, cache: this.#cache })).tree;
    };
    this.#listing = new TreeListing(readTree);
    this.#diff = new TreeDiff(readTree);
  }

  /** Tree objects read so far: a commit changing one deep file costs one read per folder on its path. */
  get treeReads(): number {
    return this.#listing.treeReads + this.#diff.treeReads;
  }

  /** `refs/heads/<branch>` (loose or packed) peeled to its commit; never throws. */
  async head(): Promise<HeadState> {
    try {
      if (!(await isGitDir(this.gitdir))) {
        return { state: 'unreadable', message: `${this.location} is not a Git repository (it needs HEAD, objects/ and refs/)` };
      }
      await this.#dropCacheAfterRepack();
      let oid: string;
      try {
        oid = await git.resolveRef({ fs, gitdir: this.gitdir, ref: `refs/heads/${this.branch}` });
      } catch (error) {
        if (!isNotFound(error)) throw error;
        const branches = (await git.listBranches({ fs, gitdir: this.gitdir })).sort();
        if (branches.length === 0) return { state: 'empty-repository' };
        // Listed yet unresolvable: the ref file holds something that is not a commit id.
        if (branches.includes(this.branch)) return { state: 'unreadable', message: `refs/heads/${this.branch} in ${this.location} is corrupt` };
        return { state: 'branch-not-found', branch: this.branch, branches };
      }
      const { oid: commit } = await git.readCommit({ fs, gitdir: this.gitdir, oid, cache: this.#cache });
      return { state: 'commit', commit };
    } catch (error) {
      return { state: 'unreadable', message: `${this.location}: ${errorMessage(error)}` };
    }
  }

  // isomorphic-git's cache keeps every packfile it opened in memory, keyed by file name; after
  // `git gc` the old packs are gone from disk but not from the cache, so start a fresh one.
  async #dropCacheAfterRepack(): Promise<void> {
    const names = await readdir(join(this.gitdir, 'objects', 'pack')).catch(() => []);
    const packs = names.filter((name) => name.endsWith('.idx')).sort().join(' ');
    if (this.#packs !== undefined && packs !== this.#packs) {
      this.#cache = {};
      this.#objects.reset();
    }
    this.#packs = packs;
  }

  /** The manifest files of a commit; only trees not seen in recent listings are read. */
  async files(revision: string): Promise<RevisionFiles> {
    if (this.#last?.revision === revision) return this.#last;
    const { oid, commit } = await git.readCommit({ fs, gitdir: this.gitdir, oid: revision, cache: this.#cache });
    const { files, skipped } = await this.#listing.list(commit.tree);
    this.#last = { revision: oid, files, skipped };
    return this.#last;
  }

  /** The manifest files `to` changed against `from`, from the trees on changed paths only. */
  async changes(from: string, to: string): Promise<RevisionChanges | undefined> {
    const [a, b] = await Promise.all([git.readCommit({ fs, gitdir: this.gitdir, oid: from, cache: this.#cache }), git.readCommit({ fs, gitdir: this.gitdir, oid: to, cache: this.#cache })]);
    const diff = await this.#diff.diff(a.commit.tree, b.commit.tree);
    return diff && { from: a.oid, to: b.oid, ...diff };
  }

  /** The bytes of a blob by id: from the packs directly, else (an object the fast reader does not handle) by isomorphic-git. */
  async read(file: SourceFile): Promise<Uint8Array> {
    const object = this.#objects.read(file.blobId);
    if (object?.type === 'blob') return object.data;
    return (await git.readBlob({ fs, gitdir: this.gitdir, oid: file.blobId, cache: this.#cache })).blob;
  }

  /** True when `descendant` equals or descends from `ancestor`; false for unrelated history or missing commits. */
  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    // isomorphic-git answers false for a commit and itself; git (merge-base --is-ancestor) says true.
    if (ancestor === descendant) return true;
    try {
      return await git.isDescendent({ fs, gitdir: this.gitdir, oid: descendant, ancestor, depth: -1, cache: this.#cache });
    } catch {
      return false;
    }
  }
}

/** The commit id `rev` names in the repository at `repoPath`: a branch, tag, full or short commit id, or `HEAD`. */
export async function resolveRevision(repoPath: string, rev: string): Promise<string> {
  const gitdir = await findGitDir(repoPath);
  if (!gitdir) throw new Error(`${resolve(repoPath)} is not a Git repository, so it has no revision '${rev}'`);
  const cache = {};
  const oid = await resolveName(gitdir, rev.trim(), cache);
  if (!oid) throw new Error(`revision '${rev}' not found in ${resolve(repoPath)}: expected a branch, tag, commit id or HEAD`);
  try {
    // Peels annotated tags to the commit they point at.
    return (await git.readCommit({ fs, gitdir, oid, cache })).oid;
  } catch (error) {
    throw new Error(`revision '${rev}' in ${resolve(repoPath)} is not a readable commit: ${errorMessage(error)}`);
  }
}

async function resolveName(gitdir: string, rev: string, cache: object): Promise<string | undefined> {
  try {
    return await git.resolveRef({ fs, gitdir, ref: rev });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  if (!/^[0-9a-f]{4,40}$/i.test(rev)) return undefined;
  try {
    return await git.expandOid({ fs, gitdir, oid: rev.toLowerCase(), cache });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw new Error(`revision '${rev}': ${errorMessage(error)}`);
  }
}

function isNotFound(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'NotFoundError';
}
