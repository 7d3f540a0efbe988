/**
 * The etcd store against the same store contract as SQLite, on a real one-member etcd with its
 * default limits (128 operations, 1.5 MiB a transaction), so large writes are staged. Each test
 * has its own prefix; the store under test leads (an election won), its peers and readers follow.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Election } from '../../daemon/ha/election.js';
import { EtcdConnection } from '../../daemon/store/etcd/connection.js';
import { EtcdStore } from '../../daemon/store/etcd/etcd-store.js';
import { StoreError } from '../../daemon/store/ports.js';
import { SqliteStore } from '../../daemon/store/sqlite-store.js';
import { etcdMissing, startEtcd, type EtcdCluster } from '../support/etcd.js';
import { freshInventory } from '../support/fixtures.js';
import { storeContract } from './contract.js';
import { tempDir } from '../support/temp.js';

if (etcdMissing) console.warn(`SKIPPED: ${etcdMissing}`);
const etcd: EtcdCluster | undefined = etcdMissing ? undefined : await startEtcd(1);
// One client for every store of this file: its worker takes 1–3 s to start on a loaded machine.
const connection = etcd && new EtcdConnection({ endpoints: etcd.endpoints, deadlineMs: 1000, retryMs: 5000 });
afterAll(async () => {
  connection?.close();
  await etcd?.stop();
});

let prefixes = 0;

function openStore(prefix: string, localDir: string): EtcdStore {
  return EtcdStore.open({ endpoints: etcd!.endpoints, prefix, connection, local: SqliteStore.open(localDir) });
}

/** A store that won the election on its prefix. */
function leader(prefix: string, localDir: string): { store: EtcdStore; election: Election } {
  const store = openStore(prefix, localDir);
  const election = new Election(store.conn, store.keys.leader, 'replica-under-test');
  store.lead(election.tryLead()!);
  return { store, election };
}

describe.skipIf(!etcd)('the etcd store', () => {
  storeContract('etcd', () => {
    const tmp = tempDir('pacific-etcd-contract-');
    const prefix = `/contract-${process.pid}-${++prefixes}/`;
    const { store } = leader(prefix, tmp.dir);
    const opened: EtcdStore[] = [];
    const open = () => {
      const s = openStore(prefix, tmp.dir);
      opened.push(s);
      return s;
    };
    return {
      store,
      peer: open,
      reader: open,
      failWrites() {
        // Another replica takes the lead: this one's fenced writes are refused.
        const other = open();
        other.conn.txn([], [{ delete: store.keys.leader }]);
        return () => {};
      },
      cleanup() {
        store.close();
        tmp.cleanup();
      },
    };
  });

  it('stages a write larger than one transaction and a follower sees it whole', async () => {
    const tmp = tempDir('pacific-etcd-staged-');
    const prefix = `/staged-${process.pid}/`;
    const { store } = leader(prefix, tmp.dir);
    const follower = openStore(prefix, tmp.dir);
    const seen: number[] = [];
    follower.follow(() => seen.push(follower.loadInventory()?.length ?? 0));
    try {
      const entities = freshInventory().all();
      const many = Array.from({ length: 600 }, (_, i) => ({ ...entities[0]!, id: `bulk-${i}`, name: `bulk-${i}` }));
      store.saveInventory(many);
      await expect.poll(() => follower.loadInventory()?.length, { timeout: 5000 }).toBe(600);
      // Never half of it: the roll-forward's own changes are held until its commit key goes.
      expect(seen.every((n) => n === 0 || n === 600)).toBe(true);
      expect(follower.revision).toBeGreaterThanOrEqual(store.revision);
    } finally {
      follower.close();
      store.close();
      tmp.cleanup();
    }
  });

  it('refuses every write of a deposed leader once another replica leads', () => {
    const tmp = tempDir('pacific-etcd-fence-');
    const prefix = `/fence-${process.pid}/`;
    const first = leader(prefix, tmp.dir);
    const second = openStore(prefix, tmp.dir);
    try {
      first.store.setMeta('k', 'first');
      // The first replica's lease ends (as after a pause longer than its TTL); the second wins.
      first.election.resign();
      const election = new Election(second.conn, second.keys.leader, 'second');
      second.lead(election.tryLead()!);
      expect(() => first.store.setMeta('k', 'stale')).toThrow(StoreError);
      second.setMeta('k', 'second');
      const check = openStore(prefix, tmp.dir);
      expect(check.meta('k')).toBe('second');
      check.close();
    } finally {
      first.store.close();
      second.close();
      tmp.cleanup();
    }
  });
});
