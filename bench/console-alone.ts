/**
 * The console's first paint alone, away from the rest of the bench (`npm run build && node
 * dist/bench/console-alone.js [--vms 10000] [--namespaces 500] [--runs 9]`): the bench's repo and
 * topology, one daemon, cold reconcile, then the same Chromium measurement as `npm run bench`'s
 * console rows, with where the time goes. The machine is shared: quote the median and the range.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeBenchTopology } from './bench-topology.js';
import { measureConsole } from './console.js';
import { spawnDaemon } from './daemon-child.js';
import { waitUntilApplied } from './daemon-client.js';
import { createFixtureRepo } from './fixture-repo.js';
import { formatBytes, formatMs } from './stats.js';

const { values } = parseArgs({ options: { vms: { type: 'string', default: '10000' }, namespaces: { type: 'string', default: '500' }, runs: { type: 'string', default: '9' } } });
const size = { vms: Number(values.vms), namespaces: Number(values.namespaces) };
const root = mkdtempSync(join(tmpdir(), 'pacific-console-bench-'));
const repo = createFixtureRepo(root, size);
const topologyFile = join(root, 'topology.yaml');
writeBenchTopology(topologyFile, size.vms);
const daemon = await spawnDaemon({ repo: repo.bareDir, stateDir: join(root, 'state'), topologyFile });
try {
  await waitUntilApplied(daemon, repo.head, { probe: 'metrics', intervalMs: 100, timeoutMs: 600_000 });
  const c = await measureConsole(daemon, Number(values.runs));
  if ('skipped' in c) console.log(`skipped: ${c.skipped}`);
  else {
    const runs = c.overviewPaintMs.runs;
    console.log(`${size.vms} VMs in ${c.namespaces} namespaces, ${runs.length} runs`);
    console.log(`overview first paint: median ${formatMs(c.overviewPaintMs.median)} (${formatMs(Math.min(...runs))}–${formatMs(Math.max(...runs))}); runs ${runs.map(formatMs).join(', ')}`);
    console.log(`first contentful paint ${formatMs(c.firstContentfulPaintMs)}; GET /console/api/overview alone ${formatMs(c.overviewApiMs)}, ${formatBytes(c.overviewBytes)}`);
    const s = c.stagesMs;
    console.log(`from navigation: script ${formatMs(s.script)} · session ${formatMs(s.session)} · overview asked ${formatMs(s.overviewRequested)} · answered ${formatMs(s.overviewAnswered)} · painted ${formatMs(s.painted)}`);
    console.log(`namespace list scroll: frame p50 ${formatMs(c.scrollFrameMs.p50)}, p95 ${formatMs(c.scrollFrameMs.p95)}, max ${formatMs(c.scrollFrameMs.max)}`);
  }
} finally {
  await daemon.stop();
  rmSync(root, { recursive: true, force: true });
}
