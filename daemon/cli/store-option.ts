/** `--store etcd://host:port[,host:port…]` and its companions, as the daemon's etcd configuration. */
import { resolve } from 'node:path';
import { parseDuration } from '../base/duration.js';
import type { EtcdStoreConfig } from '../ha/replica.js';
import { DEFAULT_PREFIX } from '../store/etcd/keys.js';
import { ETCD_DEFAULT_LIMITS } from '../store/etcd/staged.js';
import { UsageError } from './preamble.js';

export interface StoreOptions {
  /** `sqlite` (default) or `etcd://host:port[,host:port…]`. */
  store?: string;
  storePrefix?: string;
  etcdCa?: string;
  etcdCert?: string;
  etcdKey?: string;
  lease?: string;
  replicaId?: string;
  etcdMaxTxnOps?: string;
  etcdMaxRequestBytes?: string;
}

function positive(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} ${text}: expected a positive whole number`);
  return n;
}

/** The etcd configuration, or undefined for the embedded SQLite store. */
export function etcdStoreOption(options: StoreOptions): EtcdStoreConfig | undefined {
  const store = options.store ?? 'sqlite';
  if (store === 'sqlite') return undefined;
  if (!store.startsWith('etcd://')) throw new UsageError(`--store ${store}: expected sqlite or etcd://host:port[,host:port…]`);
  const tls = options.etcdCa ? { ca: resolve(options.etcdCa), ...(options.etcdCert ? { cert: resolve(options.etcdCert) } : {}), ...(options.etcdKey ? { key: resolve(options.etcdKey) } : {}) } : undefined;
  if (!options.etcdCert !== !options.etcdKey) throw new UsageError('--etcd-cert and --etcd-key go together');
  if (options.etcdCert && !tls) throw new UsageError('--etcd-cert needs --etcd-ca');
  const endpoints = store
    .slice('etcd://'.length)
    .split(',')
    .map((hostPort) => {
      if (!/^[\w.-]+:\d+$/.test(hostPort) && !/^\[[\da-f:]+\]:\d+$/i.test(hostPort)) throw new UsageError(`--store: ${JSON.stringify(hostPort)} is not host:port`);
      return `${tls ? 'https' : 'http'}://${hostPort}`;
    });
  const leaseMs = parseDuration(options.lease ?? '5s');
  if (leaseMs < 2000 || leaseMs % 1000) throw new UsageError(`--lease ${options.lease}: whole seconds, at least 2s`);
  return {
    endpoints,
    prefix: options.storePrefix ?? DEFAULT_PREFIX,
    ...(tls ? { tls } : {}),
    leaseSeconds: leaseMs / 1000,
    limits: {
      maxTxnOps: positive('--etcd-max-txn-ops', options.etcdMaxTxnOps, ETCD_DEFAULT_LIMITS.maxTxnOps),
      maxRequestBytes: positive('--etcd-max-request-bytes', options.etcdMaxRequestBytes, ETCD_DEFAULT_LIMITS.maxRequestBytes),
    },
    ...(options.replicaId ? { identity: options.replicaId } : {}),
  };
}
