/**
 * Commit tree → manifest files, incrementally and bounded. Tree ids are content hashes, so a tree
 * seen before lists the same files again: only the trees on the paths a commit changed are read.
 *
 * A repository is untrusted: six small trees sharing subtrees describe a million files. Each tree
 * is summarised once (its manifest files, their bytes from the object headers, how deep folders
 * nest beneath it) and the bounds are checked on the summaries, so a revision over a bound is
 * refused, naming the folder where it crosses it, before a path is joined or a file is read.
 */
import { isManifestPath } from './manifest-path.js';
import { DEFAULT_MANIFEST_LIMITS, grouped, type ManifestLimits } from '../base/input-limits.js';
import { ObjectTooLarge } from './git-object.js';
import { byPath, RevisionRefused, type SkippedEntry, type SourceFile } from './types.js';

/** One entry of a Git tree object, as isomorphic-git's `readTree` returns it. */
export interface TreeEntryLike {
  readonly mode: string;
  readonly path: string;
  readonly oid: string;
  /** Set when the name's bytes are not UTF-8: `path` is then a lossy decoding and this the bytes, escaped. */
  readonly invalidName?: string;
}

/** Reads the entries of one tree object by id. */
export type TreeReader = (treeId: string) => Promise<readonly TreeEntryLike[]>;

/** The bounds a listing keeps. */
export type ListingLimits = Pick<ManifestLimits, 'maxFiles' | 'maxTotalBytes' | 'maxPathDepth' | 'maxTreeEntries'>;

/** A blob's size from its object header, without reading it; undefined when unknown (counted as 0). */
export type BlobSize = (blobId: string) => number | undefined;

/** One tree as the listing keeps it: its own entries, its subtrees, and totals of everything beneath. */
interface TreeSummary {
  readonly files: readonly SourceFile[];
  readonly skipped: readonly SkippedEntry[];
  readonly subtrees: readonly { readonly name: string; readonly oid: string; readonly tree: TreeSummary }[];
  /** Manifest files beneath, at any depth. */
  readonly fileCount: number;
  /** Their bytes. */
  readonly bytes: number;
  /** Folders nesting beneath: 0 without subtrees. */
  readonly height: number;
}

/** The state of one `list` call: trees it used and reads in flight. */
interface ListingPass {
  readonly used: Map<string, TreeSummary>;
  readonly reading: Map<string, Promise<TreeSummary>>;
}

/** Why a name that is not UTF-8 refuses its revision, on every path that lists files. */
export const NOT_UTF8 = 'the name is not UTF-8 (its bytes are shown escaped): names that decode alike would be one file to one reader and two to another';

const SYMLINK = '120000';
const SUBMODULE = '160000';
const TREE = '040000';

/** Lists manifest files of trees, reading each distinct tree id once while it stays in use. */
export class TreeListing {
  // Two generations: trees used by the latest listing and by the one before it. A tree that
  // neither used is dropped, so memory follows the repository's size, not its history.
  #current = new Map<string, TreeSummary>();
  #previous = new Map<string, TreeSummary>();
  #treeReads = 0;
  readonly #readTree: TreeReader;
  readonly #limits: ListingLimits;
  readonly #blobSize: BlobSize;

  constructor(readTree: TreeReader, limits: ListingLimits = DEFAULT_MANIFEST_LIMITS, blobSize: BlobSize = () => undefined) {
    this.#readTree = readTree;
    this.#limits = limits;
    this.#blobSize = blobSize;
  }

  /** How many tree objects have been read so far (the cost of listing). */
  get treeReads(): number {
    return this.#treeReads;
  }

  /** The manifest files under `rootTreeId`, sorted by path, and the skipped entries; throws `RevisionRefused` over a bound. */
  async list(rootTreeId: string): Promise<{ files: SourceFile[]; skipped: SkippedEntry[] }> {
    const root = await this.check(rootTreeId);
    const files: SourceFile[] = [];
    const skipped: SkippedEntry[] = [];
    const walk = (tree: TreeSummary, prefix: string): void => {
      for (const f of tree.files) files.push({ path: prefix + f.path, blobId: f.blobId });
      for (const s of tree.skipped) skipped.push({ path: prefix + s.path, reason: s.reason });
      for (const sub of tree.subtrees) walk(sub.tree, `${prefix}${sub.name}/`);
    };
    walk(root, '');
    return { files: files.sort(byPath), skipped: skipped.sort(byPath) };
  }

  /** Summarises `rootTreeId` within the bounds, reading only trees not seen lately; throws `RevisionRefused` over a bound. */
  async check(rootTreeId: string): Promise<TreeSummary> {
    const used = new Map<string, TreeSummary>();
    const root = await this.#summarize(rootTreeId, '', 0, { used, reading: new Map() });
    this.#previous = this.#current;
    this.#current = used;
    return root;
  }

  async #summarize(treeId: string, path: string, depth: number, pass: ListingPass): Promise<TreeSummary> {
    const { maxPathDepth } = this.#limits;
    if (depth > maxPathDepth) this.#refuse(path, `folders nest more than ${grouped(maxPathDepth)} deep here (limit maxPathDepth)`);
    let tree = this.#reuse(treeId, pass.used);
    if (!tree) {
      // Identical folders share a tree id: read it once even when both are listed concurrently.
      let reading = pass.reading.get(treeId);
      if (!reading) {
        reading = this.#read(treeId, path, depth, pass);
        pass.reading.set(treeId, reading);
      }
      tree = await reading;
    }
    if (depth + tree.height > maxPathDepth) this.#refuse(path, `folders nest ${grouped(tree.height)} deep beneath this one, more than ${grouped(maxPathDepth)} in all (limit maxPathDepth)`);
    return tree;
  }

  async #read(treeId: string, path: string, depth: number, pass: ListingPass): Promise<TreeSummary> {
    const { maxTreeEntries, maxFiles, maxTotalBytes } = this.#limits;
    this.#treeReads++;
    let entries: readonly TreeEntryLike[];
    try {
      entries = await this.#readTree(treeId);
    } catch (error) {
      if (!(error instanceof ObjectTooLarge)) throw error;
      this.#refuse(path, `the tree object is ${grouped(error.size)} bytes, more than ${grouped(maxTreeEntries)} entries take (limit maxTreeEntries): not read`);
    }
    if (entries.length > maxTreeEntries) this.#refuse(path, `the folder has ${grouped(entries.length)} entries, more than ${grouped(maxTreeEntries)} (limit maxTreeEntries)`);
    const files: SourceFile[] = [];
    const skipped: SkippedEntry[] = [];
    const subtrees: { name: string; oid: string }[] = [];
    let bytes = 0;
    for (const entry of entries) {
      const name = entry.path;
      if (name.startsWith('.')) continue; // dot-folders and dot-files are never manifests
      const manifest = entry.mode !== TREE && entry.mode !== SYMLINK && entry.mode !== SUBMODULE && isManifestPath(name);
      if (entry.invalidName !== undefined && (entry.mode === TREE || manifest)) {
        this.#refuse(path + entry.invalidName, NOT_UTF8, 'InvalidEncoding');
      }
      if (entry.mode === TREE) subtrees.push({ name, oid: entry.oid });
      else if (entry.mode === SYMLINK) skipped.push({ path: name, reason: 'symlink (not followed: it could point outside the repository)' });
      else if (entry.mode === SUBMODULE) skipped.push({ path: name, reason: `submodule at commit ${entry.oid} (not fetched)` });
      else if (manifest) {
        files.push({ path: name, blobId: entry.oid });
        bytes += this.#blobSize(entry.oid) ?? 0;
      }
    }
    const children = await Promise.all(subtrees.map((s) => this.#summarize(s.oid, `${path}${s.name}/`, depth + 1, pass)));
    let fileCount = files.length;
    let height = 0;
    for (const child of children) {
      fileCount += child.fileCount;
      bytes += child.bytes;
      height = Math.max(height, child.height + 1);
    }
    if (fileCount > maxFiles) this.#refuse(path, `${grouped(fileCount)} manifest files here, more than ${grouped(maxFiles)} a revision may have (limit maxFiles)`);
    if (bytes > maxTotalBytes) this.#refuse(path, `${grouped(bytes)} bytes of manifests here, more than ${grouped(maxTotalBytes)} a revision may have (limit maxTotalBytes)`);
    const tree: TreeSummary = { files, skipped, subtrees: subtrees.map((s, i) => ({ ...s, tree: children[i]! })), fileCount, bytes, height };
    pass.used.set(treeId, tree);
    return tree;
  }

  #refuse(path: string, reason: string, code?: RevisionRefused['code']): never {
    throw new RevisionRefused(path === '' ? '.' : path, reason, code);
  }

  /** A memoised tree, marked used with all its subtrees so the next generation keeps them. */
  #reuse(treeId: string, used: Map<string, TreeSummary>): TreeSummary | undefined {
    const seen = used.get(treeId);
    if (seen) return seen;
    const known = this.#current.get(treeId) ?? this.#previous.get(treeId);
    if (!known) return undefined;
    used.set(treeId, known);
    for (const sub of known.subtrees) this.#reuse(sub.oid, used);
    return known;
  }
}
