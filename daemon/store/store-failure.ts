/**
 * Why the state dir or its database cannot be used, in words that name the file and the OS error.
 * SQLite reports a result code, not the errno behind it, so the cause is completed with what the
 * OS says about the state dir: free space, the process's file size limit, write access.
 */
import { accessSync, constants, readFileSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError } from './ports.js';

/** A SQLite error (better-sqlite3's SqliteError) with its extended result code. */
function sqliteCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

function bytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i ? n.toFixed(1) : n} ${units[i]}`;
}

function freeSpace(dir: string): string {
  try {
    const s = statfsSync(dir);
    return `${bytes(s.bavail * s.bsize)} free in ${dir}`;
  } catch (err) {
    return `free space in ${dir} unknown (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
}

/** The soft RLIMIT_FSIZE in bytes, when this process has one (Linux: /proc/self/limits). */
function fileSizeLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max file size'));
    const soft = line?.slice('Max file size'.length).trim().split(/\s+/)[0];
    return soft && soft !== 'unlimited' ? Number(soft) : undefined;
  } catch {
    return undefined;
  }
}

/** `EACCES: permission denied, access '<dir>'` when the dir is not writable, else undefined. */
export function notWritable(path: string): string | undefined {
  try {
    accessSync(path, constants.W_OK);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** What the OS says about a failed write, by SQLite result code. */
function cause(path: string, code: string): string {
  const dir = dirname(path);
  if (code === 'SQLITE_FULL') return `the file system is full (ENOSPC, no space left on device): ${freeSpace(dir)}`;
  if (code.startsWith('SQLITE_IOERR')) {
    const limit = fileSizeLimit();
    if (limit !== undefined) return `this process may not write files larger than ${bytes(limit)} (RLIMIT_FSIZE, \`ulimit -f\`): a write past it fails with EFBIG; ${freeSpace(dir)}`;
    return `the OS refused the write (EIO, EDQUOT or EFBIG; check the device and the kernel log); ${freeSpace(dir)}`;
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM')) {
    const refused = notWritable(dir) ?? notWritable(path);
    return refused ? `the state dir is not writable (${refused})` : 'the database file is read-only for this process';
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return `another process holds the database's write lock (an sqlite3 shell with an open transaction?); \`fuser ${path}\` names it`;
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'the file is damaged';
  return 'see the SQLite result code';
}

/**
 * A failed write as a StoreError naming the database, the SQLite code and the OS cause; the
 * transaction rolled back, so the store holds every step before it and none of this one.
 * Anything that is not a SQLite error is returned as it is.
 */
export function writeFailure(path: string, err: unknown): unknown {
  const code = sqliteCode(err);
  if (!code) return err;
  return new StoreError(
    `cannot write the state database ${path}: ${code} (${(err as Error).message}): ${cause(path, code)}. ` +
      'The failed step was rolled back and the store is consistent; pacific tries again at the next pass (push, resync or POST /reconcile).',
  );
}

/** A failed read as a StoreError naming the database, the SQLite code and the OS cause; anything else as it is. */
export function readFailure(path: string, err: unknown): unknown {
  const code = sqliteCode(err);
  if (!code) return err;
  return new StoreError(`cannot read the state database ${path}: ${code} (${(err as Error).message}): ${cause(path, code)}. Nothing was changed; pacific tries again at the next pass.`);
}

/** A database that cannot be opened as a StoreError naming the file, the cause and what to do; never a reset. */
export function openFailure(path: string, err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  const code = sqliteCode(err);
  const what = code ? `${code} (${(err as Error).message}): ${cause(path, code)}` : (err as Error).message;
  const todo =
    code?.startsWith('SQLITE_BUSY') || code?.startsWith('SQLITE_LOCKED')
      ? 'Stop the other process and start pacific again.'
      : 'pacific does not repair or reset it: stop every process using it, then move it aside (with its -wal and -shm files) to start from an empty state, or restore a copy.';
  return new StoreError(`state database ${path} cannot be used: ${what}. ${todo}`);
}
