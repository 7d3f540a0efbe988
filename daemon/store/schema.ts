/** The store's tables. One database file per state dir; WAL so readers never block the writer. */

export const SCHEMA_VERSION = 1;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
-- The simulated inventory: one row per managed object, the entity as JSON.
CREATE TABLE IF NOT EXISTS entity (
  id   TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  data TEXT NOT NULL
);
-- Objects pacific manages: what it created (may prune) or adopted (only releases).
CREATE TABLE IF NOT EXISTS owned_object (
  key         TEXT PRIMARY KEY,
  api_version TEXT NOT NULL,
  kind        TEXT NOT NULL,
  namespace   TEXT NOT NULL,
  name        TEXT NOT NULL,
  origin      TEXT NOT NULL CHECK (origin IN ('created', 'adopted')),
  revision    TEXT NOT NULL,
  source_file TEXT,
  source_line INTEGER
);
-- Status of every object of the last reconciled revision (conditions and kind fields).
CREATE TABLE IF NOT EXISTS object_status (
  key  TEXT PRIMARY KEY,
  data TEXT NOT NULL
);
-- Revisions, source state, conditions and diagnostics of the reconciler: one row.
CREATE TABLE IF NOT EXISTS sync_state (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS event (
  seq      INTEGER PRIMARY KEY AUTOINCREMENT,
  time     TEXT NOT NULL,
  type     TEXT NOT NULL,
  reason   TEXT NOT NULL,
  object   TEXT NOT NULL,
  message  TEXT NOT NULL,
  revision TEXT
);
-- One row per reconcile pass (pacific history); the newest PASS_RETENTION are kept.
CREATE TABLE IF NOT EXISTS pass_history (
  seq  INTEGER PRIMARY KEY AUTOINCREMENT,
  data TEXT NOT NULL
);
-- Parsed and validated manifest files by path and blob id: a restart re-reads nothing it knows.
CREATE TABLE IF NOT EXISTS parsed_file (
  path TEXT NOT NULL,
  blob TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (path, blob)
);
`;
