/**
 * The console at scale, measured in the browser (Debian's Chromium driven by playwright-core) on
 * the scenario's daemon: the Overview's first paint after sign-in (navigation start → its data on
 * screen, and the browser's first-contentful-paint) in fresh browser contexts, and scrolling the
 * namespace list (frame times while it scrolls from top to bottom). Skipped, with a note, where
 * Chromium is absent.
 */
import { existsSync } from 'node:fs';
import type { DaemonChild } from './daemon-child.js';
import { median, percentile } from './stats.js';

export interface ConsoleResult {
  /** Navigation start → the overview's data painted, ms, per run. */
  readonly overviewPaintMs: { readonly median: number; readonly runs: readonly number[] };
  /** Navigation start → first contentful paint (the shell), ms, median. */
  readonly firstContentfulPaintMs: number;
  /** GET /console/api/overview alone, ms, median (the server's share). */
  readonly overviewApiMs: number;
  readonly namespaces: number;
  /** Where the first paint's time goes, ms from navigation start, median per stage. */
  readonly stagesMs: PaintStages;
  /** Size of the overview's JSON, bytes. */
  readonly overviewBytes: number;
  /** Frame intervals while the namespace list scrolls top to bottom. */
  readonly scrollFrameMs: { readonly p50: number; readonly p95: number; readonly max: number; readonly frames: number };
}

/** Milestones of the first paint, ms from navigation start (resource timing of the page's own requests). */
export interface PaintStages {
  /** The page's script received. */
  readonly script: number;
  /** `GET /console/api/session` answered. */
  readonly session: number;
  /** `GET /console/api/overview` requested and answered (its server time is answered − requested). */
  readonly overviewRequested: number;
  readonly overviewAnswered: number;
  /** The overview's data on screen. */
  readonly painted: number;
}

/** Run in the page once painted: when each stage ended. */
function stagesInPage(painted: string): PaintStages {
  const entries = performance.getEntriesByType('resource') as unknown as { name: string; requestStart: number; responseEnd: number }[];
  const find = (match: (name: string) => boolean) => entries.find((e) => match(e.name));
  const script = find((n) => /\/console\/assets\/.*\.js$/.test(n));
  const session = find((n) => n.endsWith('/console/api/session'));
  const overview = find((n) => n.endsWith('/console/api/overview'));
  return {
    script: script ? script.responseEnd : NaN,
    session: session ? session.responseEnd : NaN,
    overviewRequested: overview ? overview.requestStart : NaN,
    overviewAnswered: overview ? overview.responseEnd : NaN,
    painted: performance.getEntriesByName(painted)[0]!.startTime,
  };
}

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const PAINTED = 'pacific:overview-painted';

/** Run in the page: scroll the first virtualised list to its end, one step a frame; the frame intervals. */
const SCROLL = `(async () => {
  const list = document.querySelector('.vscroll');
  const out = [];
  let last = performance.now();
  const step = Math.max(40, Math.ceil((list.scrollHeight - list.clientHeight) / 120));
  while (list.scrollTop + list.clientHeight < list.scrollHeight - 1) {
    list.scrollTop += step;
    await new Promise((r) => requestAnimationFrame(r));
    const now = performance.now();
    out.push(now - last);
    last = now;
  }
  return out;
})()`;

export async function measureConsole(daemon: DaemonChild, runs: number): Promise<ConsoleResult | { skipped: string }> {
  if (!CHROMIUM) return { skipped: 'no Chromium at /usr/bin/chromium (scripts/test-machine.sh installs it as root)' };
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
  try {
    const paints: number[] = [];
    const fcps: number[] = [];
    const apis: number[] = [];
    const stages: PaintStages[] = [];
    let namespaces = 0;
    let overviewBytes = 0;
    let frames: number[] = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } });
      const signIn = await context.request.post(`${daemon.api}/console/api/session`, { data: { token: daemon.token() }, headers: { origin: daemon.api } });
      if (!signIn.ok()) throw new Error(`console sign-in: ${signIn.status()} ${await signIn.text()}`);
      const start = performance.now();
      const api = await context.request.get(`${daemon.api}/console/api/overview`);
      apis.push(performance.now() - start);
      const body = await api.body();
      overviewBytes = body.length;
      namespaces = (JSON.parse(body.toString('utf8')) as { namespaces: unknown[] }).namespaces.length;
      const page = await context.newPage();
      await page.goto(`${daemon.api}/console/`);
      await page.waitForFunction((name) => performance.getEntriesByName(name).length > 0, PAINTED, { timeout: 60_000 });
      const timing = await page.evaluate((name) => ({ painted: performance.getEntriesByName(name)[0]!.startTime, fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN }), PAINTED);
      paints.push(timing.painted);
      stages.push(await page.evaluate(stagesInPage, PAINTED));
      fcps.push(timing.fcp);
      if (i === runs - 1) {
        frames = (await page.evaluate(SCROLL)) as number[];
      }
      await context.close();
    }
    return {
      overviewPaintMs: { median: median(paints), runs: paints },
      firstContentfulPaintMs: median(fcps),
      overviewApiMs: median(apis),
      stagesMs: Object.fromEntries((Object.keys(stages[0]!) as (keyof PaintStages)[]).map((k) => [k, median(stages.map((x) => x[k]))])) as unknown as PaintStages,
      overviewBytes,
      namespaces,
      scrollFrameMs: { p50: percentile(frames, 50), p95: percentile(frames, 95), max: Math.max(...frames), frames: frames.length },
    };
  } finally {
    await browser.close();
  }
}
