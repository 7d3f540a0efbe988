/**
 * Push-to-applied: one VM file changed in a working clone, committed, `git push`ed to the served
 * bare repo; measured from `git push` returning to the daemon reporting the new revision applied.
 */
import { commitPowerFlip, type FixtureRepo } from './fixture-repo.js';
import { scrape, waitUntilApplied, type AppliedProbe } from './daemon-client.js';
import type { DaemonChild } from './daemon-child.js';
import { git } from './git-cli.js';
import { stageMs, subtractStages, sumOf } from './prom-text.js';
import { median, percentile } from './stats.js';

/** Push-to-applied figures of one scenario. */
export interface PushResult {
  /** `git push` returns → applied seen, per push. */
  readonly samplesMs: readonly number[];
  readonly medianMs: number;
  readonly p90Ms: number;
  /** How long each `git push` itself took (not part of the samples). */
  readonly gitPushMs: readonly number[];
  /** The daemon's `pacific_push_to_applied_seconds` over these pushes (ref mtime → applied). */
  readonly daemonHistogram: { readonly sumMs: number; readonly count: number; readonly meanMs: number };
  /** Passes the pushes caused, their mean duration, and mean stage times per pass. */
  readonly passes: number;
  readonly meanPassMs: number;
  readonly meanStagesMs: Record<string, number>;
}

const PAUSE_MS = 100;

/** Pushes `iterations` one-file changes, each flipping a different VM's power state, polling every 5 ms. */
export async function measurePushToApplied(daemon: DaemonChild, repo: FixtureRepo, options: { iterations: number; probe: AppliedProbe; timeoutMs: number }): Promise<PushResult> {
  const before = await scrape(daemon);
  const samplesMs: number[] = [];
  const gitPushMs: number[] = [];
  for (let i = 0; i < options.iterations; i++) {
    const revision = commitPowerFlip(repo, (i * 7919 + 13) % repo.size.vms);
    const start = performance.now();
    git(repo.cloneDir, 'push', '-q', 'origin', 'main');
    const pushed = performance.now();
    gitPushMs.push(pushed - start);
    const seen = await waitUntilApplied(daemon, revision, { probe: options.probe, intervalMs: 5, timeoutMs: options.timeoutMs });
    samplesMs.push(seen - pushed);
    // Let the pass's tail (status save, events) finish so pushes do not overlap passes.
    await new Promise((r) => setTimeout(r, PAUSE_MS));
  }
  const after = await scrape(daemon);
  const delta = (name: string, labels: Record<string, string> = {}) => sumOf(after, name, labels) - sumOf(before, name, labels);
  const passes = delta('pacific_reconcile_total');
  const stages = subtractStages(stageMs(after), stageMs(before));
  const pushSum = delta('pacific_push_to_applied_seconds_sum') * 1000;
  const pushCount = delta('pacific_push_to_applied_seconds_count');
  return {
    samplesMs,
    medianMs: median(samplesMs),
    p90Ms: percentile(samplesMs, 90),
    gitPushMs,
    daemonHistogram: { sumMs: pushSum, count: pushCount, meanMs: pushCount ? pushSum / pushCount : NaN },
    passes,
    meanPassMs: passes ? (delta('pacific_reconcile_duration_seconds_sum') * 1000) / passes : NaN,
    meanStagesMs: Object.fromEntries(Object.entries(stages).map(([s, ms]) => [s, passes ? ms / passes : NaN])),
  };
}
