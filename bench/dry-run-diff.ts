/**
 * `pacific diff` of a one-file change, as a user runs it: a fresh process (start-up included)
 * comparing the pushed head with the stopped daemon's state dir. Exit code 1 (changes) is
 * required; anything else fails the bench with the output.
 */
import { spawnSync } from 'node:child_process';
import { CLI } from './daemon-child.js';
import { commitPowerFlip, type FixtureRepo } from './fixture-repo.js';
import { git } from './git-cli.js';
import { median } from './stats.js';

/** Dry-run figures of one scenario. */
export interface DryRunDiffResult {
  /** Process spawn → exit, per run. */
  readonly samplesMs: readonly number[];
  readonly medianMs: number;
}

/** Pushes one changed VM file (the daemon is stopped, so it stays unapplied), then times `runs` diffs. */
export function measureDryRunDiff(repo: FixtureRepo, stateDir: string, runs: number): DryRunDiffResult {
  commitPowerFlip(repo, Math.floor(repo.size.vms / 2));
  git(repo.cloneDir, 'push', '-q', 'origin', 'main');
  const samplesMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const run = spawnSync(process.execPath, [CLI, 'diff', repo.bareDir, '--state', stateDir], { encoding: 'utf8', maxBuffer: 1 << 28 });
    samplesMs.push(performance.now() - start);
    if (run.status !== 1) throw new Error(`pacific diff exited ${run.status} (want 1, changes):\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`);
  }
  return { samplesMs, medianMs: median(samplesMs) };
}
