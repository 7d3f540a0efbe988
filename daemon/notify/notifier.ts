/**
 * `--notify`: follows the daemon's event log and hands each event worth telling to every
 * receiver's queue. The daemon calls `look` after a pass and after a simulator change, where the
 * events have just been written; reading them back from the log keeps one record of what happened.
 */
import type { Logger } from 'pino';
import type { Metrics } from '../base/metrics.js';
import { versionInfo } from '../base/version.js';
import { DEFAULT_DELIVERY, ReceiverQueue, type DeliveryOptions } from './delivery.js';
import { notificationOf, type LoggedEvent, type NotifiedSource } from './notifications.js';

export interface NotifyOptions {
  /** Where to POST (`--notify`, repeatable). */
  readonly urls: readonly URL[];
  /** The HMAC key (`--notify-secret-file` or `$PACIFIC_NOTIFY_SECRET`); never logged. */
  readonly secret: string;
  readonly delivery?: Partial<DeliveryOptions>;
}

/** The event log, as far as the notifier reads it. */
export interface EventFeed {
  recentEvents(limit?: number): LoggedEvent[];
  eventsAfter(seq: number, limit?: number): LoggedEvent[];
}

/** Events read at once; a longer backlog is read in several reads. */
const PAGE = 500;

export class Notifier {
  private readonly receivers: ReceiverQueue[];
  private lastSeq = 0;

  constructor(
    options: NotifyOptions,
    private readonly feed: EventFeed,
    private readonly source: NotifiedSource,
    metrics: Metrics,
    private readonly log: Logger,
  ) {
    const delivery = { ...DEFAULT_DELIVERY, ...options.delivery };
    const userAgent = `pacific/${versionInfo().pacific}`;
    this.receivers = options.urls.map((url) => new ReceiverQueue(url, options.secret, delivery, userAgent, metrics, log));
    this.skipToNow();
  }

  /** What the log held before is not news: a restart, or a replica taking the lead, tells only what happens from now on. */
  skipToNow(): void {
    this.lastSeq = this.feed.recentEvents(1)[0]?.seq ?? 0;
  }

  /** Queues the events logged since the last look; never waits for a receiver, and never throws into a pass. */
  look(): void {
    try {
      for (;;) {
        const events = this.feed.eventsAfter(this.lastSeq, PAGE);
        for (const event of events) {
          this.lastSeq = event.seq ?? this.lastSeq;
          const notification = notificationOf(event, this.source);
          if (notification) for (const receiver of this.receivers) receiver.offer(notification);
        }
        if (events.length < PAGE) return;
      }
    } catch (err) {
      this.log.error({ err }, 'notifications: the event log could not be read; the next look tries again');
    }
  }

  stop(): void {
    for (const receiver of this.receivers) receiver.stop();
  }

  /** The receivers as logs name them. */
  get labels(): string[] {
    return this.receivers.map((r) => r.label);
  }
}
