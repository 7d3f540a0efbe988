/**
 * A plain directory as a manifest source: the files as they are now. Its revision is a hash of the
 * manifest paths and contents, and blob ids are Git's, so caches keyed by blob id serve both sources.
 */
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, readFile, readlink, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isManifestPath } from '../manifests/load.js';
import { gitBlobId } from './blob-id.js';
import { byPath, errorMessage, type HeadState, type ManifestSource, type RevisionFiles, type SkippedEntry, type SourceFile } from './types.js';

/** One scan of the directory: its revision, listing, and the bytes that were hashed. */
interface Snapshot extends RevisionFiles {
  readonly contents: ReadonlyMap<string, Uint8Array>;
}

/** The prefix that tells a directory revision from a commit id. */
export const WORKTREE_REVISION_PREFIX = 'worktree-';

/** The manifest files under a directory; identical contents give identical revisions. */
export class DirectorySource implements ManifestSource {
  readonly kind = 'directory' as const;
  readonly location: string;
  #snapshot: Snapshot | undefined;

  constructor(root: string) {
    this.location = resolve(root);
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
    return { revision: snapshot.revision, files: snapshot.files, skipped: snapshot.skipped };
  }

  /** The bytes hashed by the latest scan, or the file on disk if it still has that blob id. */
  async read(file: SourceFile): Promise<Uint8Array> {
    const scanned = this.#snapshot?.contents.get(file.blobId);
    if (scanned) return scanned;
    const bytes = new Uint8Array(await readFile(join(this.location, ...file.path.split('/'))));
    if (gitBlobId(bytes) !== file.blobId) throw new Error(`${file.path} in ${this.location} changed since it was listed`);
    return bytes;
  }

  /** A directory has no history: only a revision and itself are related. */
  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return ancestor === descendant;
  }

  async #scan(): Promise<Snapshot> {
    const root = await realpath(this.location);
    const files: SourceFile[] = [];
    const skipped: SkippedEntry[] = [];
    const contents = new Map<string, Uint8Array>();
    const walk = async (dir: string, prefix: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true });
      for (const entry of entries) {
        if (entry.name.startsWith('.')) continue;
        const path = prefix + entry.name;
        const absolute = join(dir, entry.name);
        if (entry.isSymbolicLink()) skipped.push({ path, reason: await symlinkReason(root, absolute) });
        else if (entry.isDirectory()) await walk(absolute, `${path}/`);
        else if (!isManifestPath(path)) continue;
        else if (!entry.isFile()) skipped.push({ path, reason: `not a regular file (${kindOf(entry)})` });
        else {
          const bytes = await readIfPresent(absolute);
          if (!bytes) continue; // deleted while scanning: it is simply not part of this revision
          const blobId = gitBlobId(bytes);
          files.push({ path, blobId });
          contents.set(blobId, bytes);
        }
      }
    };
    await walk(root, '');
    files.sort(byPath);
    skipped.sort(byPath);
    const snapshot: Snapshot = { revision: worktreeRevision(files), files, skipped, contents };
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

async function readIfPresent(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function kindOf(entry: Dirent): string {
  if (entry.isFIFO()) return 'fifo';
  if (entry.isSocket()) return 'socket';
  if (entry.isBlockDevice() || entry.isCharacterDevice()) return 'device';
  return 'unknown';
}
