/**
 * A branch of a local Git repository (bare or not) as a manifest source, read with isomorphic-git.
 * Every call shares one isomorphic-git `cache`: without it packfile indexes are re-parsed each time.
 */
import fs from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import git from 'isomorphic-git';
import { findGitDir, isGitDir } from './git-dir.js';
import { manifestLimits, type ManifestLimits } from '../base/input-limits.js';
import { ObjectTooLarge, type GitObject } from './git-object.js';
import { parseTree } from './git-tree.js';
import { ObjectReader } from './object-reader.js';
import { TreeDiff } from './tree-diff.js';
import { TreeListing, type TreeEntryLike, type TreeReader } from './tree-listing.js';
import { errorMessage, FileTooLarge, type HeadState, type ManifestSource, type RevisionChanges, type RevisionFiles, type SourceFile } from './types.js';

/** Where the repository is and which branch to follow. */
export interface GitSourceOptions {
  /** The Git directory: the repository itself when bare, `<worktree>/.git` otherwise. */
  readonly gitdir: string;
  /** The path shown in status (the worktree of a non-bare repository); defaults to `gitdir`. */
  readonly location?: string;
  /** The branch to follow; `main` unless told. */
  readonly branch?: string;
  /** Bounds on files, on a revision's listing and on its trees (unset: the defaults). */
  readonly limits?: Partial<ManifestLimits>;
}

/** A tree entry takes at most 6 + 1 + 255 + 1 + 20 bytes (mode, space, a name up to NAME_MAX, NUL, id). */
const TREE_ENTRY_BYTES = 283;
/** A commit or tag: headers, a signature and a message. 1 MiB is a thousand times a signed commit. */
const COMMIT_BYTES = 2 ** 20;

/** What a commit names: its tree and parents. */
interface CommitHeaders {
  readonly tree: string;
  readonly parents: readonly string[];
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
  readonly #maxFileBytes: number;
  #last: RevisionFiles | undefined;
  // Trees read by the latest call and the one before (the listing checks a commit's new trees, then the diff walks them).
  #trees = new Map<string, readonly TreeEntryLike[]>();
  #treesBefore = new Map<string, readonly TreeEntryLike[]>();
  #treeReads = 0;

  constructor(options: GitSourceOptions) {
    this.gitdir = resolve(options.gitdir);
    this.location = resolve(options.location ?? options.gitdir);
    this.branch = options.branch ?? 'main';
    this.#objects = new ObjectReader(this.gitdir);
    const limits = manifestLimits(options.limits);
    this.#maxFileBytes = limits.maxFileBytes;
    const treeBytes = limits.maxTreeEntries * TREE_ENTRY_BYTES;
    const readTree: TreeReader = async (oid) => {
      let entries = this.#trees.get(oid) ?? this.#treesBefore.get(oid);
      if (!entries) {
        this.#treeReads++;
        let object: GitObject | undefined;
        try {
          object = this.#objects.read(oid, treeBytes);
        } catch (error) {
          if (!(error instanceof ObjectTooLarge)) this.#forgetFiles();
          throw error;
        }
        entries = object?.type === 'tree' ? parseTree(object.data) : (await git.readTree({ fs, gitdir: this.gitdir, oid, cache: this.#cache })).tree;
      }
      this.#trees.set(oid, entries);
      return entries;
    };
    this.#listing = new TreeListing(readTree, limits, (oid) => this.#objects.header(oid)?.size);
    this.#diff = new TreeDiff(readTree);
  }

  /** Tree objects read so far: a commit changing one deep file costs one read per folder on its path. */
  get treeReads(): number {
    return this.#treeReads;
  }

  // A corrupt object may be repaired in place (a pack replaced under the same name): the next read opens the files again.
  #forgetFiles(): void {
    this.#objects.reset();
    this.#cache = {};
  }

  #nextGeneration(): void {
    this.#treesBefore = this.#trees;
    this.#trees = new Map();
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
      return { state: 'commit', commit: await this.#peel(oid) };
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

  /** The manifest files of a commit; only trees not seen in recent listings are read. Throws `RevisionRefused` over a bound. */
  async files(revision: string): Promise<RevisionFiles> {
    if (this.#last?.revision === revision) return this.#last;
    this.#nextGeneration();
    const { tree } = await this.#commit(revision);
    const { files, skipped } = await this.#listing.list(tree);
    this.#last = { revision, files, skipped };
    return this.#last;
  }

  /** The manifest files `to` changed against `from`, from the trees on changed paths only; `to` is first checked against the bounds. */
  async changes(from: string, to: string): Promise<RevisionChanges | undefined> {
    const [a, b] = await Promise.all([this.#commit(from), this.#commit(to)]);
    this.#nextGeneration();
    await this.#listing.check(b.tree);
    const diff = await this.#diff.diff(a.tree, b.tree);
    return diff && { from, to, ...diff };
  }

  /** The bytes of a blob by id: from the packs directly, else (an object the fast reader does not handle) by isomorphic-git. Throws `FileTooLarge` over the file bound, before inflating. */
  async read(file: SourceFile): Promise<Uint8Array> {
    let object: GitObject | undefined;
    try {
      object = this.#objects.read(file.blobId, this.#maxFileBytes);
    } catch (error) {
      if (error instanceof ObjectTooLarge) throw new FileTooLarge(file.path, error.size);
      this.#forgetFiles();
      throw error;
    }
    if (object?.type === 'blob') return object.data;
    return (await git.readBlob({ fs, gitdir: this.gitdir, oid: file.blobId, cache: this.#cache })).blob;
  }

  /** True when `descendant` equals or descends from `ancestor`; false for unrelated history, missing or oversized commits. */
  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    // Breadth first over parents, each commit read within its bound (as git merge-base --is-ancestor, a commit descends from itself).
    try {
      const seen = new Set([descendant]);
      for (let queue = [descendant]; queue.length; ) {
        const next: string[] = [];
        for (const oid of queue) {
          if (oid === ancestor) return true;
          for (const parent of (await this.#commit(oid)).parents) {
            if (seen.has(parent)) continue;
            seen.add(parent);
            next.push(parent);
          }
        }
        queue = next;
      }
      return false;
    } catch {
      return false;
    }
  }

  /** A commit's tree and parents, read within `COMMIT_BYTES`. */
  async #commit(oid: string): Promise<CommitHeaders> {
    const object = await this.#object(oid, COMMIT_BYTES);
    if (object.type !== 'commit') throw new Error(`${oid} in ${this.location} is a ${object.type}, not a commit`);
    return commitHeaders(oid, object.data.toString('utf8'));
  }

  /** The commit a ref names, through annotated tags. */
  async #peel(oid: string): Promise<string> {
    for (let hops = 0; hops < 16; hops++) {
      const object = await this.#object(oid, COMMIT_BYTES);
      if (object.type === 'commit') return oid;
      const target = object.type === 'tag' ? /^object ([0-9a-f]{40})$/m.exec(object.data.toString('latin1'))?.[1] : undefined;
      if (!target) throw new Error(`${oid} in ${this.location} is a ${object.type}, not a commit`);
      oid = target;
    }
    throw new Error(`${oid} in ${this.location}: more than 16 tags point at tags`);
  }

  /** An object by the fast reader within `maxBytes`, else by isomorphic-git (a pack index or store it does not read). */
  async #object(oid: string, maxBytes: number): Promise<GitObject> {
    const object = this.#objects.read(oid, maxBytes);
    if (object) return object;
    const { type, object: data } = await git.readObject({ fs, gitdir: this.gitdir, oid, cache: this.#cache, format: 'content' });
    return { type: type as GitObject['type'], data: Buffer.from(data as Uint8Array) };
  }
}

function commitHeaders(oid: string, text: string): CommitHeaders {
  const end = text.indexOf('\n\n');
  const headers = end < 0 ? text : text.slice(0, end);
  const tree = /^tree ([0-9a-f]{40})$/m.exec(headers)?.[1];
  if (!tree) throw new Error(`commit ${oid} names no tree`);
  return { tree, parents: [...headers.matchAll(/^parent ([0-9a-f]{40})$/gm)].map((m) => m[1]!) };
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
