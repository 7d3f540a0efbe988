/**
 * Leader election on an etcd lease: the leader key exists while its holder's lease lives, and its
 * create revision is the fence every write of the holder compares (`store/etcd/fenced-writer.ts`).
 * A killed or frozen leader's lease expires after its TTL and its key with it; a replica that
 * stops cleanly revokes the lease (a resign: the next replica leads at once).
 */
import type { EtcdConnection } from '../store/etcd/connection.js';
import type { Fence } from '../store/etcd/fenced-writer.js';

/** Kubernetes' default is 15 s, Flux's 35 s; 5 s failed over in 3.8–5.0 s after kill -9 here. */
export const DEFAULT_LEASE_SECONDS = 5;

export class Election {
  private lease: string | undefined;
  private readonly lostListeners = new Set<(reason: string) => void>();

  constructor(
    private readonly conn: EtcdConnection,
    private readonly key: string,
    readonly identity: string,
    readonly ttlSeconds = DEFAULT_LEASE_SECONDS,
  ) {
    conn.onNotice((n) => {
      if (n.notice !== 'leaseLost' || n.lease !== this.lease) return;
      this.lease = undefined;
      for (const listen of this.lostListeners) listen(`the lease ${n.lease} was lost: ${n.error}`);
    });
  }

  /** The lease this replica campaigns with, as etcd's hexadecimal id (what `etcdctl lease` shows). */
  get leaseId(): string | undefined {
    return this.lease === undefined ? undefined : BigInt(this.lease).toString(16);
  }

  /** Tries to take the lead once; the fence when this replica now leads. */
  tryLead(): Fence | undefined {
    this.lease ??= this.conn.grant(this.ttlSeconds);
    const won = this.conn.txn([{ key: this.key, target: 'create', equals: 0 }], [{ put: this.key, value: this.identity, lease: this.lease }]);
    if (won.succeeded) return { createRevision: won.revision };
    // Refused: the key is another replica's, or ours from a try whose answer was lost and was retried.
    const held = this.conn.get(this.key).kv;
    return held?.lease === this.lease ? { createRevision: held.createRevision } : undefined;
  }

  /** Hears a lost lease (its keep-alive failed past the TTL): a leader must stop applying at once. */
  onLost(listen: (reason: string) => void): () => void {
    this.lostListeners.add(listen);
    return () => this.lostListeners.delete(listen);
  }

  /** Gives the lead up now: the lease is revoked and the key with it. */
  resign(): void {
    const lease = this.lease;
    this.lease = undefined;
    if (lease !== undefined) this.conn.revoke(lease);
  }
}
