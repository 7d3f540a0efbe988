/**
 * Commit tree → manifest files, incrementally. Tree ids are content hashes, so a tree seen before
 * lists the same files again: only the trees on the paths a commit changed are read.
 */
import { isManifestPath } from '../manifests/load.js';
import { byPath, type SkippedEntry, type SourceFile } from './types.js';

/** One entry of a Git tree object, as isomorphic-git's `readTree` returns it. */
export interface TreeEntryLike {
  readonly mode: string;
  readonly path: string;
  readonly oid: string;
}

/** Reads the entries of one tree object by id. */
export type TreeReader = (treeId: string) => Promise<readonly TreeEntryLike[]>;

/** The manifest entries under one tree, paths relative to it. */
interface FlatTree {
  readonly files: readonly SourceFile[];
  readonly skipped: readonly SkippedEntry[];
  /** Ids of the subtrees this was built from, to keep them alive with it. */
  readonly subtrees: readonly string[];
}

/** The state of one `list` call: trees it used and reads in flight. */
interface ListingPass {
  readonly used: Map<string, FlatTree>;
  readonly reading: Map<string, Promise<FlatTree>>;
}

const SYMLINK = '120000';
const SUBMODULE = '160000';
const TREE = '040000';

/** Lists manifest files of trees, reading each distinct tree id once while it stays in use. */
export class TreeListing {
  // Two generations: trees used by the latest listing and by the one before it. A tree that
  // neither used is dropped, so memory follows the repository's size, not its history.
  #current = new Map<string, FlatTree>();
  #previous = new Map<string, FlatTree>();
  #treeReads = 0;
  readonly #readTree: TreeReader;

  constructor(readTree: TreeReader) {
    this.#readTree = readTree;
  }

  /** How many tree objects have been read so far (the cost of listing). */
  get treeReads(): number {
    return this.#treeReads;
  }

  /** The manifest files under `rootTreeId`, sorted by path, and the skipped entries. */
  async list(rootTreeId: string): Promise<{ files: SourceFile[]; skipped: SkippedEntry[] }> {
    const used = new Map<string, FlatTree>();
    const root = await this.#flatten(rootTreeId, { used, reading: new Map() });
    this.#previous = this.#current;
    this.#current = used;
    return { files: [...root.files].sort(byPath), skipped: [...root.skipped].sort(byPath) };
  }

  #flatten(treeId: string, pass: ListingPass): Promise<FlatTree> {
    const known = this.#reuse(treeId, pass.used);
    if (known) return Promise.resolve(known);
    // Identical folders share a tree id: read it once even when both are listed concurrently.
    let reading = pass.reading.get(treeId);
    if (!reading) {
      reading = this.#read(treeId, pass);
      pass.reading.set(treeId, reading);
    }
    return reading;
  }

  async #read(treeId: string, pass: ListingPass): Promise<FlatTree> {
    this.#treeReads++;
    const entries = await this.#readTree(treeId);
    const files: SourceFile[] = [];
    const skipped: SkippedEntry[] = [];
    const subtrees: { name: string; oid: string }[] = [];
    for (const entry of entries) {
      const name = entry.path;
      if (name.startsWith('.')) continue; // dot-folders and dot-files are never manifests
      if (entry.mode === TREE) subtrees.push({ name, oid: entry.oid });
      else if (entry.mode === SYMLINK) skipped.push({ path: name, reason: 'symlink (not followed: it could point outside the repository)' });
      else if (entry.mode === SUBMODULE) skipped.push({ path: name, reason: `submodule at commit ${entry.oid} (not fetched)` });
      else if (isManifestPath(name)) files.push({ path: name, blobId: entry.oid });
    }
    const children = await Promise.all(subtrees.map((s) => this.#flatten(s.oid, pass)));
    children.forEach((child, i) => {
      const prefix = `${subtrees[i]!.name}/`;
      for (const f of child.files) files.push({ path: prefix + f.path, blobId: f.blobId });
      for (const s of child.skipped) skipped.push({ path: prefix + s.path, reason: s.reason });
    });
    const flat: FlatTree = { files, skipped, subtrees: subtrees.map((s) => s.oid) };
    pass.used.set(treeId, flat);
    return flat;
  }

  /** A memoised tree, marked used with all its subtrees so the next generation keeps them. */
  #reuse(treeId: string, used: Map<string, FlatTree>): FlatTree | undefined {
    const seen = used.get(treeId);
    if (seen) return seen;
    const known = this.#current.get(treeId) ?? this.#previous.get(treeId);
    if (!known) return undefined;
    used.set(treeId, known);
    for (const id of known.subtrees) this.#reuse(id, used);
    return known;
  }
}
