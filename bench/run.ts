/**
 * `npm run bench`: for each size (default 10,000 VMs in 500 namespaces, one file per VM), the
 * daemon's cold reconcile, push-to-applied, no-op resync and memory, each beside the same run's
 * floor (native git + js-yaml, and + ajv), then `/status` latency during a second cold reconcile
 * under a bounded load (`--load`). Prints a table; writes the raw numbers to
 * `bench/results/latest.json`. Timings are printed, never asserted (2 noisy cores).
 *
 * "Applied" is observed by polling `/metrics` for `pacific_last_applied_revision_info` by default:
 * the daemon sets it in the same synchronous step that saves `lastAppliedRevision`, so it becomes
 * visible to HTTP at the same moment as `/status`, while `/status` serializes every object (MiBs
 * at 10k) and polling it every 5 ms would load the single-threaded daemon being measured. Each
 * scenario still checks `/status` once after the cold pass; `--probe status` polls it instead.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../daemon/base/paths.js';
import { parseBenchArgs, USAGE } from './args.js';
import { formatGrowth, formatScenario } from './report.js';
import { runScenario, type ScenarioResult } from './scenario.js';

async function main(): Promise<number> {
  const args = parseBenchArgs(process.argv.slice(2));
  if (args === 'help') {
    console.log(USAGE);
    return 0;
  }
  const root = mkdtempSync(join(tmpdir(), 'pacific-bench-'));
  const results: ScenarioResult[] = [];
  try {
    for (const size of args.sizes) {
      const result = await runScenario(size, {
        root,
        floorRuns: args.floorRuns,
        pushes: args.pushes,
        noops: args.noops,
        loadConcurrency: args.loadConcurrency,
        probe: args.probe,
        timeoutMs: args.timeoutMs,
        progress: (line) => process.stderr.write(`bench: ${line}\n`),
      });
      results.push(result);
      console.log(`\n${formatScenario(result)}\n`);
    }
    if (results.length > 1) console.log(`${formatGrowth(results)}\n`);
    const out = join(packageRoot, 'bench', 'results');
    mkdirSync(out, { recursive: true });
    const file = join(out, 'latest.json');
    writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, probe: args.probe, results }, null, 2) + '\n');
    console.log(`raw numbers: ${file}`);
    return 0;
  } finally {
    if (args.keep) console.log(`kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  },
);
