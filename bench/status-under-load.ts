/**
 * Status under load: a second cold reconcile on a fresh state dir while a bounded load generator
 * (`concurrency` clients, one request in flight each) reads `/status` from the moment the server
 * listens until the head is applied; the bench's own poll of `/metrics` runs beside it as always.
 * Its own run, so the unloaded cold figure stays comparable across runs.
 */
import { scrape, waitUntilApplied, type AppliedProbe } from './daemon-client.js';
import type { DaemonChild } from './daemon-child.js';
import { startLoad, type PathLatency } from './load-generator.js';
import { sumOf } from './prom-text.js';

/** The latency `/status` saw during the loaded cold reconcile, and that reconcile's duration. */
export interface StatusLoadResult {
  readonly concurrency: number;
  readonly paths: readonly PathLatency[];
  /** Spawn → head applied, with the load running. */
  readonly wallMs: number;
  /** The daemon's own pass duration (`pacific_reconcile_duration_seconds_sum`). */
  readonly passMs: number;
}

async function waitUntilListening(daemon: DaemonChild, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    daemon.assertAlive();
    try {
      if ((await fetch(daemon.url + '/healthz')).ok) return;
    } catch (err) {
      if (!(err instanceof TypeError)) throw err; // not listening yet
    }
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${daemon.url} to listen:\n${daemon.logTail()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Runs the load from listen to applied on a daemon spawned on a fresh state dir. */
export async function measureStatusUnderLoad(daemon: DaemonChild, head: string, options: { concurrency: number; probe: AppliedProbe; timeoutMs: number }): Promise<StatusLoadResult> {
  await waitUntilListening(daemon, options.timeoutMs);
  const load = startLoad(daemon.url, { concurrency: options.concurrency, paths: ['/status'], timeoutMs: 30_000 });
  let seen: number;
  try {
    seen = await waitUntilApplied(daemon, head, { probe: options.probe, intervalMs: 20, timeoutMs: options.timeoutMs });
  } catch (err) {
    await load.stop();
    throw err;
  }
  const paths = await load.stop();
  const samples = await scrape(daemon);
  return { concurrency: options.concurrency, paths, wallMs: seen - daemon.spawnedAt, passMs: sumOf(samples, 'pacific_reconcile_duration_seconds_sum') * 1000 };
}
