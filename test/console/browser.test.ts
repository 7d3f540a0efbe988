/**
 * The console in a real browser: headless Chromium (Debian's package, driven by playwright-core)
 * against `pacific serve`. It signs in as the VI admin and as a tenant, walks every page, follows a
 * push into a live update without a reload, suspends and resumes reconciling (and sees a suspension
 * made elsewhere arrive live), plans a change on the Diff page, confirms a held prune,
 * checks the tenant cannot see another namespace, runs axe-core on every page and saves a
 * screenshot of each under test-results/console/ (git-ignored) for review.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../daemon/base/paths.js';
import { waitFor } from '../support/daemon-process.js';
import { startConsoleFixture, vm, vms, type ConsoleFixture } from './fixture.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!CHROMIUM) console.warn('SKIPPED: the console browser tests need Chromium (/usr/bin/chromium): npm test installs it as root with apt (scripts/test-machine.sh)');

const SHOTS = join(packageRoot, 'test-results', 'console');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let f: ConsoleFixture;
let browser: Browser;
let admin: Page;
const problems: string[] = [];

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 40[134]/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  return page;
}

/** axe-core's WCAG 2 A/AA rules on the page as it is; evaluated through the DevTools protocol, which the page's CSP does not govern. */
async function accessibility(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const page = globalThis as unknown as { document: unknown; axe: { run: (ctx: unknown, o: object) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } };
    const r = await page.axe.run(page.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  });
  return violations;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

const text = (page: Page, testId: string) => page.getByTestId(testId).innerText();
/** A namespace's row on the Overview: Ready, Progressing, Waiting, Degraded. */
const counts = async (page: Page, ns: string) => (await text(page, `counts-${ns}`)).split(/\s+/).filter((x) => /^\d+$/.test(x)).map(Number);
const settled = (c: number[]) => c.length === 4 && c[0]! > 0 && c[1] === 0 && c[2] === 0 && c[3] === 0;

describe.skipIf(!CHROMIUM)('the console in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    f = await startConsoleFixture();
    browser = await chromium.launch({ executablePath: CHROMIUM!, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
    admin = await newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await f?.stop();
  });

  it('signs the VI admin in and shows the overview', async () => {
    await admin.goto(`${f.api}/console/`);
    expect(await accessibility(admin)).toEqual([]);
    await shot(admin, 'sign-in');
    await admin.getByLabel('Bearer token').fill(f.adminToken);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.getByTestId('total-Ready').waitFor();
    await waitFor(async () => (settled(await counts(admin, 'team-a')) ? true : undefined), 'team-a ready');
    expect(await admin.getByRole('link', { name: 'team-b' }).count()).toBe(1);
    expect(await admin.getByTestId('user').innerText()).toContain('VI admin');
    await admin.locator('[data-live=up]').waitFor();
    expect(await accessibility(admin)).toEqual([]);
    await shot(admin, 'overview');
  });

  it("opens the overview signed in with the page's one request for its data, not waiting for the session's answer", async () => {
    // The session's answer is held back: the overview draws from its own data, and a write waits for the CSRF token.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await admin.route('**/console/api/session', async (route) => {
      if (route.request().method() === 'GET') await held;
      await route.continue();
    });
    await admin.goto(`${f.api}/console/`);
    await admin.getByTestId('total-Ready').waitFor();
    expect(await admin.getByTestId('user').innerText()).toContain('VI admin');
    // Times are drawn without Intl (a page's first Intl date format costs tens of milliseconds).
    expect(await admin.locator('time').first().innerText()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    await admin.getByRole('button', { name: 'Reconcile now' }).click();
    await admin.waitForTimeout(300);
    expect(await admin.getByText('A pass is running.').count()).toBe(0);
    release();
    await admin.getByText('A pass is running.').waitFor();
    await admin.unrouteAll();
    // The page's preload was the only request for the overview's data.
    const overviews = await admin.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/console/api/overview')).map((e) => (e as unknown as { initiatorType: string }).initiatorType));
    expect(overviews).toEqual(['link']);
  });

  it('walks the namespace, object and hosts pages', async () => {
    await admin.getByRole('link', { name: 'team-a' }).click();
    await admin.getByRole('heading', { name: 'Namespace team-a' }).waitFor();
    await admin.getByRole('heading', { name: 'VirtualMachine (4)' }).waitFor();
    expect(await admin.getByRole('meter').count()).toBe(3);
    expect(await admin.getByRole('meter', { name: 'limits.cpu' }).getAttribute('aria-valuetext')).toBe('9 of 16');
    expect(await admin.getByText('auditors@vsphere.local').count()).toBe(1);
    expect(await accessibility(admin)).toEqual([]);
    await shot(admin, 'namespace');

    await admin.getByRole('link', { name: 'shop', exact: true }).click();
    await admin.getByRole('heading', { name: 'Deployment team-a/shop' }).waitFor();
    const tree = admin.getByRole('tree');
    await tree.getByText('ReplicaSet').waitFor();
    expect(await tree.getByText('Pod', { exact: true }).count()).toBe(2);
    await admin.getByText('namespaces/team-a/app.yaml:1').waitFor();
    await admin.getByRole('table', { name: 'Conditions' }).waitFor();
    expect(await accessibility(admin)).toEqual([]);
    await shot(admin, 'object');

    await admin.getByRole('link', { name: 'Hosts' }).click();
    await admin.getByRole('heading', { name: 'Hosts' }).waitFor();
    expect(await admin.getByTestId('host').count()).toBe(4);
    expect(await admin.getByRole('meter', { name: 'CPU reserved' }).count()).toBe(4);
    expect(await accessibility(admin)).toEqual([]);
    await shot(admin, 'hosts');
  });

  it('follows a push into a live update without reloading', async () => {
    await admin.getByRole('link', { name: 'Overview' }).click();
    await admin.getByTestId('counts-team-a').waitFor();
    await waitFor(async () => (settled(await counts(admin, 'team-a')) ? true : undefined), 'team-a ready');
    const [before] = await counts(admin, 'team-a');
    await admin.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 42));
    f.push({ 'namespaces/team-a/vms.yaml': vms('web', 5) }, 'web-5');
    await waitFor(async () => ((await counts(admin, 'team-a'))[0] === before! + 1 ? true : undefined), `team-a's Ready count to move from ${before}`, 30_000);
    expect(await admin.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(42);
  });

  it('suspends and resumes reconciling from the overview, and shows a suspension made elsewhere live', async () => {
    await admin.getByRole('link', { name: 'Overview' }).click();
    const reconcile = admin.getByRole('button', { name: 'Reconcile now' });
    await reconcile.click();
    await admin.getByText('A pass is running.').waitFor();
    await admin.getByRole('button', { name: 'Suspend…' }).click();
    await admin.getByLabel('Reason for suspending').fill('vSAN maintenance');
    await admin.getByRole('button', { name: 'Suspend reconciling' }).click();
    const banner = admin.getByTestId('suspended');
    await banner.waitFor();
    expect(await banner.innerText()).toContain('vSAN maintenance');
    expect(await reconcile.isDisabled()).toBe(true);
    expect(await accessibility(admin)).toEqual([]);
    await shot(admin, 'suspended');
    await admin.getByRole('button', { name: 'Resume reconciling' }).click();
    await banner.waitFor({ state: 'detached' });
    expect(await reconcile.isEnabled()).toBe(true);
    // `pacific suspend` on the status listener: the open page learns it through its stream, without a reload.
    await admin.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 7));
    const cli = await fetch(`${f.daemon.url}/suspend`, { method: 'POST', headers: { authorization: `Bearer ${f.adminToken}`, 'content-type': 'application/json' }, body: '{"reason":"from the CLI"}' });
    expect(cli.status).toBe(200);
    await banner.waitFor({ timeout: 10_000 });
    expect(await banner.innerText()).toContain('from the CLI');
    expect(await admin.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(7);
    await admin.getByRole('button', { name: 'Resume reconciling' }).click();
    await banner.waitFor({ state: 'detached' });
  });

  it('plans pasted manifests through the API with admission verdicts', async () => {
    await admin.getByRole('link', { name: 'Diff' }).click();
    const manifests = `${vm('web-1').replace('metadata:\n', 'metadata:\n  namespace: team-a\n').replace('PoweredOn', 'PoweredOff')}---\n${vm('huge').replace('metadata:\n', 'metadata:\n  namespace: team-a\n').replace('best-effort-small', 'best-effort-8xlarge')}`;
    await admin.getByLabel(/Manifests/).fill(manifests);
    await admin.getByRole('button', { name: 'Plan' }).click();
    const verdicts = admin.getByTestId('verdict');
    await verdicts.nth(1).waitFor();
    const first = await verdicts.nth(0).innerText();
    expect(first).toMatch(/update\s+VirtualMachine team-a\/web-1/);
    expect(first).toContain('spec.powerState');
    expect(first).toContain('"PoweredOff"');
    const second = await verdicts.nth(1).innerText();
    expect(second).toMatch(/refused\s+VirtualMachine team-a\/huge/);
    expect(second).toContain('best-effort-8xlarge');
    expect(await accessibility(admin)).toEqual([]);
    await shot(admin, 'diff');
  });

  it('signs a tenant in with its kubeconfig and shows it nothing of another namespace', async () => {
    const tenant = await newPage();
    await tenant.goto(`${f.api}/console/`);
    await tenant.getByLabel('a kubeconfig').check();
    await tenant.getByLabel('or paste it').fill(f.kubeconfig('dan@vsphere.local', ['auditors@vsphere.local']));
    await tenant.getByRole('button', { name: 'Sign in' }).click();
    await tenant.getByTestId('counts-team-a').waitFor();
    expect(await tenant.getByRole('link', { name: 'team-b' }).count()).toBe(0);
    expect(await tenant.getByRole('button', { name: 'Reconcile now' }).count()).toBe(0);
    expect(await tenant.getByRole('button', { name: /Suspend|Resume/ }).count()).toBe(0);
    await shot(tenant, 'tenant-overview');
    await tenant.goto(`${f.api}/console/namespaces/team-b`);
    await tenant.getByRole('alert').waitFor();
    expect(await tenant.getByRole('alert').innerText()).toContain('may not view namespace team-b');
    const api = await tenant.evaluate(async () => (await fetch('/apis/vmoperator.vmware.com/v1alpha3/namespaces/team-b/virtualmachines')).status);
    expect(api).toBe(403);
    await tenant.goto(`${f.api}/console/hosts`);
    await tenant.getByRole('heading', { name: /Waiting for a host/ }).waitFor();
    expect(await tenant.content()).not.toContain('batch-');
    await shot(tenant, 'tenant-hosts');
    await tenant.context().close();
  });

  it('shows a held prune and confirms it', async () => {
    await admin.getByRole('link', { name: 'Overview' }).click();
    await admin.getByTestId('counts-team-b').waitFor();
    const [teamB] = await counts(admin, 'team-b');
    const head = f.push({ 'namespaces/team-a/vms.yaml': null, 'namespaces/team-b/vms.yaml': null, 'namespaces/team-a/app.yaml': null }, 'remove the workloads');
    const confirm = admin.getByRole('button', { name: /Confirm prune/ });
    await confirm.waitFor({ timeout: 30_000 });
    expect(await admin.getByRole('heading', { name: /held by the prune bound/ }).innerText()).toContain(head.slice(0, 12));
    expect(await accessibility(admin)).toEqual([]);
    await shot(admin, 'prune-held');
    await confirm.click();
    await waitFor(async () => ((await text(admin, 'applied-revision')) === head.slice(0, 12) ? true : undefined), 'the held revision applied', 30_000);
    await waitFor(async () => ((await counts(admin, 'team-b'))[0] === teamB! - 2 ? true : undefined), "team-b's two VMs gone");
    expect(await admin.getByRole('heading', { name: /held by the prune bound/ }).count()).toBe(0);
  });

  it('saw no script error and no Content-Security-Policy violation', () => {
    expect(problems).toEqual([]);
  });
});
