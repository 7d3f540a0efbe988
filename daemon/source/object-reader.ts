/**
 * Git objects read straight from packfiles (idx v2) and loose object files with node:zlib, for the
 * blobs and trees of a load: isomorphic-git stats the git dir, lists the packs and inflates in
 * JavaScript on every `readBlob`, which made reading 10,000 blobs cost seconds. Deltas (offset and
 * ref) are resolved with a small cache of bases. Anything this reader does not handle (another
 * index version, alternates, a missing object) is `undefined`: the caller asks isomorphic-git.
 */
import { closeSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import git from 'isomorphic-git';

export type GitObjectType = 'commit' | 'tree' | 'blob' | 'tag';

export interface GitObject {
  readonly type: GitObjectType;
  readonly data: Buffer;
}

const TYPES: Record<number, GitObjectType> = { 1: 'commit', 2: 'tree', 3: 'blob', 4: 'tag' };
const OFS_DELTA = 6;
const REF_DELTA = 7;
/** Inflated delta bases kept (bytes): a chain of deltas over similar manifests shares its bases. */
const BASE_CACHE_BYTES = 32 * 2 ** 20;

/** One packfile: its index in memory, the pack read by offset. */
class Pack {
  private readonly fd: number;
  private readonly count: number;
  private readonly shaAt: number;
  private readonly offsetAt: number;
  private readonly largeAt: number;
  /** Object offsets in pack order, to bound each object's compressed bytes. */
  private readonly sorted: Float64Array;
  private readonly size: number;

  constructor(
    readonly name: string,
    private readonly idx: Buffer,
    packPath: string,
  ) {
    if (idx.readUInt32BE(0) !== 0xff744f63 || idx.readUInt32BE(4) !== 2) throw new Error(`${name}: not a version 2 pack index`);
    this.count = idx.readUInt32BE(8 + 255 * 4);
    this.shaAt = 8 + 256 * 4;
    this.offsetAt = this.shaAt + this.count * 20 + this.count * 4;
    this.largeAt = this.offsetAt + this.count * 4;
    this.sorted = new Float64Array(this.count);
    for (let i = 0; i < this.count; i++) this.sorted[i] = this.offsetOf(i);
    this.sorted.sort();
    this.fd = openSync(packPath, 'r');
    this.size = statSync(packPath).size;
  }

  close(): void {
    closeSync(this.fd);
  }

  private offsetOf(i: number): number {
    const small = this.idx.readUInt32BE(this.offsetAt + i * 4);
    if (!(small & 0x80000000)) return small;
    const at = this.largeAt + (small & 0x7fffffff) * 8;
    return this.idx.readUInt32BE(at) * 2 ** 32 + this.idx.readUInt32BE(at + 4);
  }

  /** The object's offset in the pack, or undefined when this pack does not hold it. */
  find(oid: Buffer): number | undefined {
    let lo = oid[0] === 0 ? 0 : this.idx.readUInt32BE(8 + (oid[0]! - 1) * 4);
    let hi = this.idx.readUInt32BE(8 + oid[0]! * 4);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.idx.compare(oid, 0, 20, this.shaAt + mid * 20, this.shaAt + mid * 20 + 20);
      if (c === 0) return this.offsetOf(mid);
      if (c > 0) hi = mid;
      else lo = mid + 1;
    }
    return undefined;
  }

  /** The raw bytes of the entry at `offset`, up to the next entry (or the trailing checksum). */
  entry(offset: number): Buffer {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    const end = lo < this.sorted.length ? this.sorted[lo]! : this.size - 20;
    const bytes = Buffer.allocUnsafe(end - offset);
    readSync(this.fd, bytes, 0, bytes.length, offset);
    return bytes;
  }
}

/** The id git gives an object: SHA-1 of `<type> <size>\0<content>`. */
function hashOf(object: GitObject): string {
  return createHash('sha1').update(`${object.type} ${object.data.length}\0`).update(object.data).digest('hex');
}

/** Applies a git delta to its base. */
export function applyDelta(base: Buffer, delta: Buffer): Buffer {
  let i = 0;
  const varint = () => {
    let value = 0;
    let shift = 0;
    let b: number;
    do {
      b = delta[i++]!;
      value += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return value;
  };
  if (varint() !== base.length) throw new Error('delta base size mismatch');
  const out = Buffer.allocUnsafe(varint());
  let at = 0;
  while (i < delta.length) {
    const op = delta[i++]!;
    if (op & 0x80) {
      let offset = 0;
      let size = 0;
      for (let bit = 0; bit < 4; bit++) if (op & (1 << bit)) offset += delta[i++]! * 2 ** (8 * bit);
      for (let bit = 0; bit < 3; bit++) if (op & (0x10 << bit)) size += delta[i++]! * 2 ** (8 * bit);
      if (size === 0) size = 0x10000;
      at += base.copy(out, at, offset, offset + size);
    } else if (op) {
      at += delta.copy(out, at, i, i + op);
      i += op;
    } else throw new Error('delta opcode 0');
  }
  if (at !== out.length) throw new Error('delta result size mismatch');
  return out;
}

/** A tree entry as isomorphic-git gives it: the mode in six digits, limited to the modes git allows. */
export interface TreeEntry {
  readonly mode: string;
  readonly path: string;
  readonly oid: string;
  readonly type: 'blob' | 'tree' | 'commit';
}

// isomorphic-git's limitModeToAllowed: git writes trees as `40000`, and old gits wrote group-writable files (`100664`).
function allowedMode(mode: string): string {
  if (/^0?4/.test(mode)) return '040000';
  if (mode.startsWith('1006')) return '100644';
  if (mode.startsWith('1007')) return '100755';
  if (mode.startsWith('120')) return '120000';
  if (mode.startsWith('160')) return '160000';
  throw new Error(`tree entry mode ${mode} is not one git writes`);
}

/**
 * A name no checkout may write, refused as isomorphic-git (and git's fsck) refuses it: a path
 * separator, `.` or `..`, or `.git` under any spelling a case-insensitive, HFS+ or NTFS file system
 * would resolve to it. A crafted tree holding one must never become a manifest path.
 */
function unsafeName(name: string): boolean {
  const hfs = name.replace(/[\u200C-\u200F\u202A-\u202E\u206A-\u206F\uFEFF]/g, '');
  const normalized = hfs.split(':')[0]!.toLowerCase().replace(/[. ]+$/, '');
  return name.includes('\\') || name.includes('/') || hfs === '.' || hfs === '..' || normalized === '.git' || /^\.?git~[1-9]$/.test(normalized);
}

/** The entries of a tree object's content: `<mode> <name>\0<20-byte id>`, repeated; an unsafe name throws. */
export function parseTree(data: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (let i = 0; i < data.length; ) {
    const space = data.indexOf(0x20, i);
    const nul = data.indexOf(0, space);
    if (space < 0 || nul < 0 || nul + 21 > data.length) throw new Error('truncated tree object');
    const path = data.toString('utf8', space + 1, nul);
    if (unsafeName(path)) throw new git.Errors.UnsafeFilepathError(path);
    const mode = allowedMode(data.toString('latin1', i, space));
    const type = mode === '040000' ? 'tree' : mode === '160000' ? 'commit' : 'blob';
    entries.push({ mode, path, oid: data.toString('hex', nul + 1, nul + 21), type });
    i = nul + 21;
  }
  return entries;
}

/** Reads objects of one git dir; `reset` after the packs changed (gc, repack). */
export class ObjectReader {
  private packs: Pack[] | undefined;
  private readonly bases = new Map<string, GitObject>();
  private baseBytes = 0;

  constructor(private readonly gitdir: string) {}

  /** Forgets the packs it opened (they may be gone after a repack). */
  reset(): void {
    for (const p of this.packs ?? []) p.close();
    this.packs = undefined;
    this.bases.clear();
    this.baseBytes = 0;
  }

  /**
   * The object, or undefined when it is not in a pack or loose file this reader understands.
   * Throws when what it read does not hash to `oid` (a corrupt object is never content).
   */
  read(oid: string): GitObject | undefined {
    const object = this.find(oid);
    if (object && hashOf(object) !== oid) throw new Error(`git object ${oid} in ${this.gitdir} is corrupt: its content hashes to ${hashOf(object)}`);
    return object;
  }

  private find(oid: string, asBase = false): GitObject | undefined {
    if (!/^[0-9a-f]{40}$/.test(oid)) return undefined;
    const key = Buffer.from(oid, 'hex');
    for (const pack of this.openPacks()) {
      const offset = pack.find(key);
      if (offset !== undefined) return this.fromPack(pack, offset, asBase);
    }
    return this.loose(oid);
  }

  private openPacks(): Pack[] {
    if (this.packs) return this.packs;
    const dir = join(this.gitdir, 'objects', 'pack');
    let names: string[] = [];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.idx'));
    } catch {
      // No packs yet: loose objects only.
    }
    this.packs = [];
    for (const name of names.sort()) {
      try {
        this.packs.push(new Pack(name, readFileSync(join(dir, name)), join(dir, name.replace(/\.idx$/, '.pack'))));
      } catch {
        // An index this reader does not understand: its objects are isomorphic-git's to read.
      }
    }
    return this.packs;
  }

  private loose(oid: string): GitObject | undefined {
    let raw: Buffer;
    try {
      raw = inflateSync(readFileSync(join(this.gitdir, 'objects', oid.slice(0, 2), oid.slice(2))));
    } catch {
      return undefined;
    }
    const space = raw.indexOf(0x20);
    const nul = raw.indexOf(0);
    const type = raw.subarray(0, space).toString() as GitObjectType;
    if (!Object.values(TYPES).includes(type) || nul < 0) return undefined;
    return { type, data: raw.subarray(nul + 1) };
  }

  /** `asBase`: a delta needs it, so it is worth keeping; an object read for itself is not kept. */
  private fromPack(pack: Pack, offset: number, asBase: boolean): GitObject {
    const cacheKey = `${pack.name}:${offset}`;
    const cached = this.bases.get(cacheKey);
    if (cached) return cached;
    const bytes = pack.entry(offset);
    let i = 0;
    let b = bytes[i++]!;
    const kind = (b >> 4) & 7;
    while (b & 0x80) b = bytes[i++]!; // the inflated size, which inflate finds itself
    let object: GitObject;
    if (TYPES[kind]) object = { type: TYPES[kind]!, data: inflateSync(bytes.subarray(i)) };
    else if (kind === OFS_DELTA) {
      b = bytes[i++]!;
      let back = b & 0x7f;
      while (b & 0x80) {
        b = bytes[i++]!;
        back = (back + 1) * 128 + (b & 0x7f);
      }
      const base = this.fromPack(pack, offset - back, true);
      object = { type: base.type, data: applyDelta(base.data, inflateSync(bytes.subarray(i))) };
    } else if (kind === REF_DELTA) {
      const base = this.find(bytes.subarray(i, i + 20).toString('hex'), true);
      if (!base) throw new Error(`pack ${pack.name}: delta base ${bytes.subarray(i, i + 20).toString('hex')} not found`);
      object = { type: base.type, data: applyDelta(base.data, inflateSync(bytes.subarray(i + 20))) };
    } else throw new Error(`pack ${pack.name}: object type ${kind} at ${offset}`);
    if (asBase) this.remember(cacheKey, object);
    return object;
  }

  // Bases of deltas: the latest ones, up to a byte budget (objects of a chain share their bases).
  private remember(key: string, object: GitObject): void {
    this.bases.set(key, object);
    this.baseBytes += object.data.length;
    for (const [k, o] of this.bases) {
      if (this.baseBytes <= BASE_CACHE_BYTES) break;
      this.bases.delete(k);
      this.baseBytes -= o.data.length;
    }
  }
}
