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
  /** Frame intervals while the namespace list scrolls top to bottom. */
  readonly scrollFrameMs: { readonly p50: number; readonly p95: number; readonly max: number; readonly frames: number };
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
    let namespaces = 0;
    let frames: number[] = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } });
      const signIn = await context.request.post(`${daemon.api}/console/api/session`, { data: { token: daemon.token() }, headers: { origin: daemon.api } });
      if (!signIn.ok()) throw new Error(`console sign-in: ${signIn.status()} ${await signIn.text()}`);
      const start = performance.now();
      const api = await context.request.get(`${daemon.api}/console/api/overview`);
      apis.push(performance.now() - start);
      namespaces = ((await api.json()) as { namespaces: unknown[] }).namespaces.length;
      const page = await context.newPage();
      await page.goto(`${daemon.api}/console/`);
      await page.waitForFunction((name) => performance.getEntriesByName(name).length > 0, PAINTED, { timeout: 60_000 });
      const timing = await page.evaluate((name) => ({ painted: performance.getEntriesByName(name)[0]!.startTime, fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN }), PAINTED);
      paints.push(timing.painted);
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
      namespaces,
      scrollFrameMs: { p50: percentile(frames, 50), p95: percentile(frames, 95), max: Math.max(...frames), frames: frames.length },
    };
  } finally {
    await browser.close();
  }
}
