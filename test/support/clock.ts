/** The simulator clock of in-process tests: a fixed start, moved only by `advance`, reset per test. */
const START = Date.parse('2026-01-01T00:00:00Z');

export const clock = {
  now: START,
  advance(ms: number): number {
    this.now += ms;
    return this.now;
  },
  reset(): void {
    this.now = START;
  },
};
