/**
 * Opening the state database. A new one is built whole under a temporary name and renamed into
 * place, so a `pacific.db` that exists is always an initialized store: an empty or truncated one is
 * damage, reported, never re-created. An existing one is checked (integrity, schema version, write
 * access and the write lock) before anything writes to it.
 */
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';
import { StoreError } from './ports.js';
import { notWritable, openFailure } from './store-failure.js';
import { createPrivate } from './state-dir.js';

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Creates an empty store at `path` atomically: schema in `<path>.new`, then a rename. */
function createDatabase(path: string): void {
  const building = `${path}.new`;
  const leftovers = [building, `${building}-wal`, `${building}-shm`];
  // A creation cut short (kill -9, disk full) held no data yet.
  for (const f of leftovers) rmSync(f, { force: true });
  try {
    createPrivate(building);
    const db = new Database(building);
    try {
      db.pragma('journal_mode = WAL');
      db.exec(SCHEMA_SQL);
      db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?)").run(String(SCHEMA_VERSION));
    } finally {
      // The last connection to close checkpoints the WAL into the file and removes it.
      db.close();
    }
    fsyncPath(building);
    renameSync(building, path);
    fsyncPath(dirname(path));
  } catch (err) {
    for (const f of leftovers) rmSync(f, { force: true });
    throw openFailure(path, err);
  }
}

/**
 * Opens the database (creating it when absent and writable), checks it and brings its schema up;
 * any failure is a StoreError that names the file, the cause and what to do.
 */
export function openDatabase(path: string, mode: 'readwrite' | 'readonly'): Database.Database {
  if (!existsSync(path)) {
    if (mode === 'readonly') throw new StoreError(`state database ${path} does not exist: is this the state dir of a pacific daemon?`);
    createDatabase(path);
  }
  let db: Database.Database | undefined;
  try {
    if (statSync(path).size === 0) throw new Error('the file is empty (0 bytes): truncated, since pacific never leaves an empty store');
    if (mode === 'readwrite') {
      const refused = notWritable(dirname(path)) ?? notWritable(path);
      if (refused) throw new Error(`it is not writable (${refused})`);
    }
    db = new Database(path, { timeout: 2000, readonly: mode === 'readonly', fileMustExist: true });
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`integrity check failed: ${String(check).split('\n').slice(0, 4).join('; ')}`);
    const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get() !== undefined;
    const version = hasMeta ? (db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get() as string | undefined) : undefined;
    if (version === undefined) throw new Error('it has no schema version: not a pacific store');
    if (Number(version) !== SCHEMA_VERSION) throw new Error(`schema version ${version}; this pacific expects ${SCHEMA_VERSION}`);
    if (mode === 'readwrite') {
      db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode: a commit survives a process crash (kill -9); only an OS crash may lose the last ones.
      db.pragma('synchronous = NORMAL');
      // Take the write lock once: another writer is an error now, not at the first applied step.
      db.exec('BEGIN IMMEDIATE');
      db.exec('ROLLBACK');
      // Tables added since the store was created (same schema version: additions only).
      db.exec(SCHEMA_SQL);
    }
    return db;
  } catch (err) {
    db?.close();
    throw openFailure(path, err);
  }
}
