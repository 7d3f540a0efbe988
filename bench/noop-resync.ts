/** No-op resync: `POST /reconcile` with nothing changed, timed by the daemon's own pass histogram. */
import { requestReconcile, scrape, waitForPasses } from './daemon-client.js';
import type { DaemonChild } from './daemon-child.js';
import { stageMs, subtractStages, sumOf } from './prom-text.js';
import { median } from './stats.js';

/** No-op resync figures of one scenario. */
export interface NoopResult {
  /** Each pass's duration: the delta of `pacific_reconcile_duration_seconds_sum{result="unchanged"}`. */
  readonly samplesMs: readonly number[];
  readonly medianMs: number;
  /** Per-stage time of the median-duration pass. */
  readonly stagesMs: Record<string, number>;
}

/** Triggers `iterations` passes one after another and reads each one's duration from `/metrics`. */
export async function measureNoopResync(daemon: DaemonChild, options: { iterations: number; timeoutMs: number }): Promise<NoopResult> {
  const passes: { ms: number; stages: Record<string, number> }[] = [];
  let before = await scrape(daemon);
  for (let i = 0; i < options.iterations; i++) {
    const count = sumOf(before, 'pacific_reconcile_total', { result: 'unchanged' });
    await requestReconcile(daemon);
    const after = await waitForPasses(daemon, 'unchanged', count + 1, options.timeoutMs);
    if (sumOf(after, 'pacific_reconcile_total') !== sumOf(before, 'pacific_reconcile_total') + 1) throw new Error('no-op resync: a pass other than the requested one ran');
    const ms = (sumOf(after, 'pacific_reconcile_duration_seconds_sum', { result: 'unchanged' }) - sumOf(before, 'pacific_reconcile_duration_seconds_sum', { result: 'unchanged' })) * 1000;
    passes.push({ ms, stages: subtractStages(stageMs(after), stageMs(before)) });
    before = after;
  }
  const samplesMs = passes.map((p) => p.ms);
  const middle = [...passes].sort((a, b) => a.ms - b.ms)[Math.floor(passes.length / 2)];
  return { samplesMs, medianMs: median(samplesMs), stagesMs: middle?.stages ?? {} };
}
