/**
 * Fairness under a tenant's giant change (`npm run build && node dist/bench/fairness.js [--vms 1000]
 * [--namespaces 50] [--replicas 100000] [--pushes 10] [--giant deployment|cluster]`): the bench's repo,
 * then one tenant pushes a Deployment of `--replicas` pods (small pods, so hosts' pod maximums, not
 * quota, end its growth), or with `--giant cluster` a TanzuKubernetesCluster whose one node pool has
 * `--replicas` nodes (10,000 in issue 17's probe).
 * While its pods are created batch by batch, another namespace's one-file pushes are timed from
 * `git push` to applied, and `/healthz` and `/readyz` are polled every 20 ms throughout. Prints
 * medians and ranges; the machine is shared, so quote them with its load.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeBenchTopology } from './bench-topology.js';
import { spawnDaemon, type DaemonChild } from './daemon-child.js';
import { scrape, waitUntilApplied } from './daemon-client.js';
import { commitPowerFlip, createFixtureRepo } from './fixture-repo.js';
import { namespaceName } from './generate-repo.js';
import { git } from './git-cli.js';
import { stageMs, subtractStages, sumOf } from './prom-text.js';
import { formatMs, median, percentile } from './stats.js';

const { values } = parseArgs({
  options: { vms: { type: 'string', default: '1000' }, namespaces: { type: 'string', default: '50' }, replicas: { type: 'string', default: '100000' }, pushes: { type: 'string', default: '10' }, giant: { type: 'string', default: 'deployment' } },
});
const size = { vms: Number(values.vms), namespaces: Number(values.namespaces) };
const replicas = Number(values.replicas);
const cluster = values.giant === 'cluster';
if (!cluster && values.giant !== 'deployment') throw new Error(`--giant is deployment or cluster, not ${values.giant}`);

function giantDeployment(namespace: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: giant, namespace: ${namespace}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: giant}}
  template:
    metadata: {labels: {app: giant}}
    spec:
      containers:
      - {name: app, image: registry.example.com/app:1.0, resources: {limits: {cpu: 10m, memory: 16Mi}}}
`;
}

function giantCluster(namespace: string): string {
  return `apiVersion: run.tanzu.vmware.com/v1alpha3
kind: TanzuKubernetesCluster
metadata: {name: giant, namespace: ${namespace}}
spec:
  topology:
    controlPlane:
      replicas: 3
      vmClass: best-effort-small
      storageClass: vsan-default-storage-policy
      tkr: {reference: {name: v1.29.4---vmware.3-fips.1-tkg.1}}
    nodePools:
    - name: workers
      replicas: ${replicas}
      vmClass: best-effort-small
      storageClass: vsan-default-storage-policy
`;
}

/** Polls a probe endpoint every `everyMs` until stopped; returns each answer's latency. */
function pollLatency(daemon: DaemonChild, path: string, everyMs: number): { stop: () => Promise<number[]> } {
  const samples: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const start = performance.now();
      const response = await fetch(daemon.url + path);
      await response.arrayBuffer();
      samples.push(performance.now() - start);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return samples;
    },
  };
}

// What the giant grows: pods, or the cluster's Machines.
const grown = async (daemon: DaemonChild) => sumOf(await scrape(daemon), 'pacific_objects', { kind: cluster ? 'Machine' : 'Pod' });
const range = (xs: readonly number[]) => `median ${formatMs(median(xs))}, p99 ${formatMs(percentile(xs, 99))}, max ${formatMs(Math.max(...xs))} (${xs.length} samples)`;

const root = mkdtempSync(join(tmpdir(), 'pacific-fairness-bench-'));
const repo = createFixtureRepo(root, size);
const topologyFile = join(root, 'topology.yaml');
writeBenchTopology(topologyFile, size.vms);
const daemon = await spawnDaemon({ repo: repo.bareDir, stateDir: join(root, 'state'), topologyFile });
try {
  await waitUntilApplied(daemon, repo.head, { probe: 'metrics', intervalMs: 100, timeoutMs: 600_000 });
  const stagesBefore = stageMs(await scrape(daemon));
  const passesBefore = sumOf(await scrape(daemon), 'pacific_reconcile_duration_seconds_count');
  const healthz = pollLatency(daemon, '/healthz', 20);
  const readyz = pollLatency(daemon, '/readyz', 20);
  const what = cluster ? `a TanzuKubernetesCluster of ${replicas} nodes` : `a Deployment of ${replicas} pods`;
  writeFileSync(join(repo.cloneDir, 'namespaces', namespaceName(0), 'giant.yaml'), cluster ? giantCluster(namespaceName(0)) : giantDeployment(namespaceName(0)));
  git(repo.cloneDir, 'add', '-A');
  git(repo.cloneDir, 'commit', '-q', '-m', `bench: ${what} in ${namespaceName(0)}`);
  git(repo.cloneDir, 'push', '-q', 'origin', 'main');
  const giantPushed = performance.now();
  const samples: number[] = [];
  const podsSeen: number[] = [];
  // VMs of the last namespace: another tenant, untouched by the giant.
  const other = size.vms - repo.vmsPerNamespace;
  for (let i = 0; i < Number(values.pushes); i++) {
    podsSeen.push(await grown(daemon));
    const revision = commitPowerFlip(repo, other + (i % repo.vmsPerNamespace));
    git(repo.cloneDir, 'push', '-q', 'origin', 'main');
    const pushed = performance.now();
    samples.push((await waitUntilApplied(daemon, revision, { probe: 'metrics', intervalMs: 5, timeoutMs: 120_000 })) - pushed);
    await new Promise((r) => setTimeout(r, 300));
  }
  podsSeen.push(await grown(daemon));
  const [h, r] = [await healthz.stop(), await readyz.stop()];
  const after = await scrape(daemon);
  const stages = subtractStages(stageMs(after), stagesBefore);
  const passes = sumOf(after, 'pacific_reconcile_duration_seconds_count') - passesBefore;
  console.log(`${size.vms} VMs in ${size.namespaces} namespaces; ${what} pushed to ${namespaceName(0)}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`${cluster ? 'Machines' : 'pods'} of the giant while measuring: ${podsSeen.join(' → ')} (${formatMs(performance.now() - giantPushed)} after its push)`);
  console.log(`another namespace's push → applied: ${range(samples)}; runs ${samples.map(formatMs).join(', ')}`);
  console.log(`/healthz: ${range(h)}`);
  console.log(`/readyz: ${range(r)}`);
  console.log(`${passes} passes; stage totals: ${Object.entries(stages).filter(([, ms]) => ms > 0).map(([stage, ms]) => `${stage} ${formatMs(ms)}`).join(', ')}`);
} finally {
  await daemon.stop();
  rmSync(root, { recursive: true, force: true });
}
