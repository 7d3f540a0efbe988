/**
 * What every state-changing request passes before its handler runs, in this order: the bearer
 * token (401 without it or with a wrong one), the client's request rate (429 with Retry-After),
 * then a body of bounded size (413), read only once the first two passed. The router applies it to
 * every route that is not a read, so a new state-changing route cannot skip it.
 *
 * The token is checked before the rate: a refusal without it costs no more than a 429 and never
 * reads the body, and so a client without the token cannot spend the budget of one that has it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { RateLimiter, type RateLimit } from './rate-limit.js';
import { refusal, type HttpRequest, type HttpResponse } from './types.js';

/** Limits on state-changing requests (`pacific serve --max-body`, `--write-rate`, `--write-burst`). */
export interface WriteLimits {
  /** Largest request body, counted as it streams in (Content-Length is not trusted alone). */
  readonly maxBodyBytes: number;
  /** Per client address; reads are not limited. */
  readonly rate: RateLimit;
}

/**
 * 64 KiB is a thousand times the largest body an endpoint takes today (a resize is ~30 bytes); 20
 * at once then 5 a second is more than a person or a test script sends, and each admin operation
 * is a store transaction, so a runaway loop cannot turn into thousands of them a second.
 */
export const DEFAULT_WRITE_LIMITS: WriteLimits = { maxBodyBytes: 64 * 1024, rate: { perSecond: 5, burst: 20 } };

const CHALLENGE = 'Bearer realm="pacific"';

const digest = (text: string) => createHash('sha256').update(text).digest();

export class WriteGuard {
  private readonly expected: Buffer;
  private readonly limiter: RateLimiter;

  constructor(
    token: string,
    readonly limits: WriteLimits = DEFAULT_WRITE_LIMITS,
    /** Monotonic milliseconds, for the rate limiter; injectable for tests. */
    now?: () => number,
  ) {
    if (!token) throw new Error('the API token is empty');
    // Compare digests: equal length whatever was sent, so the comparison time says nothing.
    this.expected = digest(token);
    this.limiter = new RateLimiter(limits.rate, now);
  }

  /** Undefined when the request may go on to read its body and run; else the refusal to send. */
  admit(req: Pick<HttpRequest, 'headers' | 'client'>): HttpResponse | undefined {
    const header = req.headers['authorization'];
    const given = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!given) return refusal(401, 'this endpoint changes state: send Authorization: Bearer <token> (the token file in the state dir, or $PACIFIC_TOKEN)', { 'www-authenticate': CHALLENGE });
    if (!timingSafeEqual(digest(given), this.expected)) return refusal(401, 'the bearer token is not this daemon\'s token', { 'www-authenticate': `${CHALLENGE}, error="invalid_token"` });
    return this.admitRate(req);
  }

  /** The rate alone: for a request that proves itself otherwise (a webhook's signature, checked by its handler). */
  admitRate(req: Pick<HttpRequest, 'client'>): HttpResponse | undefined {
    const verdict = this.limiter.take(req.client);
    if (!verdict.allowed) {
      const { perSecond, burst } = this.limits.rate;
      return refusal(429, `too many state-changing requests from ${req.client}: at most ${burst} at once and ${perSecond} a second; retry in ${verdict.retryAfterSeconds} s`, { 'retry-after': String(verdict.retryAfterSeconds) });
    }
    return undefined;
  }
}
