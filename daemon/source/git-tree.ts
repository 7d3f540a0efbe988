/** Git tree objects parsed as isomorphic-git parses them, refusing names no checkout may write. */
import { isUtf8 } from 'node:buffer';
import git from 'isomorphic-git';

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
