/** Opening the state database: built whole or not at all, and never reset when it cannot be used. */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../daemon/store/ports.js';
import { SqliteStore } from '../../daemon/store/sqlite-store.js';
import { tempDir } from '../support/temp.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('pacific-store-open-');
});
afterEach(() => tmp.cleanup());

describe('opening the state database', () => {
  it('builds a new store under a temporary name, so a creation cut short leaves no pacific.db', () => {
    // What a kill -9 in the middle of a first start leaves: a half-built file under the temporary name.
    writeFileSync(join(tmp.dir, 'pacific.db.new'), 'half a database');
    const store = SqliteStore.open(tmp.dir);
    store.setMeta('probe', 'yes');
    store.close();
    expect(readdirSync(tmp.dir).sort()).toEqual(['pacific.db']);
    const reopened = SqliteStore.open(tmp.dir);
    expect(reopened.meta('probe')).toBe('yes');
    reopened.close();
  });

  it('refuses a SQLite file that is not a pacific store, and leaves it alone', () => {
    const db = new Database(join(tmp.dir, 'pacific.db'));
    db.exec('CREATE TABLE other (x)');
    db.close();
    expect(() => SqliteStore.open(tmp.dir)).toThrow(StoreError);
    expect(() => SqliteStore.open(tmp.dir)).toThrow(`state database ${join(tmp.dir, 'pacific.db')} cannot be used: it has no schema version: not a pacific store`);
    const after = new Database(join(tmp.dir, 'pacific.db'), { readonly: true });
    expect(after.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual(['other']);
    after.close();
  });

  it('refuses a file that is not SQLite at all', () => {
    writeFileSync(join(tmp.dir, 'pacific.db'), 'x'.repeat(8192));
    expect(() => SqliteStore.open(tmp.dir)).toThrow(/cannot be used: SQLITE_NOTADB \(file is not a database\): the file is damaged\. pacific does not repair or reset it/);
  });

  it('opens nothing for reading where there is no store (`pacific diff --state`)', () => {
    expect(() => SqliteStore.openReadOnly(tmp.dir)).toThrow(`state database ${join(tmp.dir, 'pacific.db')} does not exist: is this the state dir of a pacific daemon?`);
    expect(existsSync(join(tmp.dir, 'pacific.db'))).toBe(false);
  });
});
