/** The SQLite store's statements, prepared once per connection, and the row forms they read. */
import type Database from 'better-sqlite3';
import type { Ownership } from '../plan/planner.js';
import type { OwnedObject } from './types.js';

/** Every statement the SQLite store runs. */
export function prepareStatements(db: Database.Database) {
  return {
    allEntities: db.prepare('SELECT data FROM entity').pluck(),
    putEntity: db.prepare('INSERT INTO entity (id, type, data) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET type = excluded.type, data = excluded.data'),
    deleteEntity: db.prepare('DELETE FROM entity WHERE id = ?'),
    ownedObjects: db.prepare('SELECT * FROM owned_object ORDER BY key'),
    putOwned: db.prepare(
      `INSERT INTO owned_object (key, api_version, kind, namespace, name, origin, revision, source_file, source_line)
       VALUES (@key, @apiVersion, @kind, @namespace, @name, @origin, @revision, @sourceFile, @sourceLine)
       ON CONFLICT(key) DO UPDATE SET api_version = excluded.api_version, revision = excluded.revision,
         source_file = excluded.source_file, source_line = excluded.source_line`,
    ),
    deleteOwned: db.prepare('DELETE FROM owned_object WHERE key = ?'),
    addEvent: db.prepare('INSERT INTO event (time, type, reason, object, message, revision) VALUES (@time, @type, @reason, @object, @message, @revision)'),
    trimEvents: db.prepare('DELETE FROM event WHERE seq <= (SELECT MAX(seq) FROM event) - ?'),
    recentEvents: db.prepare('SELECT * FROM event ORDER BY seq DESC LIMIT ?'),
    eventsAfter: db.prepare('SELECT * FROM event WHERE seq > ? ORDER BY seq LIMIT ?'),
    syncState: db.prepare('SELECT data FROM sync_state WHERE id = 1').pluck(),
    putSyncState: db.prepare('INSERT INTO sync_state (id, data) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data'),
    objectStatuses: db.prepare('SELECT data FROM object_status ORDER BY key').pluck(),
    putStatus: db.prepare('INSERT INTO object_status (key, data) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET data = excluded.data'),
    deleteStatus: db.prepare('DELETE FROM object_status WHERE key = ?'),
    meta: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
    putMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    deleteMeta: db.prepare('DELETE FROM meta WHERE key = ?'),
    addPass: db.prepare('INSERT INTO pass_history (data) VALUES (?)'),
    trimPasses: db.prepare('DELETE FROM pass_history WHERE seq <= (SELECT MAX(seq) FROM pass_history) - ?'),
    passes: db.prepare('SELECT seq, data FROM pass_history ORDER BY seq DESC LIMIT ?'),
    // Read once per file of a loaded revision.
    parsedFile: db.prepare('SELECT data FROM parsed_file WHERE path = ? AND blob = ?').pluck(),
    putParsedFile: db.prepare('INSERT OR REPLACE INTO parsed_file (path, blob, data) VALUES (?, ?, ?)'),
    clearParsedFiles: db.prepare('DELETE FROM parsed_file'),
  };
}

/** An `owned_object` row as an ownership record. */
export function ownedObject(r: Record<string, string | number | null>): OwnedObject {
  return {
    key: r['key'] as string,
    apiVersion: r['api_version'] as string,
    kind: r['kind'] as string,
    namespace: r['namespace'] as string,
    name: r['name'] as string,
    origin: r['origin'] as Ownership,
    revision: r['revision'] as string,
    ...(r['source_file'] ? { source: { file: r['source_file'] as string, line: Number(r['source_line']), column: 1 } } : {}),
  };
}

/** An ownership record as `putOwned`'s parameters. */
export function ownedRow(r: OwnedObject): Record<string, unknown> {
  return { ...r, sourceFile: r.source?.file ?? null, sourceLine: r.source?.line ?? null };
}
