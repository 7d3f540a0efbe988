/**
 * One replica of `pacific serve --store etcd://…`: it opens the etcd store, follows it into the
 * in-memory inventory while another replica leads, and campaigns; once it wins it has followed the
 * watch up to its leadership's revision, so it leads without reloading. A lost lease ends its
 * lead at once (`onLost`): the daemon stops applying and the process leaves, as controllers on
 * client-go and controller-runtime do, to come back as a follower.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import type { Entity } from '../inventory/model/entity.js';
import type { InventoryRegistry } from '../inventory/registry.js';
import { EtcdStore, type WatchedEntity } from '../store/etcd/etcd-store.js';
import type { TxnLimits } from '../store/etcd/staged.js';
import type { ConnectOptions } from '../store/etcd/protocol.js';
import { SqliteStore } from '../store/sqlite-store.js';
import type { ObjectStatusRecord } from '../store/types.js';
import { DEFAULT_LEASE_SECONDS, Election } from './election.js';

export interface EtcdStoreConfig {
  readonly endpoints: readonly string[];
  readonly prefix: string;
  readonly tls?: ConnectOptions['tls'];
  readonly leaseSeconds?: number;
  readonly limits?: TxnLimits;
  /** This replica's name in the leader key (default `<hostname>:<pid>`). */
  readonly identity?: string;
}

/** What `/status` and `/metrics` say of the replica. */
export interface ReplicaStatus {
  readonly role: 'leader' | 'follower';
  readonly identity: string;
  readonly leader: string | null;
  readonly lease: { readonly id: string | null; readonly ttlSeconds: number };
  /** The store revision this replica's view is at. */
  readonly revision: number;
  /** How many revisions etcd is ahead of this replica's view (0 for the leader). */
  readonly lagRevisions: number;
}

/** How often a follower asks etcd's head revision (the lag) and retries the lead besides the watch. */
const POLL_MS = 500;

/** How long a new leader waits for its watch to reach its leadership's revision before it reads the store instead. */
const CATCH_UP_MS = 1_000;

/** `lead` ended because the replica was closed first. */
export class ReplicaClosed extends Error {}

/** Makes the registry hold exactly `entities` (after a view was read again). */
export function replaceEntities(registry: InventoryRegistry, entities: readonly Entity[]): void {
  const ids = new Set(entities.map((e) => e.id));
  registry.transaction(() => {
    for (const e of registry.all()) if (!ids.has(e.id)) registry.remove(e.id);
    for (const e of entities) registry.put(e);
  });
  registry.takeTouched();
}

export class Replica {
  readonly store: EtcdStore;
  readonly election: Election;
  private leading = false;
  private headRevision = 0;
  private statuses: { version: number; list: readonly ObjectStatusRecord[] } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private closed = false;

  private constructor(
    config: EtcdStoreConfig,
    stateDir: string,
    private readonly log: Logger,
  ) {
    // The parse cache stays with the replica, in its state dir.
    this.store = EtcdStore.open({
      endpoints: config.endpoints,
      prefix: config.prefix,
      ...(config.tls ? { tls: config.tls } : {}),
      ...(config.limits ? { limits: config.limits } : {}),
      retryMs: (config.leaseSeconds ?? DEFAULT_LEASE_SECONDS) * 1000,
      local: SqliteStore.open(join(stateDir, 'local')),
    });
    this.election = new Election(this.store.conn, this.store.keys.leader, config.identity ?? `${hostname()}:${process.pid}`, config.leaseSeconds ?? DEFAULT_LEASE_SECONDS);
  }

  static open(config: EtcdStoreConfig, stateDir: string, log: Logger): Replica {
    return new Replica(config, stateDir, log);
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /**
   * Keeps `registry` in step with the store and campaigns; resolves once this replica leads. Until
   * then `onFollow` hears each change a watch applied.
   */
  async lead(registry: InventoryRegistry, onFollow: () => void): Promise<void> {
    this.store.follow((revision, entities: readonly WatchedEntity[]) => {
      if (entities.length) {
        registry.transaction(() => {
          for (const e of entities) {
            if (e.entity) registry.put(e.entity);
            else registry.remove(e.id);
          }
        });
        registry.takeTouched();
      }
      this.headRevision = Math.max(this.headRevision, revision);
      onFollow();
      // The leader's key went with its lease: campaign now rather than at the next poll.
      if (!this.store.leader) this.wake?.();
    });
    this.timer = setInterval(() => this.poll(), POLL_MS);
    this.timer.unref();
    for (;;) {
      if (this.closed) throw new ReplicaClosed('the replica was closed before it led');
      const fence = this.election.tryLead();
      if (fence) {
        // Every write of an earlier leader is below our key's revision: follow up to it, then write.
        // A watch that does not get there soon (its member stopped answering) is replaced by one read.
        const until = Date.now() + CATCH_UP_MS;
        while (this.store.revision < fence.createRevision && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
        if (this.store.lead(fence)) replaceEntities(registry, this.store.loadInventory() ?? []);
        this.leading = true;
        this.log.info({ identity: this.election.identity, revision: fence.createRevision, lease: this.election.leaseId }, 'this replica leads');
        return;
      }
      await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, POLL_MS).unref();
      });
    }
  }

  private poll(): void {
    if (this.leading || this.closed) return;
    try {
      this.headRevision = Math.max(this.headRevision, this.store.conn.get(this.store.keys.leader).revision);
    } catch (err) {
      this.log.warn({ err }, 'etcd did not answer the follower');
    }
    this.wake?.();
  }

  /** Hears the end of this replica's lead: a lost lease, or a write etcd refused. */
  onLost(listen: (reason: string) => void): void {
    let heard = false;
    const lost = (reason: string) => {
      if (!this.leading || heard) return;
      heard = true;
      this.leading = false;
      this.store.depose(reason);
      listen(reason);
    };
    this.election.onLost(lost);
    this.store.onDeposed(lost);
  }

  /** The object statuses in the store, re-read only when they changed (what a follower's `/status` lists). */
  objectStatuses(): readonly ObjectStatusRecord[] {
    const version = this.store.statusVersion;
    if (this.statuses?.version !== version) this.statuses = { version, list: this.store.objectStatuses() };
    return this.statuses.list;
  }

  status(): ReplicaStatus {
    const revision = this.store.revision;
    return {
      role: this.leading ? 'leader' : 'follower',
      identity: this.election.identity,
      leader: this.leading ? this.election.identity : (this.store.leader?.identity ?? null),
      lease: { id: this.election.leaseId ?? null, ttlSeconds: this.election.ttlSeconds },
      revision,
      lagRevisions: this.leading ? 0 : Math.max(0, this.headRevision - revision),
    };
  }

  /** Gauges of the role, the store revision and the lag, read at each scrape. */
  registerMetrics(registry: Registry): void {
    const status = () => this.status();
    new Gauge({ name: 'pacific_replica_leader', help: 'Whether this replica leads (1) or follows (0)', labelNames: ['identity'] as const, registers: [registry], collect() {
      this.reset();
      this.set({ identity: status().identity }, status().role === 'leader' ? 1 : 0);
    } });
    new Gauge({ name: 'pacific_store_revision', help: "The etcd revision this replica's view of the store is at", registers: [registry], collect() {
      this.set(status().revision);
    } });
    new Gauge({ name: 'pacific_replica_lag_revisions', help: "How many etcd revisions this replica's view is behind the store", registers: [registry], collect() {
      this.set(status().lagRevisions);
    } });
  }

  /** Resigns (a clean stop: another replica leads at once) and closes the store. */
  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.wake?.();
    try {
      this.election.resign();
    } catch (err) {
      this.log.warn({ err }, 'could not resign; the lease ends by itself');
    }
    this.store.close();
  }
}
