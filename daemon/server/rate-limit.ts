/** Per-client token buckets: a client may send `burst` requests at once, then `perSecond` on average. */

/** A rate for one client. */
export interface RateLimit {
  /** Tokens added per second (the sustained rate). */
  readonly perSecond: number;
  /** Bucket size: requests a client may send at once after being idle. */
  readonly burst: number;
}

/** The verdict for one request: go ahead, or wait this many seconds (whole, at least 1). */
export type RateVerdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/** Buckets kept at most; beyond it, buckets refilled to full (the same as no bucket) are dropped, then the oldest. */
const MAX_CLIENTS = 10_000;

interface Bucket {
  tokens: number;
  atMs: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: RateLimit,
    /** Milliseconds on a monotonic clock; injectable for tests. */
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(limit.perSecond > 0) || !(limit.burst >= 1)) throw new Error(`rate limit needs perSecond > 0 and burst ≥ 1, got ${limit.perSecond}/s burst ${limit.burst}`);
  }

  /** Takes one token from `client`'s bucket, or says how long until one is there. */
  take(client: string): RateVerdict {
    const at = this.now();
    const bucket = this.buckets.get(client);
    const tokens = bucket ? this.refilled(bucket, at) : this.limit.burst;
    if (tokens < 1) {
      this.buckets.set(client, { tokens, atMs: at });
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.limit.perSecond)) };
    }
    this.buckets.delete(client); // re-inserted last: the map's order is least recently used first
    this.buckets.set(client, { tokens: tokens - 1, atMs: at });
    if (this.buckets.size > MAX_CLIENTS) this.forget(at);
    return { allowed: true };
  }

  private refilled(bucket: Bucket, at: number): number {
    return Math.min(this.limit.burst, bucket.tokens + (Math.max(0, at - bucket.atMs) / 1000) * this.limit.perSecond);
  }

  private forget(at: number): void {
    for (const [client, bucket] of this.buckets) if (this.refilled(bucket, at) >= this.limit.burst) this.buckets.delete(client);
    for (const client of this.buckets.keys()) {
      if (this.buckets.size <= MAX_CLIENTS) break;
      this.buckets.delete(client);
    }
  }
}
