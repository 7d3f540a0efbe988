/** One packfile (idx v2) read by offset: the index in memory, the pack through a file descriptor. */
import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** One packfile: its index in memory, the pack read by offset. */
export class Pack {
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
