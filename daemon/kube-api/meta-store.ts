/**
 * The API's bookkeeping that must survive a restart: the last resourceVersion issued and each
 * object's uid, generation, creation time and hashes. A small SQLite file of its own in the state
 * dir (`kube-api.db`, WAL): the API writes it before it serves what it wrote, so a served uid or
 * resourceVersion is never taken back after a crash. The etcd mode will keep the same rows in etcd.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { ObjectMeta } from './objects.js';
import { createPrivate } from '../store/state-dir.js';

/** Rows by object key and the newest resourceVersion issued. */
export interface MetaSnapshot {
  readonly revision: number;
  readonly rows: Map<string, ObjectMeta>;
}

/** Where the API's bookkeeping is kept. */
export interface ObjectMetaStore {
  load(): MetaSnapshot;
  /** Writes changed rows, removes gone ones and records the revision, atomically. */
  save(revision: number, put: ReadonlyMap<string, ObjectMeta>, remove: readonly string[]): void;
  close(): void;
}

/** In memory (tests, `pacific diff`). */
export function memoryMetaStore(): ObjectMetaStore {
  let saved: MetaSnapshot = { revision: 0, rows: new Map() };
  return {
    load: () => ({ revision: saved.revision, rows: new Map(saved.rows) }),
    save(revision, put, remove) {
      const rows = new Map(saved.rows);
      for (const [k, v] of put) rows.set(k, v);
      for (const k of remove) rows.delete(k);
      saved = { revision, rows };
    },
    close: () => {},
  };
}

export function sqliteMetaStore(stateDir: string): ObjectMetaStore {
  const path = join(stateDir, 'kube-api.db');
  let db: Database.Database;
  try {
    createPrivate(path);
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`CREATE TABLE IF NOT EXISTS revision (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
             CREATE TABLE IF NOT EXISTS object_meta (key TEXT PRIMARY KEY, data TEXT NOT NULL);`);
  } catch (err) {
    throw new Error(`cannot open the Kubernetes API's bookkeeping ${path}: ${(err as Error).message}`);
  }
  const put = db.prepare('INSERT INTO object_meta (key, data) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET data = excluded.data');
  const remove = db.prepare('DELETE FROM object_meta WHERE key = ?');
  const setRevision = db.prepare('INSERT INTO revision (id, value) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET value = excluded.value');
  const save = db.transaction((revision: number, rows: ReadonlyMap<string, ObjectMeta>, gone: readonly string[]) => {
    for (const [k, v] of rows) put.run(k, JSON.stringify(v));
    for (const k of gone) remove.run(k);
    setRevision.run(revision);
  });
  return {
    load() {
      const revision = (db.prepare('SELECT value FROM revision WHERE id = 1').pluck().get() as number | undefined) ?? 0;
      const rows = new Map<string, ObjectMeta>();
      for (const r of db.prepare('SELECT key, data FROM object_meta').all() as { key: string; data: string }[]) rows.set(r.key, JSON.parse(r.data) as ObjectMeta);
      return { revision, rows };
    },
    save: (revision, rows, gone) => save(revision, rows, gone),
    close: () => db.close(),
  };
}
