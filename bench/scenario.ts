/**
 * One bench scenario at one size, self-contained in its own folder: generate the repo, measure the
 * floor, measure a baseline daemon on an empty repo, then spawn the daemon on the generated repo
 * and measure cold reconcile, push-to-applied, no-op resync and memory. Sizes are independent so
 * a caller can run 1k → 10k → 50k in one go and compare the results.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeBenchTopology } from './bench-topology.js';
import { measureColdReconcile, type ColdResult } from './cold-reconcile.js';
import type { AppliedProbe } from './daemon-client.js';
import { scrape, waitUntilApplied } from './daemon-client.js';
import { spawnDaemon, type DaemonChild } from './daemon-child.js';
import { createEmptyRepo, createFixtureRepo, type ScenarioSize } from './fixture-repo.js';
import { git } from './git-cli.js';
import { measureFloor, measureParsedHeap, type FloorRun } from './floor.js';
import { measureGitReaders, type GitReadersResult } from './git-readers.js';
import { measureNoopResync, type NoopResult } from './noop-resync.js';
import { readProcessMemory, type ProcessMemory } from './proc-memory.js';
import { measurePushToApplied, type PushResult } from './push-to-applied.js';
import { measureRestart, type RestartResult } from './restart.js';
import { measureDryRunDiff, type DryRunDiffResult } from './dry-run-diff.js';
import { measureStatusUnderLoad, type StatusLoadResult } from './status-under-load.js';
import { measureConsole, type ConsoleResult } from './console.js';
import { measureKubeApi, type KubeApiResult } from './kube-api.js';
import { measureRemoteSource, type RemoteSourceResult } from './remote-source.js';
import { runEtcdScenario, type EtcdResult } from './etcd-scenario.js';
import { sumOf, type Sample } from './prom-text.js';
import { median } from './stats.js';

const heapUsed = (samples: readonly Sample[]) => sumOf(samples, 'nodejs_heap_size_used_bytes');

/** How often a scenario repeats each measurement and how it sees a revision applied (the bench's command line, `args.ts`). */
export interface ScenarioRuns {
  readonly floorRuns: number;
  readonly pushes: number;
  readonly noops: number;
  /** Clients reading `/status` during a second cold reconcile, one request in flight each; 0 skips it. */
  readonly loadConcurrency: number;
  /** How the bench sees "revision applied" (see `run.ts` for why `/metrics` is the default). */
  readonly probe: AppliedProbe;
  readonly timeoutMs: number;
}

/** Where a scenario works, how often it repeats each measurement, and how it reports progress. */
export interface ScenarioOptions extends ScenarioRuns {
  /** Parent folder; the scenario works in `<root>/<vms>-vms`. */
  readonly root: string;
  /** Progress lines (to stderr), so a long run shows where it is. */
  readonly progress: (line: string) => void;
}

/** The floor runs of one scenario and their median. */
export interface FloorResult {
  readonly runs: readonly FloorRun[];
  /** Median of each field over the runs. */
  readonly median: FloorRun;
  /** js-yaml heap held per parsed document: the memory floor. */
  readonly heapBytesPerDocument: number;
  /** The same listing and blob reads by pacific's object reader and by isomorphic-git. */
  readonly gitReaders: GitReadersResult;
}

/** Daemon memory of one scenario, and per managed object beyond the baseline. */
export interface MemoryResult {
  /**
   * The same daemon and topology serving an empty commit, after its first pass: the process,
   * modules, SQLite, the simulated hosts and the HTTP server, but no managed object. A separate
   * daemon rather than the main one's RSS right after start-up, because the first pass starts as
   * soon as the server listens and a reading then would race it.
   */
  readonly baseline: ProcessMemory;
  /** The daemon's `nodejs_heap_size_used_bytes` (no forced GC, so garbage included): baseline and end. */
  readonly heapUsedBytes: { readonly baseline: number; readonly end: number };
  readonly afterCold: ProcessMemory;
  readonly end: ProcessMemory;
  /** (VmRSS at the end − baseline VmRSS) / managed objects. */
  readonly steadyBytesPerObject: number;
  /** (VmHWM at the end − baseline VmHWM) / managed objects. */
  readonly peakBytesPerObject: number;
}

/** Everything one scenario measured: printed by `report.ts`, written raw to `bench/results/latest.json`. */
export interface ScenarioResult {
  readonly size: ScenarioSize & { readonly vmsPerNamespace: number };
  readonly topology: { readonly hosts: number; readonly datastoreGi: number };
  /** Untimed setup: generating files, committing, bare clone + gc, working clone. */
  readonly generationMs: Record<string, number>;
  readonly floor: FloorResult;
  readonly cold: ColdResult;
  readonly push: PushResult;
  readonly noop: NoopResult;
  /** The Kubernetes API: LISTs beside their floor, watch delivery to 100 watchers, memory per idle watcher. */
  readonly kubeApi: KubeApiResult;
  /** The console in Chromium: the overview's first paint and scrolling its namespace list. */
  readonly console: ConsoleResult | { readonly skipped: string };
  readonly memory: MemoryResult;
  /** The daemon restarted on the same state dir and head. */
  readonly restart: RestartResult;
  /** `pacific diff` of a one-file change against the state dir, process start included. */
  readonly diff: DryRunDiffResult;
  /** The same repo followed on a Git host (smart HTTP on loopback): cold and one-commit, beside clone and fetch floors. */
  readonly remote: RemoteSourceResult;
  /** The same repo on a three-member etcd (`--store etcd://…`): cold, push-to-applied, and failover after kill -9 of the leader. */
  readonly etcd: EtcdResult;
  /** `/status` latency during a second cold reconcile under load (absent with `--load 0`). */
  readonly statusLoad?: StatusLoadResult;
}

function medianRun(runs: readonly FloorRun[]): FloorRun {
  const keys = Object.keys(runs[0]!) as (keyof FloorRun)[];
  return Object.fromEntries(keys.map((k) => [k, median(runs.map((r) => r[k]))])) as unknown as FloorRun;
}

async function withDaemon<T>(daemon: DaemonChild, fn: (d: DaemonChild) => Promise<T>): Promise<T> {
  try {
    return await fn(daemon);
  } finally {
    await daemon.stop();
  }
}

/** Runs every measurement for `size`; throws (loudly) if the daemon fails or leaves a VM unplaced. */
export async function runScenario(size: ScenarioSize, options: ScenarioOptions): Promise<ScenarioResult> {
  const dir = join(options.root, `${size.vms}-vms`);
  mkdirSync(dir, { recursive: true });
  const { progress } = options;

  progress(`${size.vms} VMs: generating the repo`);
  const repo = createFixtureRepo(dir, size);
  const topologyFile = join(dir, 'topology.yaml');
  const topology = writeBenchTopology(topologyFile, size.vms);

  progress(`${size.vms} VMs: floor (${options.floorRuns} runs)`);
  const runs: FloorRun[] = [];
  for (let i = 0; i < options.floorRuns; i++) runs.push(await measureFloor(repo.bareDir, repo.head));
  const heap = await measureParsedHeap(repo.bareDir, repo.head);
  progress(`${size.vms} VMs: git objects read by pacific's reader and by isomorphic-git`);
  const gitReaders = await measureGitReaders(repo.bareDir, repo.head);
  const floor: FloorResult = { runs, median: medianRun(runs), heapBytesPerDocument: heap.bytesPerDocument, gitReaders };

  progress(`${size.vms} VMs: baseline daemon on an empty repo`);
  const empty = createEmptyRepo(dir);
  const baseline = await withDaemon(await spawnDaemon({ repo: empty.bareDir, stateDir: join(dir, 'state-empty'), topologyFile }), async (d) => {
    await waitUntilApplied(d, empty.head, { probe: options.probe, intervalMs: 20, timeoutMs: options.timeoutMs });
    return { memory: readProcessMemory(d.pid), heapUsed: heapUsed(await scrape(d)) };
  });

  progress(`${size.vms} VMs: cold reconcile`);
  const stateDir = join(dir, 'state');
  const daemon = await spawnDaemon({ repo: repo.bareDir, stateDir, topologyFile });
  const measured = await withDaemon(daemon, async (d) => {
    const cold = await measureColdReconcile(d, repo.head, size.vms, { probe: options.probe, timeoutMs: options.timeoutMs });
    progress(`${size.vms} VMs: push-to-applied (${options.pushes} pushes)`);
    const push = await measurePushToApplied(d, repo, { iterations: options.pushes, probe: options.probe, timeoutMs: options.timeoutMs });
    progress(`${size.vms} VMs: no-op resync (${options.noops} passes)`);
    const noop = await measureNoopResync(d, { iterations: options.noops, timeoutMs: options.timeoutMs });
    const end = readProcessMemory(d.pid);
    progress(`${size.vms} VMs: Kubernetes API LISTs and 100 watchers`);
    const kubeApi = await measureKubeApi(d, repo, { runs: options.noops, watchers: 100, pushes: options.pushes, probe: options.probe, timeoutMs: options.timeoutMs });
    progress(`${size.vms} VMs: the console's overview in Chromium`);
    const consoleResult = await measureConsole(d, Math.max(3, Math.min(options.noops, 7)));
    const endHeapUsed = heapUsed(await scrape(d));
    const perObject = (a: number, b: number) => (a - b) / cold.managedObjects;
    return {
      size: { ...size, vmsPerNamespace: repo.vmsPerNamespace },
      topology,
      generationMs: { ...repo.timingsMs },
      floor,
      cold,
      push,
      noop,
      kubeApi,
      console: consoleResult,
      memory: {
        baseline: baseline.memory,
        heapUsedBytes: { baseline: baseline.heapUsed, end: endHeapUsed },
        afterCold: cold.memory,
        end,
        steadyBytesPerObject: perObject(end.rssBytes, baseline.memory.rssBytes),
        peakBytesPerObject: perObject(end.peakRssBytes, baseline.memory.peakRssBytes),
      },
    };
  });
  progress(`${size.vms} VMs: restart on the same state dir and head`);
  const restart = await withDaemon(await spawnDaemon({ repo: repo.bareDir, stateDir, topologyFile }), (d) => measureRestart(d, options.timeoutMs));
  progress(`${size.vms} VMs: pacific diff of a one-file change (${options.noops} runs)`);
  const diff = measureDryRunDiff(repo, stateDir, options.noops);
  progress(`${size.vms} VMs: the repo on a Git host (smart HTTP): clone floor, cold reconcile, webhook → applied (${options.pushes} commits)`);
  const remote = await measureRemoteSource(repo, dir, topologyFile, { runs: options.floorRuns, pushes: options.pushes, probe: options.probe, timeoutMs: options.timeoutMs });
  progress(`${size.vms} VMs: the store on a three-member etcd: cold reconcile, push-to-applied, failover (5 kills of the leader)`);
  const etcd = await runEtcdScenario(repo, topologyFile, dir, { pushes: options.pushes, trials: 5, timeoutMs: options.timeoutMs, progress });
  if (!options.loadConcurrency) return { ...measured, restart, diff, remote, etcd };
  progress(`${size.vms} VMs: cold reconcile again, under ${options.loadConcurrency} concurrent reads of /status`);
  const loaded = await spawnDaemon({ repo: repo.bareDir, stateDir: join(dir, 'state-load'), topologyFile });
  // The pushes above moved `main`: the fresh daemon applies where it is now.
  const head = git(repo.bareDir, 'rev-parse', 'main');
  const statusLoad = await withDaemon(loaded, (d) => measureStatusUnderLoad(d, head, { concurrency: options.loadConcurrency, probe: options.probe, timeoutMs: options.timeoutMs }));
  return { ...measured, restart, diff, remote, etcd, statusLoad };
}
