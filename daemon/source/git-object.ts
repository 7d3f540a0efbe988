/**
 * Git's object format, bounded: an object's type and size come from its header, and inflating (a
 * loose object, a pack entry, a delta's result) never produces more than the header stated.
 */
import { constants, inflateSync } from 'node:zlib';

export type GitObjectType = 'commit' | 'tree' | 'blob' | 'tag';

export interface GitObject {
  readonly type: GitObjectType;
  readonly data: Buffer;
}

export const TYPES: Record<number, GitObjectType> = { 1: 'commit', 2: 'tree', 3: 'blob', 4: 'tag' };
export const OFS_DELTA = 6;
export const REF_DELTA = 7;

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
export function baseLimit(limit: number): number {
  return Math.max(limit, Math.min(32 * limit, 64 * 2 ** 20));
}

/** Deflate adds at most 5 bytes per 16 KiB stored block and 6 of header and checksum: compressed bytes worth reading for `size` inflated ones. */
export function deflatedBound(size: number): number {
  return size + Math.ceil(size / 16_384) * 5 + 64;
}

/** A delta's instructions for a result of `size` bytes: every copy of at least 1 byte costs at most 8. */
export function deltaBound(size: number): number {
  return 8 * size + 64;
}

export const CHAIN_LIMIT = 10_000; // git's pack.depth is at most 4,095

/**
 * The first bytes `deflated` inflates to, without inflating the rest: a prefix of the stream,
 * flushed as far as it goes (a short prefix of zeros inflates to at most ~1,000 times its size).
 */
export function inflatedPrefix(deflated: Buffer, enough: (out: Buffer) => boolean): Buffer {
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
export function inflateBounded(deflated: Buffer, size: number, what: string): Buffer {
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
export function varintAt(bytes: Buffer, at: number): { value: number; next: number } | undefined {
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
export interface EntryHeader {
  readonly kind: number;
  readonly size: number;
  readonly dataAt: number;
  readonly baseOffset?: number;
  readonly baseOid?: string;
}
