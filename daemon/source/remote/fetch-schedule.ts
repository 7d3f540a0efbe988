/**
 * When a remote source is fetched: every interval with ±10% jitter (so sources started together
 * do not fetch together), at once when asked (a webhook), and after a failure sooner, backing off
 * from 1 s and doubling up to the interval, as Flux requeues a failed GitRepository.
 */
import type { FetchOutcome } from './mirror.js';

export interface FetchScheduleOptions {
  readonly intervalMs: number;
  /** Fetches; never rejects. */
  readonly fetch: () => Promise<FetchOutcome>;
  /** After every fetch, with what asked for it. */
  readonly onFetched: (outcome: FetchOutcome, reason: string) => void;
  /** [0, 1); injectable for tests. */
  readonly random?: () => number;
}

const FIRST_RETRY_MS = 1000;

/** The delay before the next fetch after `failures` failures in a row. */
export function nextFetchDelay(intervalMs: number, failures: number, random: () => number): number {
  const base = failures > 0 ? Math.min(intervalMs, FIRST_RETRY_MS * 2 ** (failures - 1)) : intervalMs;
  return Math.round(base * (0.9 + 0.2 * random()));
}

export class FetchSchedule {
  #timer: NodeJS.Timeout | undefined;
  #failures = 0;
  #stopped = false;
  #running: Promise<FetchOutcome> | undefined;

  constructor(private readonly options: FetchScheduleOptions) {}

  /** Failed fetches in a row. */
  get failures(): number {
    return this.#failures;
  }

  /** Arms the timer after a fetch made outside the schedule (the daemon's first, before its first pass). */
  start(first: FetchOutcome): void {
    this.#failures = first.ok ? 0 : 1;
    this.#arm();
  }

  /** Fetches now and re-arms the timer from now; resolves with the outcome. */
  async now(reason: string): Promise<FetchOutcome> {
    clearTimeout(this.#timer);
    const running = (this.#running = this.options.fetch());
    const outcome = await running;
    this.#failures = outcome.ok ? 0 : this.#failures + 1;
    if (!this.#stopped) {
      this.options.onFetched(outcome, reason);
      this.#arm();
    }
    return outcome;
  }

  /** Stops the timer and waits for a running fetch. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #arm(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.now(this.#failures ? 'retry' : 'interval'), nextFetchDelay(this.options.intervalMs, this.#failures, this.options.random ?? Math.random));
    this.#timer.unref();
  }
}
