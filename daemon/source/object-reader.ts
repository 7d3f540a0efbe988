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
import { closeSync, fstatSync, openSync, readFileSync, readSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { Pack } from './git-pack.js';
import { CHAIN_LIMIT, OFS_DELTA, ObjectTooLarge, REF_DELTA, TYPES, applyDelta, baseLimit, deflatedBound, deltaBound, inflateBounded, inflatedPrefix, varintAt, type EntryHeader, type GitObject, type GitObjectType, type ObjectHeader } from './git-object.js';

/** Inflated delta bases kept (bytes): a chain of deltas over similar manifests shares its bases. */
const BASE_CACHE_BYTES = 32 * 2 ** 20;

/** The id git gives an object: SHA-1 of `<type> <size>\0<content>`. */
function hashOf(object: GitObject): string {
  return createHash('sha1').update(`${object.type} ${object.data.length}\0`).update(object.data).digest('hex');
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
