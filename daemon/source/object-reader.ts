/**
 * Git objects read straight from packfiles (idx v2) and loose object files with node:zlib, for the
 * blobs and trees of a load: isomorphic-git stats the git dir, lists the packs and inflates in
 * JavaScript on every `readBlob`, which made reading 10,000 blobs cost seconds. Deltas (offset and
 * ref) are resolved with a small cache of bases. Anything this reader does not handle (another
 * index version, alternates, a missing object) is `undefined`: the caller asks isomorphic-git.
 *
 * A repository is untrusted: 0.5 MB of deflated zeros states a 512 MiB blob. Every object's size
 * is read from its header (a loose object's first inflated bytes, a pack entry's size, a delta's
 * result size) before anything is inflated, an object over the caller's bound is refused there
 * (`ObjectTooLarge`), and inflating is itself bounded by the stated size.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { constants, inflateSync } from 'node:zlib';
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

  /** Up to `length` raw bytes from `offset`, never past the entry's end (the next entry, or the trailing checksum). */
  bytes(offset: number, length: number): Buffer {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    const end = lo < this.sorted.length ? this.sorted[lo]! : this.size - 20;
    const bytes = Buffer.allocUnsafe(Math.max(0, Math.min(end - offset, length)));
    readSync(this.fd, bytes, 0, bytes.length, offset);
    return bytes;
  }
}

/** The id git gives an object: SHA-1 of `<type> <size>\0<content>`. */
function hashOf(object: GitObject): string {
  return createHash('sha1').update(`${object.type} ${object.data.length}\0`).update(object.data).digest('hex');
}

/** Applies a git delta to its base. */
export function applyDelta(base: Buffer, delta: Buffer, maxBytes = Infinity): Buffer {
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
  const size = varint();
  if (size > maxBytes) throw new Error(`delta result of ${size} bytes over the ${maxBytes} it may have`);
  const out = Buffer.allocUnsafe(size);
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
  /** Set when the name is not UTF-8: its bytes, escaped (`path` is then a lossy decoding). */
  readonly invalidName?: string;
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

/** A name's bytes as text a person can read and copy: printable ASCII as is, every other byte as `\xNN`. */
export function escapedName(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b === 0x5c ? '\\\\' : b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  return out;
}

/**
 * The entries of a tree object's content: `<mode> <name>\0<20-byte id>`, repeated; an unsafe name
 * throws. A name that is not UTF-8 keeps its lossy decoding as `path` and its bytes, escaped, as
 * `invalidName`: `\xff.yaml` and `\xfe.yaml` both decode to `\ufffd.yaml`, and must not become one path.
 */
export function parseTree(data: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (let i = 0; i < data.length; ) {
    const space = data.indexOf(0x20, i);
    const nul = data.indexOf(0, space);
    if (space < 0 || nul < 0 || nul + 21 > data.length) throw new Error('truncated tree object');
    const name = data.subarray(space + 1, nul);
    const path = name.toString('utf8');
    if (unsafeName(path)) throw new git.Errors.UnsafeFilepathError(path);
    const mode = allowedMode(data.toString('latin1', i, space));
    const type = mode === '040000' ? 'tree' : mode === '160000' ? 'commit' : 'blob';
    const entry: TreeEntry = { mode, path, oid: data.toString('hex', nul + 1, nul + 21), type };
    entries.push(isUtf8(name) ? entry : { ...entry, invalidName: escapedName(name) });
    i = nul + 21;
  }
  return entries;
}

/** An object's type and size as its header states them, before any of its content is inflated. */
export interface ObjectHeader {
  readonly type: GitObjectType;
  readonly size: number;
}

/** An object whose header states more bytes than its reader may inflate: refused before inflating. */
export class ObjectTooLarge extends Error {
  constructor(
    readonly oid: string,
    readonly type: GitObjectType,
    readonly size: number,
    readonly limit: number,
    /** Set when the object is the base of the delta that `oid` is stored as. */
    readonly base = false,
  ) {
    super(`git object ${oid} is ${base ? 'stored as a delta against a base of' : `a ${type} of`} ${size} bytes, over the ${limit} it may have: not inflated`);
  }
}

/**
 * A delta's base may be larger than its result: git pairs objects up to 32 times apart in size
 * (pack-objects' try_delta), so a base is bounded by 32 times the object's bound, at most 64 MiB.
 */
function baseLimit(limit: number): number {
  return Math.max(limit, Math.min(32 * limit, 64 * 2 ** 20));
}

/** Deflate adds at most 5 bytes per 16 KiB stored block and 6 of header and checksum: compressed bytes worth reading for `size` inflated ones. */
function deflatedBound(size: number): number {
  return size + Math.ceil(size / 16_384) * 5 + 64;
}

/** A delta's instructions for a result of `size` bytes: every copy of at least 1 byte costs at most 8. */
function deltaBound(size: number): number {
  return 8 * size + 64;
}

const CHAIN_LIMIT = 10_000; // git's pack.depth is at most 4,095

/**
 * The first bytes `deflated` inflates to, without inflating the rest: a prefix of the stream,
 * flushed as far as it goes (a short prefix of zeros inflates to at most ~1,000 times its size).
 */
function inflatedPrefix(deflated: Buffer, enough: (out: Buffer) => boolean): Buffer {
  let out = Buffer.alloc(0);
  for (const take of [64, 1024]) {
    try {
      out = inflateSync(deflated.subarray(0, take), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: 2 ** 21 });
    } catch {
      // A prefix that ends inside a block header; a longer one will do.
    }
    if (enough(out) || take >= deflated.length) break;
  }
  return out;
}

/** Inflates exactly `size` bytes, refusing to produce more; fewer is a corrupt object. */
function inflateBounded(deflated: Buffer, size: number, what: string): Buffer {
  let data: Buffer;
  try {
    data = inflateSync(deflated, { maxOutputLength: Math.max(1, size) });
  } catch (error) {
    throw new Error(`${what} is corrupt: ${(error as Error).message}`);
  }
  if (data.length !== size) throw new Error(`${what} is corrupt: it inflates to ${data.length} bytes, its header says ${size}`);
  return data;
}

/** Little-endian base-128 varint at `at`; `undefined` when `bytes` ends first. */
function varintAt(bytes: Buffer, at: number): { value: number; next: number } | undefined {
  let value = 0;
  let shift = 0;
  for (let i = at; i < bytes.length && shift < 56; i++) {
    value += (bytes[i]! & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(bytes[i]! & 0x80)) return { value, next: i + 1 };
  }
  return undefined;
}

/** A pack entry's header: its kind, its inflated size, where its deflated data starts and, for a delta, its base. */
interface EntryHeader {
  readonly kind: number;
  readonly size: number;
  readonly dataAt: number;
  readonly baseOffset?: number;
  readonly baseOid?: string;
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
   * Throws `ObjectTooLarge` when its header states more than `maxBytes`, before inflating it, and
   * throws when what it read does not hash to `oid` (a corrupt object is never content).
   */
  read(oid: string, maxBytes = Infinity): GitObject | undefined {
    const object = this.find(oid, oid, maxBytes);
    if (object && hashOf(object) !== oid) throw new Error(`git object ${oid} in ${this.gitdir} is corrupt: its content hashes to ${hashOf(object)}`);
    return object;
  }

  /** The object's type and size from its header (for a delta, its base chain's type and the delta's result size); nothing is inflated beyond a header. */
  header(oid: string): ObjectHeader | undefined {
    if (!/^[0-9a-f]{40}$/.test(oid)) return undefined;
    const key = Buffer.from(oid, 'hex');
    for (const pack of this.openPacks()) {
      const offset = pack.find(key);
      if (offset !== undefined) return this.packedHeader(pack, offset);
    }
    const loose = this.looseFile(oid);
    if (!loose) return undefined;
    try {
      return this.looseHeader(oid, loose.fd).header;
    } finally {
      closeSync(loose.fd);
    }
  }

  private find(oid: string, wanted: string, maxBytes: number, asBase = false): GitObject | undefined {
    if (!/^[0-9a-f]{40}$/.test(oid)) return undefined;
    const key = Buffer.from(oid, 'hex');
    for (const pack of this.openPacks()) {
      const offset = pack.find(key);
      if (offset !== undefined) return this.fromPack(pack, offset, wanted, maxBytes, asBase, 0);
    }
    return this.loose(oid, wanted, maxBytes, asBase);
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

  private looseFile(oid: string): { fd: number; size: number } | undefined {
    let fd: number;
    try {
      fd = openSync(join(this.gitdir, 'objects', oid.slice(0, 2), oid.slice(2)), 'r');
    } catch {
      return undefined;
    }
    return { fd, size: fstatSync(fd).size };
  }

  /** `<type> <size>\0` from the first inflated bytes of a loose object file. */
  private looseHeader(oid: string, fd: number): { header: ObjectHeader; length: number } {
    const start = Buffer.allocUnsafe(1024);
    const prefix = inflatedPrefix(start.subarray(0, readSync(fd, start, 0, start.length, 0)), (out) => out.includes(0));
    const nul = prefix.indexOf(0);
    const match = /^(commit|tree|blob|tag) (\d{1,15})$/.exec(prefix.toString('latin1', 0, Math.max(0, nul)));
    if (nul < 0 || !match) throw new Error(`git object ${oid} in ${this.gitdir} is corrupt: no object header`);
    return { header: { type: match[1] as GitObjectType, size: Number(match[2]) }, length: nul + 1 };
  }

  private loose(oid: string, wanted: string, maxBytes: number, asBase: boolean): GitObject | undefined {
    const file = this.looseFile(oid);
    if (!file) return undefined;
    try {
      const { header, length } = this.looseHeader(oid, file.fd);
      if (header.size > maxBytes) throw new ObjectTooLarge(wanted, header.type, header.size, maxBytes, asBase);
      const deflated = Buffer.allocUnsafe(Math.min(file.size, deflatedBound(length + header.size)));
      readSync(file.fd, deflated, 0, deflated.length, 0);
      const raw = inflateBounded(deflated, length + header.size, `git object ${oid} in ${this.gitdir}`);
      return { type: header.type, data: raw.subarray(length) };
    } finally {
      closeSync(file.fd);
    }
  }

  /** The header of the pack entry at `offset`: type and size, and for a delta where its base is. */
  private entryHeader(pack: Pack, offset: number): EntryHeader {
    const bytes = pack.bytes(offset, 64);
    const corrupt = () => new Error(`pack ${pack.name}: the entry at ${offset} is corrupt`);
    let b = bytes[0]!;
    const kind = (b >> 4) & 7;
    let size = b & 15;
    let shift = 4;
    let i = 1;
    while (b & 0x80) {
      if (i >= bytes.length || shift > 50) throw corrupt();
      b = bytes[i++]!;
      size += (b & 0x7f) * 2 ** shift;
      shift += 7;
    }
    if (kind === OFS_DELTA) {
      b = bytes[i++]!;
      let back = b & 0x7f;
      while (b & 0x80) {
        if (i >= bytes.length) throw corrupt();
        b = bytes[i++]!;
        back = (back + 1) * 128 + (b & 0x7f);
      }
      if (back <= 0 || back > offset) throw corrupt();
      return { kind, size, dataAt: offset + i, baseOffset: offset - back };
    }
    if (kind === REF_DELTA) {
      if (i + 20 > bytes.length) throw corrupt();
      return { kind, size, dataAt: offset + i + 20, baseOid: bytes.toString('hex', i, i + 20) };
    }
    if (!TYPES[kind]) throw new Error(`pack ${pack.name}: object type ${kind} at ${offset}`);
    return { kind, size, dataAt: offset + i };
  }

  /** A delta's result size: the second varint of its instructions, from a prefix of them. */
  private deltaResultSize(pack: Pack, entry: EntryHeader): number {
    const deflated = pack.bytes(entry.dataAt, 1024);
    const sizes = (out: Buffer) => {
      const base = varintAt(out, 0);
      return base && varintAt(out, base.next)?.value;
    };
    const size = sizes(inflatedPrefix(deflated, (out) => sizes(out) !== undefined));
    if (size === undefined) throw new Error(`pack ${pack.name}: the delta at ${entry.dataAt} is corrupt`);
    return size;
  }

  /** The object's type (its delta chain's end) and size, from headers only. */
  private packedHeader(pack: Pack, offset: number): ObjectHeader | undefined {
    const entry = this.entryHeader(pack, offset);
    if (TYPES[entry.kind]) return { type: TYPES[entry.kind]!, size: entry.size };
    const type = this.chainType(pack, entry);
    return type && { type, size: this.deltaResultSize(pack, entry) };
  }

  /** The type at the end of a delta chain, from entry headers only. */
  private chainType(pack: Pack, entry: EntryHeader): GitObjectType | undefined {
    for (let depth = 0; depth < CHAIN_LIMIT; depth++) {
      if (entry.baseOid !== undefined) return this.header(entry.baseOid)?.type;
      entry = this.entryHeader(pack, entry.baseOffset!);
      if (TYPES[entry.kind]) return TYPES[entry.kind];
    }
    throw new Error(`pack ${pack.name}: a delta chain longer than ${CHAIN_LIMIT}`);
  }

  /** `asBase`: a delta needs it, so it is worth keeping; an object read for itself is not kept. */
  private fromPack(pack: Pack, offset: number, wanted: string, maxBytes: number, asBase: boolean, depth: number): GitObject {
    const cacheKey = `${pack.name}:${offset}`;
    const cached = this.bases.get(cacheKey);
    if (cached) {
      if (cached.data.length > maxBytes) throw new ObjectTooLarge(wanted, cached.type, cached.data.length, maxBytes, asBase);
      return cached;
    }
    const entry = this.entryHeader(pack, offset);
    const what = `pack ${pack.name}: the entry at ${offset}`;
    let object: GitObject;
    if (TYPES[entry.kind]) {
      if (entry.size > maxBytes) throw new ObjectTooLarge(wanted, TYPES[entry.kind]!, entry.size, maxBytes, asBase);
      object = { type: TYPES[entry.kind]!, data: inflateBounded(pack.bytes(entry.dataAt, deflatedBound(entry.size)), entry.size, what) };
    } else {
      if (depth > CHAIN_LIMIT) throw new Error(`pack ${pack.name}: a delta chain longer than ${CHAIN_LIMIT}`);
      const size = this.deltaResultSize(pack, entry);
      if (size > maxBytes || entry.size > deltaBound(maxBytes)) {
        const type = this.chainType(pack, entry) ?? 'blob';
        throw new ObjectTooLarge(wanted, type, Math.max(size, entry.size), maxBytes, asBase);
      }
      const delta = inflateBounded(pack.bytes(entry.dataAt, deflatedBound(entry.size)), entry.size, what);
      const bound = baseLimit(maxBytes);
      const base =
        entry.baseOffset !== undefined ? this.fromPack(pack, entry.baseOffset, wanted, bound, true, depth + 1) : this.find(entry.baseOid!, wanted, bound, true);
      if (!base) throw new Error(`pack ${pack.name}: delta base ${entry.baseOid} not found`);
      object = { type: base.type, data: applyDelta(base.data, delta, size) };
    }
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
