/**
 * The Kubernetes API alone, away from the rest of the bench (`npm run build && node
 * dist/bench/kube-api-alone.js [--vms 10000] [--namespaces 500] [--runs 5] [--pushes 7]
 * [--watchers 100]`): the bench's repo and topology, one daemon, cold reconcile, then the same
 * measurement as `npm run bench`'s Kubernetes API rows (LISTs beside their floor, watch delivery
 * from the apply and from the push). The machine is shared: quote the median, the range and the load.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeBenchTopology } from './bench-topology.js';
import { spawnDaemon } from './daemon-child.js';
import { waitUntilApplied } from './daemon-client.js';
import { createFixtureRepo } from './fixture-repo.js';
import { measureKubeApi } from './kube-api.js';
import { formatBytes, formatMs, formatRatio } from './stats.js';

const { values } = parseArgs({
  options: {
    vms: { type: 'string', default: '10000' },
    namespaces: { type: 'string', default: '500' },
    runs: { type: 'string', default: '5' },
    pushes: { type: 'string', default: '7' },
    watchers: { type: 'string', default: '100' },
  },
});
const size = { vms: Number(values.vms), namespaces: Number(values.namespaces) };
const root = mkdtempSync(join(tmpdir(), 'pacific-kube-api-bench-'));
const repo = createFixtureRepo(root, size);
const topologyFile = join(root, 'topology.yaml');
writeBenchTopology(topologyFile, size.vms);
const daemon = await spawnDaemon({ repo: repo.bareDir, stateDir: join(root, 'state'), topologyFile });
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
try {
  await waitUntilApplied(daemon, repo.head, { probe: 'metrics', intervalMs: 100, timeoutMs: 600_000 });
  const loadBefore = load();
  const k = await measureKubeApi(daemon, repo, { runs: Number(values.runs), watchers: Number(values.watchers), pushes: Number(values.pushes), probe: 'metrics', timeoutMs: 600_000 });
  const range = (runs: readonly number[]) => `${formatMs(Math.min(...runs))}–${formatMs(Math.max(...runs))}`;
  console.log(`${k.vms} VMs listed, ${formatBytes(k.listBytes)}; load average before ${loadBefore}, after ${load()}`);
  console.log(`floor JSON.stringify: median ${formatMs(k.floorMs.median)} (${range(k.floorMs.runs)})`);
  console.log(`LIST JSON: median ${formatMs(k.listJsonMs.median)} (${range(k.listJsonMs.runs)}), ${formatRatio(k.listJsonMs.median, k.floorMs.median)} floor`);
  console.log(`LIST Table: median ${formatMs(k.listTableMs.median)} (${range(k.listTableMs.runs)}), ${formatRatio(k.listTableMs.median, k.floorMs.median)} floor`);
  console.log(`watch from the apply (${k.watchMs.samples} events at ${k.watchers} watchers): p50 ${formatMs(k.watchMs.p50)}, p99 ${formatMs(k.watchMs.p99)}, max ${formatMs(k.watchMs.max)}`);
  const d = k.daemonWatchMs;
  console.log(`daemon side, apply → written to the watcher's connection (${d.samples}): p50 ~${formatMs(d.p50)}, p99 ~${formatMs(d.p99)} (bucket-interpolated), mean ${formatMs(d.mean)}, ${(d.within50ms * 100).toFixed(1)}% within 50 ms`);
  console.log(`watch from git push returning: p50 ${formatMs(k.watchFromPushMs.p50)}, p99 ${formatMs(k.watchFromPushMs.p99)}; push-to-applied mean ${formatMs(k.pushToAppliedMeanMs)}; publish (refresh) mean ${formatMs(k.publishMeanMs)}`);
  console.log(`memory per idle watcher ${formatBytes(k.bytesPerIdleWatcher)}`);
} finally {
  await daemon.stop();
  rmSync(root, { recursive: true, force: true });
}
