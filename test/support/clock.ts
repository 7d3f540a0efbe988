/** Test clocks: the daemon's `Clock`, moved only by the test. */
import type { Clock } from '../../daemon/base/clock.js';

const START = Date.parse('2026-01-01T00:00:00Z');

/** A clock that stands still until `advance` moves it. */
export class TestClock implements Clock {
  private at: number;

  constructor(private readonly start = START) {
    this.at = start;
  }

  now(): number {
    return this.at;
  }

  /** Moves the clock forward; returns the new time. */
  advance(ms: number): number {
    this.at += ms;
    return this.at;
  }

  /** Back to the start. */
  reset(): void {
    this.at = this.start;
  }
}

/** The simulator clock of in-process tests: a fixed start, reset per test (see `useInventoryStore`). */
export const clock = new TestClock();

/** A clock standing at `iso` (an RFC 3339 time). */
export function clockAt(iso: string): TestClock {
  return new TestClock(Date.parse(iso));
}
