/** The printed bench table: each figure beside the same run's floor, with ratios. */
import type { ScenarioResult } from './scenario.js';
import { remoteMedians } from './remote-source.js';
import { formatBytes, formatMs, formatRatio } from './stats.js';

type Row = readonly [label: string, value: string, vsFloor?: string, vsFloorAjv?: string];

const n = (x: number) => x.toLocaleString('en-US');

function table(rows: readonly Row[]): string {
  const header: Row = ['figure', 'value', '× floor', '× floor+ajv'];
  const all = [header, ...rows];
  const width = [0, 1, 2].map((i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: Row) => [r[0].padEnd(width[0]!), (r[1] ?? '').padStart(width[1]!), (r[2] ?? '').padStart(width[2]!), (r[3] ?? '').padStart(11)].join('   ').trimEnd();
  return [line(header), '-'.repeat(line(header).length), ...rows.map(line)].join('\n');
}

function loadRows(r: ScenarioResult): Row[] {
  const l = r.statusLoad;
  if (!l) return [];
  return [
    [`cold reconcile under load (${l.concurrency} clients reading ${l.paths.map((p) => p.path).join(', ')}): spawn → applied`, formatMs(l.wallMs), formatRatio(l.wallMs, r.floor.median.totalMs), formatRatio(l.wallMs, r.floor.median.withAjvMs)],
    ...l.paths.map((p): Row => [`  GET ${p.path} p99 (p50 ${formatMs(p.p50Ms)}, max ${formatMs(p.maxMs)}; ${n(p.requests)} requests, ${n(p.errors)} errors${p.errors ? `: ${Object.entries(p.errorKinds).map(([k, c]) => `${k} ×${c}`).join(', ')}` : ''})`, formatMs(p.p99Ms)]),
    [`  daemon pass under load (unloaded: ${formatMs(r.cold.firstPassMs)})`, formatMs(l.passMs)],
  ];
}

function stageRows(stagesMs: Record<string, number>, indent: string): Row[] {
  return Object.entries(stagesMs)
    .filter(([, ms]) => ms > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([stage, ms]) => [`${indent}stage ${stage}`, formatMs(ms)]);
}

const triple = (p: { p50: number; p99: number; max: number }) => `${formatMs(p.p50)} / ${formatMs(p.p99)} / ${formatMs(p.max)}`;

/** The Kubernetes API rows: LISTs beside their floor (JSON.stringify of the same objects), watch delivery, idle watcher memory. */
function kubeApiRows(r: ScenarioResult): Row[] {
  const k = r.kubeApi;
  const range = (runs: readonly number[]) => `${formatMs(Math.min(...runs))}–${formatMs(Math.max(...runs))}`;
  return [
    [`API floor: JSON.stringify of the ${n(k.vms)} VMs listed, median of ${k.floorMs.runs.length} (${range(k.floorMs.runs)})`, formatMs(k.floorMs.median), '1.00× API floor'],
    [`API LIST of every VM, JSON (${formatBytes(k.listBytes)}), median (${range(k.listJsonMs.runs)})`, formatMs(k.listJsonMs.median), `${formatRatio(k.listJsonMs.median, k.floorMs.median)} API floor`],
    [`API LIST of every VM, Table, median (${range(k.listTableMs.runs)})`, formatMs(k.listTableMs.median), `${formatRatio(k.listTableMs.median, k.floorMs.median)} API floor`],
    [`API watch: applied → event at each of ${k.watchers} watchers, p50 / p99 / max (${k.watchMs.samples} events)`, triple(k.watchMs)],
    ['  of which the refresh of the API\'s view after the pass (stage publish), mean', formatMs(k.publishMeanMs)],
    [`  daemon side: applied → written to each watcher's connection, p50 / p99 (bucket-interpolated), share within 50 ms`, `${formatMs(k.daemonWatchMs.p50)} / ${formatMs(k.daemonWatchMs.p99)}, ${(k.daemonWatchMs.within50ms * 100).toFixed(1)}%`],
    [`API watch: push returns → event at each watcher, p50 / p99 / max`, triple(k.watchFromPushMs)],
    ['  of which the daemon\'s push-to-applied, mean over the same pushes', formatMs(k.pushToAppliedMeanMs)],
    ['API memory per idle watcher (RSS delta / watchers)', formatBytes(k.bytesPerIdleWatcher)],
  ];
}

/** The Git host rows: each beside what a perfect follower would cost (the local figure of this run plus git's own transfer). */
function remoteRows(r: ScenarioResult): Row[] {
  const m = remoteMedians(r.remote);
  const range = (runs: readonly number[]) => `${runs.length}, ${formatMs(Math.min(...runs))}–${formatMs(Math.max(...runs))}`;
  const coldFloor = r.cold.wallMs + m.cloneFloorMs;
  const oneFloor = r.push.medianMs + m.fetchFloorMs;
  return [
    [`Git host floor: git clone --bare of main over smart HTTP, median of ${range(r.remote.cloneFloorMs)}`, formatMs(m.cloneFloorMs)],
    [`cold reconcile from the Git host: spawn → applied (floor: local cold + clone, ${formatMs(coldFloor)})`, formatMs(r.remote.coldWallMs), `${formatRatio(r.remote.coldWallMs, coldFloor)} that floor`],
    [`Git host floor: git fetch of one new commit, median of ${range(r.remote.fetchFloorMs)}`, formatMs(m.fetchFloorMs)],
    [`webhook → one-commit revision applied, median of ${range(r.remote.webhookToAppliedMs)} (floor: push-to-applied + fetch, ${formatMs(oneFloor)})`, formatMs(m.webhookMs), `${formatRatio(m.webhookMs, oneFloor)} that floor`],
  ];
}

/** The etcd rows: the same measurements on a three-member etcd beside this run's SQLite ones, and failover. */
function etcdRows(r: ScenarioResult): Row[] {
  const e = r.etcd;
  if ('skipped' in e) return [[`etcd: skipped, ${e.skipped}`, '']];
  const range = (runs: readonly number[]) => `${formatMs(Math.min(...runs))}–${formatMs(Math.max(...runs))}`;
  return [
    [`cold reconcile on a 3-member etcd: spawn → head applied (SQLite: ${formatMs(r.cold.wallMs)})`, formatMs(e.cold.wallMs), `${formatRatio(e.cold.wallMs, r.cold.wallMs)} SQLite`],
    [`push-to-applied on etcd, median of ${e.push.samplesMs.length} · p90 (SQLite: ${formatMs(r.push.medianMs)})`, `${formatMs(e.push.medianMs)} · ${formatMs(e.push.p90Ms)}`, `${formatRatio(e.push.medianMs, r.push.medianMs)} SQLite`],
    [`failover: kill -9 of the leader → a pushed revision applied, median of ${e.failoverMs.length} (${range(e.failoverMs)}; lease ${e.lease}, target ≤ 5 s)`, formatMs(e.failoverMedianMs)],
  ];
}

/** The console rows: the overview's first paint in Chromium and scrolling its namespace list. */
function consoleRows(r: ScenarioResult): Row[] {
  const c = r.console;
  if ('skipped' in c) return [[`console: skipped, ${c.skipped}`, '']];
  return [
    [`console overview first paint (navigation → data on screen), median of ${c.overviewPaintMs.runs.length} (${formatMs(Math.min(...c.overviewPaintMs.runs))}–${formatMs(Math.max(...c.overviewPaintMs.runs))})`, formatMs(c.overviewPaintMs.median)],
    [`  first contentful paint · GET /console/api/overview alone (${n(c.namespaces)} namespaces)`, `${formatMs(c.firstContentfulPaintMs)} · ${formatMs(c.overviewApiMs)}`],
    [`  script · session · overview asked · answered · painted (from navigation; overview ${formatBytes(c.overviewBytes)})`, [c.stagesMs.script, c.stagesMs.session, c.stagesMs.overviewRequested, c.stagesMs.overviewAnswered, c.stagesMs.painted].map(formatMs).join(' · ')],
    [`console namespace list scroll: frame p50 / p95 / max (${c.scrollFrameMs.frames} frames)`, `${formatMs(c.scrollFrameMs.p50)} / ${formatMs(c.scrollFrameMs.p95)} / ${formatMs(c.scrollFrameMs.max)}`],
  ];
}

/** The table for one scenario, with a heading naming the size and untimed setup costs. */
export function formatScenario(r: ScenarioResult): string {
  const f = r.floor.median;
  const ratios = (ms: number): [string, string] => [formatRatio(ms, f.totalMs), formatRatio(ms, f.withAjvMs)];
  const g = r.floor.gitReaders;
  const setup = r.generationMs;
  const mem = r.memory;
  const rows: Row[] = [
    ['floor: git ls-tree + cat-file --batch + js-yaml', formatMs(f.totalMs), '1.00×', formatRatio(f.totalMs, f.withAjvMs)],
    [`  ls-tree ${formatMs(f.lsTreeMs)} · cat-file ${formatMs(f.catFileMs)} · js-yaml ${formatMs(f.yamlMs)}`, ''],
    ['floor + ajv validation (daemon SchemaRegistry)', formatMs(f.withAjvMs), formatRatio(f.withAjvMs, f.totalMs), '1.00×'],
    [`  ajv: load + compile ${formatMs(f.ajvCompileMs)} · validate ${formatMs(f.ajvValidateMs)}`, ''],
    [`list the tree, pacific's object reader (isomorphic-git readTree: ${formatMs(g.isomorphicGit.listMs)}, ${formatRatio(g.isomorphicGit.listMs, g.direct.listMs)})`, formatMs(g.direct.listMs), ...ratios(g.direct.listMs)],
    [`read ${n(g.files)} blobs, pacific's object reader (isomorphic-git readBlob: ${formatMs(g.isomorphicGit.readMs)}, ${formatRatio(g.isomorphicGit.readMs, g.direct.readMs)})`, formatMs(g.direct.readMs), ...ratios(g.direct.readMs)],
    ['cold reconcile: spawn → head applied', formatMs(r.cold.wallMs), ...ratios(r.cold.wallMs)],
    [`  daemon first pass (/metrics, ${r.cold.passes} pass)`, formatMs(r.cold.firstPassMs), ...ratios(r.cold.firstPassMs)],
    ...stageRows(r.cold.stagesMs, '    '),
    ['  outside the pass: process start-up, poll', formatMs(r.cold.outsidePassMs)],
    ...loadRows(r),
    [`push-to-applied: push returns → applied, median of ${r.push.samplesMs.length}`, formatMs(r.push.medianMs), ...ratios(r.push.medianMs)],
    ['push-to-applied p90', formatMs(r.push.p90Ms), ...ratios(r.push.p90Ms)],
    [`  daemon pacific_push_to_applied_seconds mean (n=${r.push.daemonHistogram.count})`, formatMs(r.push.daemonHistogram.meanMs)],
    [`  git push itself, median`, formatMs([...r.push.gitPushMs].sort((a, b) => a - b)[Math.floor(r.push.gitPushMs.length / 2)]!)],
    [`  daemon pass, mean of ${r.push.passes}`, formatMs(r.push.meanPassMs)],
    ...stageRows(r.push.meanStagesMs, '    '),
    ...remoteRows(r),
    ...etcdRows(r),
    ...kubeApiRows(r),
    ...consoleRows(r),
    [`no-op resync: daemon pass, median of ${r.noop.samplesMs.length}`, formatMs(r.noop.medianMs), ...ratios(r.noop.medianMs)],
    ...stageRows(r.noop.stagesMs, '    '),
    ['restart on an unchanged revision: spawn → ready', formatMs(r.restart.readyMs), ...ratios(r.restart.readyMs)],
    ['  daemon first pass after restart', formatMs(r.restart.passMs)],
    ...stageRows(r.restart.stagesMs, '    '),
    [`pacific diff of a one-file change: process start → exit, median of ${r.diff.samplesMs.length}`, formatMs(r.diff.medianMs), ...ratios(r.diff.medianMs)],
    ['memory floor: js-yaml heap per parsed document', formatBytes(r.floor.heapBytesPerDocument), '1.00×'],
    ['daemon baseline: empty repo, same topology (VmRSS / VmHWM)', `${formatBytes(mem.baseline.rssBytes)} / ${formatBytes(mem.baseline.peakRssBytes)}`],
    ['daemon after cold reconcile (VmRSS / VmHWM)', `${formatBytes(mem.afterCold.rssBytes)} / ${formatBytes(mem.afterCold.peakRssBytes)}`],
    ['daemon at the end (VmRSS)', formatBytes(mem.end.rssBytes)],
    ['daemon peak RSS (VmHWM at the end)', formatBytes(mem.end.peakRssBytes)],
    ['daemon V8 heap used, baseline → end (not GC\'d)', `${formatBytes(mem.heapUsedBytes.baseline)} → ${formatBytes(mem.heapUsedBytes.end)}`],
    [`RSS per managed object, steady (${n(r.cold.managedObjects)} objects)`, formatBytes(mem.steadyBytesPerObject), formatRatio(mem.steadyBytesPerObject, r.floor.heapBytesPerDocument)],
    ['RSS per managed object, peak', formatBytes(mem.peakBytesPerObject), formatRatio(mem.peakBytesPerObject, r.floor.heapBytesPerDocument)],
  ];
  return [
    `pacific bench: ${n(r.size.vms)} VMs in ${n(r.size.namespaces)} namespaces (${r.size.vmsPerNamespace} per namespace, one file per VM): ${n(f.blobs)} files, ${n(f.documents)} documents, ${formatBytes(f.bytes)}`,
    `topology: ${r.topology.hosts} hosts × 48 cores / 512 GiB, vSAN ${n(r.topology.datastoreGi)} GiB; ${n(r.cold.placedVms)} of ${n(r.size.vms)} VMs placed on ${r.cold.hostsUsed} hosts`,
    `setup (untimed): write files ${formatMs(setup['writeFiles'] ?? NaN)}, git add + commit ${formatMs(setup['commit'] ?? NaN)}, bare clone + gc ${formatMs(setup['bareCloneAndGc'] ?? NaN)}, working clone ${formatMs(setup['workingClone'] ?? NaN)}`,
    `floor runs: ${r.floor.runs.map((x) => formatMs(x.totalMs)).join(', ')} (median shown); status GET after cold: ${formatMs(r.cold.statusGet.ms)}, ${formatBytes(r.cold.statusGet.bytes)}`,
    '',
    table(rows),
    '',
    'Memory rows compare with the memory floor (heap of parsed documents), not the time floor.',
  ].join('\n');
}

/** One line per size, for a run over several sizes: how each cost grows. */
export function formatGrowth(results: readonly ScenarioResult[]): string {
  const rows: Row[] = results.map((r) => {
    const status = r.statusLoad?.paths.find((p) => p.path === '/status');
    return [
      `${n(r.size.vms)} VMs: floor ${formatMs(r.floor.median.totalMs)}, cold ${formatMs(r.cold.wallMs)} (${formatRatio(r.cold.wallMs, r.floor.median.totalMs)})`,
      `push ${formatMs(r.push.medianMs)} · no-op ${formatMs(r.noop.medianMs)} · restart ${formatMs(r.restart.readyMs)} · diff ${formatMs(r.diff.medianMs)} · ${formatBytes(r.memory.steadyBytesPerObject)}/object${status ? ` · /status p99 under load ${formatMs(status.p99Ms)}` : ''}`,
    ];
  });
  return ['growth', ...rows.map((r) => `  ${r[0]}; ${r[1]}`)].join('\n');
}
