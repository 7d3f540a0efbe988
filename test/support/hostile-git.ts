/**
 * Hostile Git objects, built byte by byte: a loose blob or pack entry whose header states 512 MiB
 * (zeros deflate ~1,000:1), a delta that expands a small base to that size, and trees sharing
 * subtrees that describe a million files. Every object id is the real SHA-1 of what it inflates to.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, crc32, deflateRawSync, deflateSync } from 'node:zlib';

const CHUNK = 2 ** 20;

/** A zlib stream of `prefix` and `zeros` zero bytes, without allocating them: one full-flushed 1 MiB block repeated. */
function deflatedZeros(prefix: Buffer, zeros: number): Buffer {
  if (zeros % CHUNK) throw new Error('zeros: a whole number of MiB');
  const block = deflateRawSync(Buffer.alloc(CHUNK), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  // Adler-32 over prefix and zeros: a zero byte leaves `a` and adds `a` to `b`.
  let a = 1;
  let b = 0;
  for (const byte of prefix) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  b = (b + ((a * (zeros % 65521)) % 65521)) % 65521;
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE(((b << 16) | a) >>> 0);
  const parts = [Buffer.from([0x78, 0xda]), deflateRawSync(prefix, { finishFlush: constants.Z_FULL_FLUSH })];
  for (let i = 0; i < zeros / CHUNK; i++) parts.push(block);
  parts.push(deflateRawSync(Buffer.alloc(0)), adler);
  return Buffer.concat(parts);
}

/** SHA-1 of a git object `<type> <size>\0` + `size` bytes of `fill`, hashed a MiB at a time. */
function idOfRepeated(type: string, size: number, fill: Buffer): string {
  const hash = createHash('sha1').update(`${type} ${size}\0`);
  const chunk = Buffer.alloc(CHUNK, fill);
  for (let left = size; left > 0; left -= CHUNK) hash.update(left >= CHUNK ? chunk : chunk.subarray(0, left));
  return hash.digest('hex');
}

/** Writes a loose blob of `size` zero bytes (about `size / 1000` on disk) into `gitdir`; returns its id. */
export function looseZeroBlob(gitdir: string, size: number): string {
  const oid = idOfRepeated('blob', size, Buffer.from([0]));
  mkdirSync(join(gitdir, 'objects', oid.slice(0, 2)), { recursive: true });
  writeFileSync(join(gitdir, 'objects', oid.slice(0, 2), oid.slice(2)), deflatedZeros(Buffer.from(`blob ${size}\0`), size));
  return oid;
}

function entryHeader(type: number, size: number): Buffer {
  const bytes = [(type << 4) | (size & 15)];
  for (let rest = Math.floor(size / 16); rest > 0; rest = Math.floor(rest / 128)) {
    bytes[bytes.length - 1]! |= 0x80;
    bytes.push(rest & 127);
  }
  return Buffer.from(bytes);
}

function offsetDelta(back: number): Buffer {
  const bytes = [back & 127];
  for (let ofs = back >>> 7; ofs > 0; ofs >>>= 7) bytes.unshift(128 | (--ofs & 127));
  return Buffer.from(bytes);
}

function varint(n: number): number[] {
  const out: number[] = [];
  do {
    out.push((n & 127) | (n >= 128 ? 128 : 0));
    n = Math.floor(n / 128);
  } while (n > 0);
  return out;
}

/** Writes `pack-<id>.pack` and its v2 index into `gitdir` from raw entries (header + deflated data) with their object ids. */
function writePack(gitdir: string, entries: readonly { oid: string; raw: Buffer }[]): void {
  const head = Buffer.alloc(12);
  head.write('PACK');
  head.writeUInt32BE(2, 4);
  head.writeUInt32BE(entries.length, 8);
  const offsets: number[] = [];
  let at = 12;
  for (const e of entries) {
    offsets.push(at);
    at += e.raw.length;
  }
  const body = Buffer.concat([head, ...entries.map((e) => e.raw)]);
  const packSum = createHash('sha1').update(body).digest();
  const sorted = entries.map((e, i) => ({ ...e, offset: offsets[i]! })).sort((x, y) => (x.oid < y.oid ? -1 : 1));
  const fanout = Buffer.alloc(256 * 4);
  for (let byte = 0; byte < 256; byte++) fanout.writeUInt32BE(sorted.filter((e) => parseInt(e.oid.slice(0, 2), 16) <= byte).length, byte * 4);
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n >>> 0);
    return b;
  };
  const idx = Buffer.concat([
    Buffer.from([0xff, 0x74, 0x4f, 0x63, 0, 0, 0, 2]),
    fanout,
    ...sorted.map((e) => Buffer.from(e.oid, 'hex')),
    ...sorted.map((e) => u32(crc32(e.raw))),
    ...sorted.map((e) => u32(e.offset)),
    packSum,
  ]);
  const name = packSum.toString('hex');
  mkdirSync(join(gitdir, 'objects', 'pack'), { recursive: true });
  writeFileSync(join(gitdir, 'objects', 'pack', `pack-${name}.pack`), Buffer.concat([body, packSum]));
  writeFileSync(join(gitdir, 'objects', 'pack', `pack-${name}.idx`), Buffer.concat([idx, createHash('sha1').update(idx).digest()]));
}

/** A pack holding one blob of `size` zero bytes; returns its id. */
export function packedZeroBlob(gitdir: string, size: number): string {
  const oid = idOfRepeated('blob', size, Buffer.from([0]));
  writePack(gitdir, [{ oid, raw: Buffer.concat([entryHeader(3, size), deflatedZeros(Buffer.alloc(0), size)]) }]);
  return oid;
}

/**
 * A pack holding a 64 KiB blob of `a`s and a blob of `size` `a`s stored as an offset delta
 * against it: one copy instruction (the byte 0x80) per 64 KiB, so the delta is `size / 65536` bytes.
 * Returns the large blob's id.
 */
export function deltaBomb(gitdir: string, size: number): string {
  const base = Buffer.alloc(65_536, 'a');
  const baseOid = idOfRepeated('blob', base.length, Buffer.from('a'));
  const baseRaw = Buffer.concat([entryHeader(3, base.length), deflateSync(base)]);
  const delta = Buffer.concat([Buffer.from([...varint(base.length), ...varint(size)]), Buffer.alloc(size / 65_536, 0x80)]);
  const deltaRaw = Buffer.concat([entryHeader(6, delta.length), offsetDelta(baseRaw.length), deflateSync(delta)]);
  const oid = idOfRepeated('blob', size, Buffer.from('a'));
  writePack(gitdir, [
    { oid: baseOid, raw: baseRaw },
    { oid, raw: deltaRaw },
  ]);
  return oid;
}

function gitIn(gitdir: string, args: readonly string[], input?: Buffer | string): string {
  return execFileSync('git', [`--git-dir=${gitdir}`, '-c', 'user.name=t', '-c', 'user.email=t@e', ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
  }).trim();
}

/** A tree from entries (mode, type, id, name as bytes), by `git mktree -z`; names may be any bytes. */
export function mktree(gitdir: string, entries: readonly { mode: string; type: 'blob' | 'tree'; oid: string; name: string | Buffer }[]): string {
  const input = Buffer.concat(entries.map((e) => Buffer.concat([Buffer.from(`${e.mode} ${e.type} ${e.oid}\t`), Buffer.from(e.name), Buffer.from([0])])));
  return gitIn(gitdir, ['mktree', '-z', '--missing'], input);
}

/** A blob holding `text`. */
export function blob(gitdir: string, text: string): string {
  return gitIn(gitdir, ['hash-object', '-w', '--stdin'], text);
}

/** Commits `tree` on `branch` (after the branch's head when it has one); returns the commit id. */
export function commitTree(gitdir: string, tree: string, branch = 'main'): string {
  let parent: string[] = [];
  try {
    parent = ['-p', gitIn(gitdir, ['rev-parse', '--verify', '-q', `refs/heads/${branch}`])];
  } catch {
    // The first commit of the branch.
  }
  const commit = gitIn(gitdir, ['commit-tree', tree, ...parent, '-m', 'hostile'], '');
  gitIn(gitdir, ['update-ref', `refs/heads/${branch}`, commit]);
  return commit;
}

/**
 * `levels` trees of `fanout` entries each, every entry of a level the same subtree, over `fanout`
 * copies of one manifest: `fanout ** levels` files from `levels` tree objects. Returns the top tree.
 */
export function treeBomb(gitdir: string, levels: number, fanout: number, manifest = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bomb\n'): string {
  const leaf = blob(gitdir, manifest);
  let tree = mktree(gitdir, Array.from({ length: fanout }, (_, i) => ({ mode: '100644', type: 'blob' as const, oid: leaf, name: `f${i}.yaml` })));
  for (let level = 1; level < levels; level++) {
    tree = mktree(gitdir, Array.from({ length: fanout }, (_, i) => ({ mode: '040000', type: 'tree' as const, oid: tree, name: `d${i}` })));
  }
  return tree;
}
