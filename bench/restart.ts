/**
 * Restart on an unchanged revision: the daemon stopped and started again on the same state dir and
 * the same head. Timed from spawn to `/readyz` answering 200 (ready after its first pass); the
 * pass's stages show what it re-read (parsed documents come from the store, keyed by blob id).
 */
import type { DaemonChild } from './daemon-child.js';
import { scrape } from './daemon-client.js';
import { stageMs, sumOf } from './prom-text.js';

/** Restart figures of one scenario. */
export interface RestartResult {
  /** Spawn → `/readyz` 200. */
  readonly readyMs: number;
  /** The first pass's own duration and stages, from `/metrics`. */
  readonly passMs: number;
  readonly stagesMs: Record<string, number>;
}

/** Waits for `daemon` (just spawned on an existing state dir) to be ready. */
export async function measureRestart(daemon: DaemonChild, timeoutMs: number): Promise<RestartResult> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    daemon.assertAlive();
    try {
      const response = await fetch(daemon.url + '/readyz');
      await response.text();
      if (response.ok) break;
    } catch (err) {
      if (!(err instanceof TypeError)) throw err; // not listening yet
    }
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${daemon.url}/readyz:\n${daemon.logTail()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const readyMs = performance.now() - daemon.spawnedAt;
  const samples = await scrape(daemon);
  return { readyMs, passMs: sumOf(samples, 'pacific_reconcile_duration_seconds_sum') * 1000, stagesMs: stageMs(samples) };
}
