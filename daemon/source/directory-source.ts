/**
 * A plain directory as a manifest source: the files as they are now. Its revision is a hash of the
 * manifest paths and contents, and blob ids are Git's, so caches keyed by blob id serve both sources.
 */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { open, readdir, readlink, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isManifestPath } from './manifest-path.js';
import { grouped, manifestLimits, type ManifestLimits } from '../base/input-limits.js';
import { escapedName } from './git-tree.js';
import { NOT_UTF8 } from './tree-listing.js';
import { gitBlobId } from './blob-id.js';
import { byPath, errorMessage, FileTooLarge, RevisionRefused, type HeadState, type ManifestSource, type RevisionFiles, type SkippedEntry, type SourceFile } from './types.js';

/** One scan of the directory: its revision, listing, and the bytes that were hashed; or why the directory is refused. */
interface Snapshot extends RevisionFiles {
  readonly contents: ReadonlyMap<string, Uint8Array>;
  readonly refused?: RevisionRefused;
}

/** The prefix that tells a directory revision from a commit id. */
export const WORKTREE_REVISION_PREFIX = 'worktree-';

/** The manifest files under a directory; identical contents give identical revisions. */
export class DirectorySource implements ManifestSource {
  readonly kind = 'directory' as const;
  readonly location: string;
  readonly #limits: ManifestLimits;
  #snapshot: Snapshot | undefined;

  /** `limits`: the same bounds a Git revision is listed within (unset: the defaults). */
  constructor(root: string, limits: Partial<ManifestLimits> = {}) {
    this.location = resolve(root);
    this.#limits = manifestLimits(limits);
  }

  /** `worktree-<12 hex>` over the sorted (path, blob id) pairs of the manifests now on disk; never throws. */
  async head(): Promise<HeadState> {
    try {
      return { state: 'commit', commit: (await this.#scan()).revision };
    } catch (error) {
      return { state: 'unreadable', message: `${this.location}: ${errorMessage(error)}` };
    }
  }

  /** The files of `revision` as the latest scan saw them, or as the directory holds them now; throws when neither is `revision`. */
  async files(revision: string): Promise<RevisionFiles> {
    let snapshot = this.#snapshot;
    if (snapshot?.revision !== revision) snapshot = await this.#scan();
    if (snapshot.revision !== revision) {
      throw new Error(`${this.location} changed: revision ${revision} is no longer on disk (it is now ${snapshot.revision})`);
    }
    if (snapshot.refused) throw snapshot.refused;
    return { revision: snapshot.revision, files: snapshot.files, skipped: snapshot.skipped };
  }

  /** The bytes hashed by the latest scan, or the file on disk if it still has that blob id. */
  async read(file: SourceFile): Promise<Uint8Array> {
    const scanned = this.#snapshot?.contents.get(file.blobId);
    if (scanned) return scanned;
    const read = await readBounded(join(this.location, ...file.path.split('/')), this.#limits.maxFileBytes);
    if (read?.blobId !== file.blobId) throw new Error(`${file.path} in ${this.location} changed since it was listed`);
    if (!read.bytes) throw new FileTooLarge(file.path, read.size);
    return read.bytes;
  }

  /** A directory has no history: only a revision and itself are related. */
  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return ancestor === descendant;
  }

  /** Walks the directory within the same bounds as a Git listing; a directory over one is a revision of its own that `files` refuses. */
  async #scan(): Promise<Snapshot> {
    const root = await realpath(this.location);
    const { maxFiles, maxTotalBytes, maxPathDepth, maxTreeEntries, maxFileBytes } = this.#limits;
    const files: SourceFile[] = [];
    const skipped: SkippedEntry[] = [];
    const contents = new Map<string, Uint8Array>();
    let bytes = 0;
    const refuse = (path: string, reason: string, code?: RevisionRefused['code']): never => {
      throw new RevisionRefused(path === '' ? '.' : path, reason, code);
    };
    const walk = async (dir: string, prefix: string, depth: number): Promise<void> => {
      if (depth > maxPathDepth) refuse(prefix, `folders nest more than ${grouped(maxPathDepth)} deep here (limit maxPathDepth)`);
      // Names as bytes: a name that is not UTF-8 would otherwise decode to U+FFFD like any other.
      const entries = await readdir(dir, { withFileTypes: true, encoding: 'buffer' });
      if (entries.length > maxTreeEntries) refuse(prefix, `the folder has ${grouped(entries.length)} entries, more than ${grouped(maxTreeEntries)} (limit maxTreeEntries)`);
      for (const entry of entries) {
        const name = entry.name.toString('utf8');
        if (name.startsWith('.')) continue;
        const path = prefix + name;
        if (!isUtf8(entry.name) && (entry.isDirectory() || isManifestPath(path))) refuse(prefix + escapedName(entry.name), NOT_UTF8, 'InvalidEncoding');
        const absolute = join(dir, name);
        if (entry.isSymbolicLink()) skipped.push({ path, reason: await symlinkReason(root, absolute) });
        else if (entry.isDirectory()) await walk(absolute, `${path}/`, depth + 1);
        else if (!isManifestPath(path)) continue;
        else if (!entry.isFile()) skipped.push({ path, reason: `not a regular file (${kindOf(entry)})` });
        else {
          const read = await readBounded(absolute, maxFileBytes);
          if (!read) continue; // deleted while scanning: it is simply not part of this revision
          files.push({ path, blobId: read.blobId });
          if (read.bytes) contents.set(read.blobId, read.bytes);
          bytes += read.size;
          if (files.length > maxFiles) refuse(prefix, `more than ${grouped(maxFiles)} manifest files by here (limit maxFiles)`);
          if (bytes > maxTotalBytes) refuse(prefix, `more than ${grouped(maxTotalBytes)} bytes of manifests by here (limit maxTotalBytes)`);
        }
      }
    };
    let snapshot: Snapshot;
    try {
      await walk(root, '', 0);
      files.sort(byPath);
      skipped.sort(byPath);
      snapshot = { revision: worktreeRevision(files), files, skipped, contents };
    } catch (error) {
      if (!(error instanceof RevisionRefused)) throw error;
      const revision = WORKTREE_REVISION_PREFIX + createHash('sha1').update(`refused\0${error.message}`).digest('hex').slice(0, 12);
      snapshot = { revision, files: [], skipped: [], contents: new Map(), refused: error };
    }
    this.#snapshot = snapshot;
    return snapshot;
  }
}

/** `worktree-` and the first 12 hex of a sha1 over sorted (path, blob id) pairs. */
export function worktreeRevision(files: readonly SourceFile[]): string {
  const hash = createHash('sha1');
  for (const file of files) hash.update(`${file.path}\0${file.blobId}\n`);
  return WORKTREE_REVISION_PREFIX + hash.digest('hex').slice(0, 12);
}

async function symlinkReason(root: string, link: string): Promise<string> {
  const target = await readlink(link).catch(() => '?');
  const resolved = await realpath(link).catch(() => undefined);
  if (resolved === undefined) return `symlink to ${target} (not followed; its target does not exist)`;
  if (!isInside(root, resolved)) return `symlink to ${target} resolves outside the directory (${resolved}); not followed`;
  return `symlink to ${target} (not followed)`;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/**
 * A file's Git blob id and size, and its bytes when it is within `maxBytes`; a larger one is hashed
 * as it streams and never held. Undefined when it is gone.
 */
async function readBounded(path: string, maxBytes: number): Promise<{ blobId: string; size: number; bytes?: Uint8Array } | undefined> {
  let file;
  try {
    file = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { size } = await file.stat();
    if (size <= maxBytes) {
      const bytes = new Uint8Array(await file.readFile());
      return { blobId: gitBlobId(bytes), size: bytes.byteLength, bytes };
    }
    const hash = createHash('sha1').update(`blob ${size}\0`);
    for await (const chunk of file.createReadStream({ autoClose: false })) hash.update(chunk as Buffer);
    return { blobId: hash.digest('hex'), size };
  } finally {
    await file.close();
  }
}

function kindOf(entry: Dirent<Buffer>): string {
  if (entry.isFIFO()) return 'fifo';
  if (entry.isSocket()) return 'socket';
  if (entry.isBlockDevice() || entry.isCharacterDevice()) return 'device';
  return 'unknown';
}
