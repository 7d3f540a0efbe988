/**
 * Commit tree → changed manifest files against another tree, descending only into subtrees whose
 * ids differ: a commit changing one deep file costs one tree read per folder on its path (twice:
 * before and after), whatever the size of the repository.
 */
import { isManifestPath } from './manifest-path.js';
import type { TreeEntryLike, TreeReader } from './tree-listing.js';
import { byPath, type SourceFile } from './types.js';

const TREE = '040000';
const BLOB_MODES = new Set(['100644', '100755']);

/** Added or modified manifest files, and removed manifest paths; sorted by path. */
export interface TreeChanges {
  readonly changed: SourceFile[];
  readonly removed: string[];
}

/** A change the listing would report as a skipped entry (symlink, submodule): the caller lists instead. */
class NotAFileOrTree extends Error {}

/** Diffs tree objects, keeping the entries of the trees the latest two diffs read. */
export class TreeDiff {
  #current = new Map<string, readonly TreeEntryLike[]>();
  #previous = new Map<string, readonly TreeEntryLike[]>();
  #treeReads = 0;
  readonly #readTree: TreeReader;

  constructor(readTree: TreeReader) {
    this.#readTree = readTree;
  }

  /** Tree objects read so far. */
  get treeReads(): number {
    return this.#treeReads;
  }

  /** What `to` changed against `from`; undefined when a symlink or submodule entry changed on the way. */
  async diff(from: string, to: string): Promise<TreeChanges | undefined> {
    const out: TreeChanges = { changed: [], removed: [] };
    try {
      await this.#diff(from, to, '', out);
    } catch (err) {
      if (err instanceof NotAFileOrTree) return undefined;
      throw err;
    } finally {
      this.#previous = this.#current;
      this.#current = new Map();
    }
    out.changed.sort(byPath);
    out.removed.sort();
    return out;
  }

  async #entries(treeId: string): Promise<ReadonlyMap<string, TreeEntryLike>> {
    let entries = this.#current.get(treeId) ?? this.#previous.get(treeId);
    if (!entries) {
      this.#treeReads++;
      entries = await this.#readTree(treeId);
    }
    this.#current.set(treeId, entries);
    // Dot-folders and dot-files are never manifests, as in the listing.
    return new Map(entries.filter((e) => !e.path.startsWith('.')).map((e) => [e.path, e]));
  }

  async #diff(from: string | undefined, to: string | undefined, prefix: string, out: TreeChanges): Promise<void> {
    if (from === to) return;
    const [a, b] = await Promise.all([from ? this.#entries(from) : new Map<string, TreeEntryLike>(), to ? this.#entries(to) : new Map<string, TreeEntryLike>()]);
    const subtrees: Promise<void>[] = [];
    for (const name of new Set([...a.keys(), ...b.keys()])) {
      const x = a.get(name);
      const y = b.get(name);
      if (x && y && x.oid === y.oid && x.mode === y.mode) continue;
      for (const e of [x, y]) if (e && e.mode !== TREE && !BLOB_MODES.has(e.mode)) throw new NotAFileOrTree(prefix + name);
      const path = prefix + name;
      const xTree = x?.mode === TREE ? x.oid : undefined;
      const yTree = y?.mode === TREE ? y.oid : undefined;
      if (xTree || yTree) subtrees.push(this.#diff(xTree, yTree, `${path}/`, out));
      if (!isManifestPath(path)) continue;
      if (y && !yTree) out.changed.push({ path, blobId: y.oid });
      else if (x && !xTree) out.removed.push(path);
    }
    await Promise.all(subtrees);
  }
}
