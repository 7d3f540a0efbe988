/**
 * One receiver's deliveries: a bounded queue in memory, sent one at a time in order, each retried
 * with exponential backoff while the receiver is unreachable or answers 5xx, 408 or 429. A full
 * queue drops its oldest notification (counted), so a dead receiver costs memory up to the bound
 * and never time: `offer` only pushes, and the sending runs beside the passes.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ExponentialBackoff, handleWhen, retry, type RetryPolicy } from 'cockatiel';
import type { Metrics } from '../base/metrics.js';
import { SIGNATURE_HEADER, signatureOf, type Notification } from './notifications.js';

export interface DeliveryOptions {
  /** Notifications kept waiting per receiver; the oldest goes when one more comes. */
  readonly queueLimit: number;
  /** Tries of one notification, the first included. */
  readonly attempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** How long one try may take, answer included. */
  readonly timeoutMs: number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = { queueLimit: 1000, attempts: 8, initialDelayMs: 1000, maxDelayMs: 60_000, timeoutMs: 10_000 };

/** A receiver's answer that is not 2xx. */
class Refused extends Error {
  constructor(readonly status: number) {
    super(`answered ${status}`);
  }
}

/** Worth another try: no answer, a timeout, or an answer that says "later". */
const transient = (err: Error) => !(err instanceof Refused) || err.status >= 500 || err.status === 408 || err.status === 429;

/** The receiver as logs name it: without credentials or a query, which may hold a token. */
export function receiverLabel(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

export class ReceiverQueue {
  private readonly waiting: Notification[] = [];
  private sending = false;
  private readonly stopping = new AbortController();
  private readonly policy: RetryPolicy;
  readonly label: string;

  constructor(
    private readonly url: URL,
    private readonly secret: string,
    private readonly options: DeliveryOptions,
    private readonly userAgent: string,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {
    this.label = receiverLabel(url);
    this.policy = retry(handleWhen(transient), { maxAttempts: options.attempts - 1, backoff: new ExponentialBackoff({ initialDelay: options.initialDelayMs, maxDelay: options.maxDelayMs }) }).dangerouslyUnref();
    this.policy.onRetry(({ delay, attempt, ...reason }) => this.log.debug({ receiver: this.label, attempt, delayMs: Math.round(delay), cause: 'error' in reason ? reason.error.message : undefined }, 'notification: retrying'));
  }

  /** Queues a notification; never waits. */
  offer(notification: Notification): void {
    if (this.stopping.signal.aborted) return;
    if (this.waiting.length >= this.options.queueLimit) {
      const dropped = this.waiting.shift()!;
      this.metrics.notificationsDropped.inc();
      this.metrics.notificationsQueued.dec();
      this.log.warn({ receiver: this.label, type: dropped.type, seq: dropped.seq }, 'notification dropped: the queue of this receiver is full');
    }
    this.waiting.push(notification);
    this.metrics.notificationsQueued.inc();
    if (!this.sending) void this.drain();
  }

  /** Stops sending; what waits is dropped (the queue is memory only). */
  stop(): void {
    this.stopping.abort();
    this.metrics.notificationsQueued.dec(this.waiting.length);
    this.waiting.length = 0;
  }

  private async drain(): Promise<void> {
    this.sending = true;
    try {
      for (let next = this.waiting.shift(); next; next = this.waiting.shift()) {
        this.metrics.notificationsQueued.dec();
        await this.deliver(next);
        if (this.stopping.signal.aborted) return;
      }
    } finally {
      this.sending = false;
    }
  }

  private async deliver(notification: Notification): Promise<void> {
    const body = JSON.stringify(notification);
    const headers = {
      'content-type': 'application/json',
      'user-agent': this.userAgent,
      'x-pacific-event': notification.type,
      // The same id on every try: a receiver that got a try whose answer was lost drops the repeat.
      'x-pacific-delivery': randomUUID(),
      [SIGNATURE_HEADER]: signatureOf(this.secret, body),
    };
    try {
      await this.policy.execute(async ({ signal }) => {
        const response = await fetch(this.url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.any([signal, AbortSignal.timeout(this.options.timeoutMs)]) });
        await response.body?.cancel();
        if (!response.ok) throw new Refused(response.status);
      }, this.stopping.signal);
      this.metrics.notificationsSent.inc({ result: 'delivered' });
    } catch (err) {
      if (this.stopping.signal.aborted) return;
      this.metrics.notificationsSent.inc({ result: 'failed' });
      this.log.warn({ receiver: this.label, type: notification.type, seq: notification.seq, cause: (err as Error).message }, 'notification not delivered: gave up');
    }
  }
}
