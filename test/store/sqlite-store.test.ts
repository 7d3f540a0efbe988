/** The SQLite store against the store contract: a real database file in a temp dir per test. */
import Database from 'better-sqlite3';
import { SqliteStore } from '../../daemon/store/sqlite-store.js';
import { storeContract } from './contract.js';
import { tempDir } from '../support/temp.js';

storeContract('SQLite', () => {
  const tmp = tempDir('pacific-store-contract-');
  const store = SqliteStore.open(tmp.dir);
  return {
    store,
    peer: () => SqliteStore.open(tmp.dir),
    reader: () => SqliteStore.openReadOnly(tmp.dir),
    failWrites() {
      // Another connection holding the write lock: the store's writes fail once SQLite's busy timeout ends.
      const locker = new Database(store.path);
      locker.exec('BEGIN IMMEDIATE');
      return () => {
        locker.exec('ROLLBACK');
        locker.close();
      };
    },
    cleanup() {
      store.close();
      tmp.cleanup();
    },
  };
});
