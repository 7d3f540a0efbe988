/**
 * The salt of the hashes that stand for Secret values in plans (`plan/secret-values.ts`), kept in
 * the store beside the values it hides: every member of a replicated store hashes alike, a
 * `pacific diff --state` shows the daemon's hashes, and a restart keeps them comparable.
 */
import { randomBytes } from 'node:crypto';
import { runSecretHash, secretHasher, type SecretHash } from '../plan/secret-values.js';
import type { MetaReader, MetaStore } from './ports.js';

export const SECRET_SALT_META = 'secret-hash-salt';

/** The store's hash, its salt made on first use: only a writer (the leader) plans, so only it makes one. */
export function storeSecretHash(store: MetaStore): SecretHash {
  let hash: SecretHash | undefined;
  return (section, value) => {
    if (!hash) {
      let salt = store.meta(SECRET_SALT_META);
      if (!salt) store.setMeta(SECRET_SALT_META, (salt = randomBytes(32).toString('hex')));
      hash = secretHasher(salt);
    }
    return hash(section, value);
  };
}

/** The store's hash for a reader; a store that never planned a Secret has none, and this run's salt stands in. */
export function readSecretHash(store: MetaReader): SecretHash {
  const salt = store.meta(SECRET_SALT_META);
  return salt ? secretHasher(salt) : runSecretHash;
}
