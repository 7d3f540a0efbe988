/**
 * The etcd rows alone, away from the rest of the bench (`npm run build && node dist/bench/etcd-alone.js
 * [--vms 10000] [--namespaces 500] [--pushes 7] [--trials 5]`): the bench's repo and topology, the
 * SQLite daemon's cold reconcile and push-to-applied, then the same on a three-member etcd and the
 * failover after kill -9 of the leader, as `npm run bench` prints them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeBenchTopology } from './bench-topology.js';
import { measureColdReconcile } from './cold-reconcile.js';
import { spawnDaemon } from './daemon-child.js';
import { runEtcdScenario } from './etcd-scenario.js';
import { createFixtureRepo } from './fixture-repo.js';
import { measurePushToApplied } from './push-to-applied.js';
import { formatMs } from './stats.js';

const { values } = parseArgs({ options: { vms: { type: 'string', default: '10000' }, namespaces: { type: 'string', default: '500' }, pushes: { type: 'string', default: '7' }, trials: { type: 'string', default: '5' } } });
const size = { vms: Number(values.vms), namespaces: Number(values.namespaces) };
const root = mkdtempSync(join(tmpdir(), 'pacific-etcd-bench-'));
const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);
try {
  const repo = createFixtureRepo(root, size);
  const topologyFile = join(root, 'topology.yaml');
  writeBenchTopology(topologyFile, size.vms);
  const timeoutMs = 600_000;
  const sqlite = await spawnDaemon({ repo: repo.bareDir, stateDir: join(root, 'state'), topologyFile });
  let cold;
  let push;
  try {
    cold = await measureColdReconcile(sqlite, repo.head, size.vms, { probe: 'metrics', timeoutMs });
    push = await measurePushToApplied(sqlite, repo, { iterations: Number(values.pushes), probe: 'metrics', timeoutMs });
  } finally {
    await sqlite.stop();
  }
  const etcd = await runEtcdScenario(repo, topologyFile, root, { pushes: Number(values.pushes), trials: Number(values.trials), timeoutMs, progress });
  console.log(`${size.vms} VMs in ${size.namespaces} namespaces; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`SQLite: cold ${formatMs(cold.wallMs)}, push-to-applied median ${formatMs(push.medianMs)} p90 ${formatMs(push.p90Ms)} (${push.samplesMs.map(formatMs).join(', ')})`);
  if ('skipped' in etcd) console.log(`etcd: skipped, ${etcd.skipped}`);
  else {
    console.log(`etcd:   cold ${formatMs(etcd.cold.wallMs)}, push-to-applied median ${formatMs(etcd.push.medianMs)} p90 ${formatMs(etcd.push.p90Ms)} (${etcd.push.samplesMs.map(formatMs).join(', ')})`);
    console.log(`failover (kill -9 → pushed revision applied, lease ${etcd.lease}): median ${formatMs(etcd.failoverMedianMs)}; runs ${etcd.failoverMs.map(formatMs).join(', ')}`);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
