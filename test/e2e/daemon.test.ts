/**
 * End to end through the real CLI: `pacific init`, `pacific serve` on a real port, `git push` with
 * the git CLI, then `/status`, `/inventory`, the admin endpoint and drift correction.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, getJson, runCli, startDaemonProcess, stopDaemonProcess, waitFor, type DaemonProcess } from '../support/daemon-process.js';
import { vmYaml } from '../support/fixtures.js';
import { git } from '../support/git.js';
import { tempDir } from '../support/temp.js';

interface Status {
  source: { headRevision: string };
  lastAppliedRevision: string;
  lastAttemptedRevision: string;
  conditions: { type: string; status: string; reason: string; message: string }[];
  diagnostics: { text: string; file: string; line: number }[];
  objects: { kind: string; name: string; conditions: { type: string; status: string }[] }[];
  events: { reason: string; object: string; message: string }[];
}
interface Inventory {
  virtualMachines: { namespace: string; name: string; host: string; powerState: string; ip: string | null }[];
  hosts: { name: string }[];
}

let tmp: ReturnType<typeof tempDir>;
let daemon: DaemonProcess;
let work: string;
let token: string;

const status = async () => (await getJson<Status>(`${daemon.url}/status`)).body;
const inventory = async () => (await getJson<Inventory>(`${daemon.url}/inventory`)).body;
const applied = (revision: string) => waitFor(async () => ((await status()).lastAppliedRevision === revision ? true : undefined), `revision ${revision} applied`);

function pushFile(path: string, content: string, message: string): string {
  writeFileSync(join(work, path), content);
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', message);
  git(work, 'push', '-q', 'origin', 'main');
  return git(work, 'rev-parse', 'HEAD');
}

beforeAll(async () => {
  tmp = tempDir('pacific-e2e-');
  const bare = join(tmp.dir, 'gitops.git');
  expect(runCli(['init', bare]).code).toBe(0);
  daemon = await startDaemonProcess(['--repo', bare, '--state', join(tmp.dir, 'state'), '--resync', '1h']);
  token = readFileSync(join(tmp.dir, 'state', 'token'), 'utf8').trim();
  work = join(tmp.dir, 'work');
  git(tmp.dir, 'clone', '-q', bare, work);
});

afterAll(async () => {
  if (daemon) await stopDaemonProcess(daemon);
  tmp?.cleanup();
});

describe('pacific serve, end to end', () => {
  it('applies the initial commit and reports ready', async () => {
    // The server answers during the first pass (503 until it ends): wait for it.
    await waitFor(async () => ((await fetch(`${daemon.url}/readyz`)).status === 200 ? true : undefined), 'ready');
    const s = await status();
    expect(s.lastAppliedRevision).toBe(git(work, 'rev-parse', 'HEAD'));
    expect(s.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'ReconciliationSucceeded' });
    expect((await inventory()).virtualMachines).toHaveLength(6);
  });

  it('applies a git push: /status shows the pushed revision applied and /inventory the VM on a host', async () => {
    const head = pushFile('namespaces/team-a/web-3.yaml', vmYaml('team-a', 'web-3', { labels: { app: 'shop' } }), 'Add web-3');
    await applied(head);
    const vm = (await inventory()).virtualMachines.find((v) => v.name === 'web-3');
    expect(vm).toMatchObject({ namespace: 'team-a', powerState: 'PoweredOn' });
    expect(vm!.host).toMatch(/^esx-0\d\.pacific\.local$/);
    expect(vm!.ip).toMatch(/^10\.244\./);
    const object = (await status()).objects.find((o) => o.kind === 'VirtualMachine' && o.name === 'web-3');
    expect(object!.conditions[0]).toMatchObject({ type: 'Ready', status: 'True' });
  });

  it('keeps the last good revision applied when a commit is invalid, and says why with file:line', async () => {
    const good = git(work, 'rev-parse', 'HEAD');
    const bad = pushFile('namespaces/team-a/broken.yaml', vmYaml('team-a', 'broken').replace('className:', 'clasName:'), 'Typo');
    await waitFor(async () => ((await status()).lastAttemptedRevision === bad ? true : undefined), 'invalid revision attempted');
    const s = await status();
    expect(s.lastAppliedRevision).toBe(good);
    expect(s.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ValidationFailed' });
    // kstatus: only a new commit moves it on.
    expect(s.conditions.find((c) => c.type === 'Stalled')).toMatchObject({ status: 'True', reason: 'ValidationFailed' });
    expect(s.conditions.find((c) => c.type === 'Reconciling')).toBeUndefined();
    expect(s.diagnostics.map((d) => d.text)).toContain('namespaces/team-a/broken.yaml:7:3: VirtualMachine/team-a/broken: spec.clasName: unknown field "clasName"');
    expect((await inventory()).virtualMachines.some((v) => v.name === 'broken')).toBe(false);
    // Fixing it applies the next commit.
    const fixed = pushFile('namespaces/team-a/broken.yaml', vmYaml('team-a', 'broken'), 'Fix typo');
    await applied(fixed);
    expect((await status()).conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True' });
    // Stalled goes with the fix; Reconciling is there while the new VM powers on, and goes once every object is Ready.
    expect((await status()).conditions.find((c) => c.type === 'Stalled')).toBeUndefined();
    const settled = await waitFor(async () => {
      const now = await status();
      return now.objects.every((o) => o.conditions[0]?.status === 'True') ? now : undefined;
    }, 'every object Ready');
    expect(settled.conditions.map((c) => c.type)).toEqual(['Ready', 'SourceReady']);
  });

  it('refuses state changes without the token, and corrects out-of-band drift at the next pass', async () => {
    const url = `${daemon.url}/admin/virtualmachines/team-a/web-1/power-off`;
    expect((await getJson(url, { method: 'POST' })).status).toBe(401);
    expect((await getJson(`${daemon.url}/reconcile`, { method: 'POST' })).status).toBe(401);
    const auth = { authorization: `Bearer ${token}` };
    expect((await getJson(url, { method: 'POST', headers: auth })).status).toBe(200);
    expect((await getJson(`${daemon.url}/admin/virtualmachines/team-a/web-1/resize`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ cpus: 8 }) })).status).toBe(200);
    expect((await inventory()).virtualMachines.find((v) => v.name === 'web-1')!.powerState).toBe('PoweredOff');
    expect((await getJson(`${daemon.url}/reconcile`, { method: 'POST', headers: auth })).status).toBe(202);
    await waitFor(async () => ((await inventory()).virtualMachines.find((v) => v.name === 'web-1')!.powerState === 'PoweredOn' ? true : undefined), 'drift corrected');
    const events = (await status()).events;
    expect(events.find((e) => e.reason === 'DriftCorrected' && e.object === 'VirtualMachine/team-a/web-1')!.message).toContain('spec.powerState: "PoweredOff" → "PoweredOn"');
    expect(events.some((e) => e.reason === 'OutOfBandChange')).toBe(true);
  });

  it('puts a host into maintenance mode through the token-protected admin endpoint, with events and metrics', async () => {
    const url = `${daemon.url}/admin/hosts/esx-04.pacific.local/enter-maintenance`;
    expect((await getJson(url, { method: 'POST' })).status).toBe(401);
    expect((await getJson(url, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const hosts = (await getJson<{ hosts: { name: string; state: string; virtualMachines: { count: number } }[] }>(`${daemon.url}/inventory`)).body.hosts;
    expect(hosts.find((h) => h.name === 'esx-04.pacific.local')).toMatchObject({ state: 'maintenance', virtualMachines: { count: 0 } });
    expect((await status()).events.some((e) => e.reason === 'EnteringMaintenance')).toBe(true);
    expect(await (await fetch(`${daemon.url}/metrics`, asAdmin(`${daemon.url}/metrics`))).text()).toMatch(/pacific_events_total\{type="Normal",reason="EnteringMaintenance"\} 1/);
    expect((await getJson(url.replace('enter-maintenance', 'exit-maintenance'), { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await getJson(url.replace('esx-04', 'esx-99'), { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
  });

  it('exposes Prometheus metrics', async () => {
    const text = await (await fetch(`${daemon.url}/metrics`, asAdmin(`${daemon.url}/metrics`))).text();
    expect(text).toMatch(/pacific_reconcile_total\{result="applied"\} \d+/);
    expect(text).toMatch(/pacific_objects\{kind="VirtualMachine",ready="true"\} 8/);
    expect(text).toContain(`pacific_last_applied_revision_info{revision="${git(work, 'rev-parse', 'HEAD')}"} 1`);
    expect(text).toMatch(/pacific_push_to_applied_seconds_count [1-9]/);
    // Every stage the issue names has its own histogram, with time in it after the first pass.
    for (const stage of ['detect', 'read', 'parse', 'validate', 'plan', 'apply', 'persist']) {
      const sum = new RegExp(`pacific_stage_duration_seconds_sum\\{stage="${stage}"\\} ([0-9.e-]+)`).exec(text);
      expect(Number(sum?.[1]), stage).toBeGreaterThan(0);
    }
    // Node's and the process's metrics under their standard names.
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds']) expect(text).toMatch(new RegExp(`^${name} `, 'm'));
    expect(text).not.toContain('pacific_process_');
    // The source's conditions, one series per status; the prune bound holds nothing; the last success is recent.
    expect(text).toContain('pacific_condition{type="Ready",status="True"} 1');
    expect(text).toContain('pacific_condition{type="Ready",status="False"} 0');
    expect(text).toMatch(/^pacific_prune_held 0$/m);
    const lastSuccess = Number(/^pacific_last_success_timestamp_seconds (\S+)$/m.exec(text)?.[1]);
    expect(Date.now() / 1000 - lastSuccess).toBeLessThan(600);
  });

  it('measures a commit from its push to every object Ready, once the new VM has powered on', async () => {
    const count = (text: string) => Number(/^pacific_commit_to_ready_seconds_count (\S+)$/m.exec(text)?.[1] ?? 0);
    const metrics = () => fetch(`${daemon.url}/metrics`, asAdmin(`${daemon.url}/metrics`)).then((r) => r.text());
    const before = count(await metrics());
    await applied(pushFile('ready-1.yaml', vmYaml('team-a', 'ready-1'), 'a VM to be Ready'));
    const text = await waitFor(async () => {
      const now = await metrics();
      return count(now) > before ? now : undefined;
    }, 'commit-to-Ready observed');
    expect(count(text)).toBe(before + 1);
    const vm = (await status()).objects.find((o) => o.kind === 'VirtualMachine' && o.name === 'ready-1');
    expect(vm?.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
  });
});
