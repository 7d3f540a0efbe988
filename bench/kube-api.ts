/**
 * The Kubernetes API at scale, on the scenario's daemon: a JSON LIST and a Table LIST of every VM
 * (time to the last byte, over HTTPS as kubectl reads it) beside a floor measured in the same run,
 * JSON.stringify of the same objects; memory per idle watcher (RSS before and after opening 100
 * watches); and watch delivery to those 100 watchers: each push of a one-VM change, from the apply
 * (the daemon's `pacific_last_applied_timestamp_seconds`, same machine clock) to the MODIFIED event
 * at each watcher, and from `git push` returning, beside the daemon's own push-to-applied.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import type { DaemonChild } from './daemon-child.js';
import { scrape, waitUntilApplied, type AppliedProbe } from './daemon-client.js';
import { commitPowerFlip, type FixtureRepo } from './fixture-repo.js';
import { git } from './git-cli.js';
import { readProcessMemory } from './proc-memory.js';
import { histogramDelta, histogramQuantile, sumOf } from './prom-text.js';
import { median, percentile } from './stats.js';

export interface KubeApiResult {
  readonly vms: number;
  /** Median ms of `runs` LISTs, and each run. */
  readonly listJsonMs: { readonly median: number; readonly runs: readonly number[] };
  readonly listTableMs: { readonly median: number; readonly runs: readonly number[] };
  /** JSON.stringify of the listed objects in the bench process, median of the same number of runs. */
  readonly floorMs: { readonly median: number; readonly runs: readonly number[] };
  readonly listBytes: number;
  readonly watchers: number;
  /** (RSS with the watchers open − RSS before) / watchers. */
  readonly bytesPerIdleWatcher: number;
  /** The revision applied (daemon's clock) → event at each watcher, over every push and watcher. */
  readonly watchMs: Percentiles;
  /**
   * The daemon's side of the same deliveries (`pacific_api_watch_delivery_seconds`: apply → event
   * written to each watcher's connection), p50/p99 interpolated in its buckets, and the share within 50 ms.
   */
  readonly daemonWatchMs: { readonly p50: number; readonly p99: number; readonly mean: number; readonly within50ms: number; readonly samples: number };
  /** `git push` returned → event at each watcher. */
  readonly watchFromPushMs: Percentiles;
  /** The daemon's refresh of the API's view after each of those passes (stage `publish`), mean. */
  readonly publishMeanMs: number;
  /** The daemon's pacific_push_to_applied_seconds mean over the same pushes (ref written → applied). */
  readonly pushToAppliedMeanMs: number;
}

interface Percentiles {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly samples: number;
}

const percentiles = (samples: readonly number[]): Percentiles => ({ p50: percentile(samples, 50), p99: percentile(samples, 99), max: Math.max(...samples), samples: samples.length });

const VMS_PATH = '/apis/vmoperator.vmware.com/v1alpha3/virtualmachines';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

function client(daemon: DaemonChild) {
  const ca = readFileSync(join(daemon.stateDir, 'api', 'ca.crt'), 'utf8');
  const agent = new Agent({ ca, keepAlive: true, maxSockets: 200 });
  const url = new URL(daemon.api);
  const headers = (accept = 'application/json') => ({ authorization: `Bearer ${daemon.token()}`, accept });
  const get = (path: string, accept?: string) =>
    new Promise<{ ms: number; body: string }>((resolve, reject) => {
      const start = performance.now();
      request({ host: url.hostname, port: url.port, path, agent, headers: headers(accept) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve({ ms: performance.now() - start, body: Buffer.concat(chunks).toString('utf8') }) : reject(new Error(`GET ${path}: ${res.statusCode}`))));
      })
        .on('error', reject)
        .end();
    });
  /** A watch calling `onEvent(name, at)` for each MODIFIED event; resolves once its headers arrived. */
  const watch = (rv: string, onEvent: (name: string, at: number) => void) =>
    new Promise<() => void>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path: `${VMS_PATH}?watch=true&resourceVersion=${rv}`, agent, headers: headers() }, (res) => {
        let buffered = '';
        res.setEncoding('utf8');
        res.on('data', (text: string) => {
          const at = performance.timeOrigin + performance.now();
          buffered += text;
          let nl: number;
          while ((nl = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, nl);
            buffered = buffered.slice(nl + 1);
            const event = JSON.parse(line) as { type: string; object: { metadata: { name: string } } };
            if (event.type === 'MODIFIED') onEvent(event.object.metadata.name, at);
          }
        });
        resolve(() => req.destroy());
      });
      req.on('error', (err) => (String(err).includes('socket hang up') ? undefined : reject(err)));
      req.end();
    });
  return { get, watch, close: () => agent.destroy() };
}

export async function measureKubeApi(daemon: DaemonChild, repo: FixtureRepo, options: { runs: number; watchers: number; pushes: number; probe: AppliedProbe; timeoutMs: number }): Promise<KubeApiResult> {
  const api = client(daemon);
  try {
    const json: number[] = [];
    const table: number[] = [];
    let body = '';
    // One LIST first: each object's JSON at a version is made once, then served as made.
    await api.get(VMS_PATH);
    for (let i = 0; i < options.runs; i++) {
      const list = await api.get(VMS_PATH);
      json.push(list.ms);
      body = list.body;
      table.push((await api.get(VMS_PATH, TABLE)).ms);
    }
    const parsed = JSON.parse(body) as { metadata: { resourceVersion: string }; items: unknown[] };
    const floor: number[] = [];
    for (let i = 0; i < options.runs; i++) {
      const start = performance.now();
      JSON.stringify(parsed.items);
      floor.push(performance.now() - start);
    }

    const before = readProcessMemory(daemon.pid).rssBytes;
    const arrivals = new Map<string, number[]>();
    const stops = await Promise.all(
      Array.from({ length: options.watchers }, () =>
        api.watch(parsed.metadata.resourceVersion, (name, at) => {
          const list = arrivals.get(name) ?? [];
          list.push(at);
          arrivals.set(name, list);
        }),
      ),
    );
    await new Promise((r) => setTimeout(r, 500));
    const withWatchers = readProcessMemory(daemon.pid).rssBytes;

    const fromApply: number[] = [];
    const fromPush: number[] = [];
    const metricsBefore = await scrape(daemon);
    for (let i = 0; i < options.pushes; i++) {
      const index = (i * 4099 + 7) % repo.size.vms;
      const revision = commitPowerFlip(repo, index);
      const name = `vm-${String(index).padStart(5, '0')}`;
      arrivals.delete(name);
      git(repo.cloneDir, 'push', '-q', 'origin', 'main');
      const pushed = performance.timeOrigin + performance.now();
      await waitUntilApplied(daemon, revision, { probe: options.probe, intervalMs: 20, timeoutMs: options.timeoutMs });
      const deadline = Date.now() + 10_000;
      while ((arrivals.get(name)?.length ?? 0) < options.watchers && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      const got = arrivals.get(name) ?? [];
      if (got.length < options.watchers) throw new Error(`watch: ${got.length} of ${options.watchers} watchers saw ${name} change`);
      const appliedAt = sumOf(await scrape(daemon), 'pacific_last_applied_timestamp_seconds') * 1000;
      fromApply.push(...got.slice(0, options.watchers).map((at) => at - appliedAt));
      fromPush.push(...got.slice(0, options.watchers).map((at) => at - pushed));
      await new Promise((r) => setTimeout(r, 100));
    }
    const metricsAfter = await scrape(daemon);
    for (const stop of stops) stop();
    const count = sumOf(metricsAfter, 'pacific_push_to_applied_seconds_count') - sumOf(metricsBefore, 'pacific_push_to_applied_seconds_count');
    const sum = sumOf(metricsAfter, 'pacific_push_to_applied_seconds_sum') - sumOf(metricsBefore, 'pacific_push_to_applied_seconds_sum');
    const delivery = histogramDelta(metricsAfter, metricsBefore, 'pacific_api_watch_delivery_seconds');
    const publish = { stage: 'publish' };
    const publishCount = sumOf(metricsAfter, 'pacific_stage_duration_seconds_count', publish) - sumOf(metricsBefore, 'pacific_stage_duration_seconds_count', publish);
    const publishSum = sumOf(metricsAfter, 'pacific_stage_duration_seconds_sum', publish) - sumOf(metricsBefore, 'pacific_stage_duration_seconds_sum', publish);
    return {
      vms: parsed.items.length,
      listJsonMs: { median: median(json), runs: json },
      listTableMs: { median: median(table), runs: table },
      floorMs: { median: median(floor), runs: floor },
      listBytes: Buffer.byteLength(body),
      watchers: options.watchers,
      bytesPerIdleWatcher: (withWatchers - before) / options.watchers,
      watchMs: percentiles(fromApply),
      watchFromPushMs: percentiles(fromPush),
      daemonWatchMs: {
        p50: histogramQuantile(delivery, 0.5) * 1000,
        p99: histogramQuantile(delivery, 0.99) * 1000,
        mean: delivery.count ? (delivery.sum / delivery.count) * 1000 : NaN,
        within50ms: delivery.count ? (delivery.buckets.find((b) => b.le === 0.05)?.count ?? NaN) / delivery.count : NaN,
        samples: delivery.count,
      },
      publishMeanMs: publishCount ? (publishSum / publishCount) * 1000 : NaN,
      pushToAppliedMeanMs: count ? (sum / count) * 1000 : NaN,
    };
  } finally {
    api.close();
  }
}
