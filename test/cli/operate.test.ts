/**
 * The operating commands run as processes against `pacific serve` on real ports: through
 * `--server`/`$PACIFIC_TOKEN` (the status listener) and through a kubeconfig context (the
 * Kubernetes API's HTTPS listener, its CA and a signed token), with kubectl's exit codes and `-o`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../daemon/base/paths.js';
import { follow, pacific } from '../support/cli-process.js';
import { getJson, initRepoFrom, runCli, startDaemonProcess, stopDaemonProcess, waitFor, type DaemonProcess } from '../support/daemon-process.js';
import { vmYaml } from '../support/fixtures.js';
import { git } from '../support/git.js';
import { tempDir } from '../support/temp.js';

const POLICY = (ns: string, permissions: string) =>
  `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}}\n---\napiVersion: pacific.dev/v1alpha1\nkind: NamespacePolicy\nmetadata: {name: policy, namespace: ${ns}}\nspec:\n  permissions: ${permissions}\n`;

let tmp: ReturnType<typeof tempDir>;
let daemon: DaemonProcess;
let work: string;
let env: NodeJS.ProcessEnv;
const kubeconfigs: Record<'admin' | 'dev', string> = { admin: '', dev: '' };

const push = (file: string, text: string, message: string) => {
  writeFileSync(join(work, file), text);
  git(work, 'add', '-A');
  git(work, 'commit', '-m', message);
  git(work, 'push', '-q', 'origin', 'main');
  return git(work, 'rev-parse', 'HEAD');
};

const applied = async () => (await getJson<{ lastAppliedRevision: string | null }>(`${daemon.url}/status`)).body.lastAppliedRevision;

beforeAll(async () => {
  tmp = tempDir('pacific-operate-');
  const bare = initRepoFrom(tmp.dir, {
    'platform/team-a.yaml': POLICY('team-a', '[{subject: {kind: Group, name: devs}, role: edit}]'),
    'platform/team-b.yaml': POLICY('team-b', '[{subject: {kind: User, name: bob}, role: owner}]'),
    'namespaces/team-a/web.yaml': vmYaml('team-a', 'web-1'),
    'namespaces/team-b/ci.yaml': vmYaml('team-b', 'ci-1'),
  });
  const state = join(tmp.dir, 'state');
  daemon = await startDaemonProcess(['--repo', bare, '--state', state, '--resync', '1h']);
  await waitFor(async () => ((await applied()) ? true : undefined), 'first pass');
  env = { PACIFIC_SERVER: daemon.url, PACIFIC_TOKEN: readFileSync(join(state, 'token'), 'utf8').trim() };
  work = join(tmp.dir, 'work');
  git(tmp.dir, 'clone', '-q', bare, work);
  for (const [who, args] of [['admin', []], ['dev', ['--user', 'carol', '--group', 'devs']]] as const) {
    kubeconfigs[who] = join(tmp.dir, `${who}.kubeconfig`);
    writeFileSync(kubeconfigs[who], runCli(['kubeconfig', '--state', state, '--server', daemon.api!, ...args]).stdout);
  }
}, 120_000);

afterAll(async () => {
  if (daemon) await stopDaemonProcess(daemon);
  tmp?.cleanup();
});

describe('pacific version, --version, completion', () => {
  it('prints the package version with --version (exit 0), and the client and server versions', async () => {
    const { version } = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
    const flag = await pacific(['--version']);
    expect(flag).toMatchObject({ code: 0, stdout: `pacific ${version}\n` });
    const both = await pacific(['version'], env);
    expect(both.code).toBe(0);
    expect(both.stdout).toMatch(new RegExp(`^Client Version: ${version} .*\\nServer Version: ${version} `));
    const json = JSON.parse((await pacific(['version', '-o', 'json'], env)).stdout) as { clientVersion: { pacific: string }; serverVersion: { pacific: string } };
    expect(json.serverVersion.pacific).toBe(version);
  });

  it('exits 1 with kubectl\'s words when the daemon cannot be reached, still printing the client version', async () => {
    const r = await pacific(['version', '--server', 'http://127.0.0.1:9']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Client Version: /);
    expect(r.stderr).toContain('The connection to the server 127.0.0.1:9 was refused');
  });

  it('completes commands, flags, -o values and kinds in bash', async () => {
    const script = (await pacific(['completion', 'bash'])).stdout;
    const complete = (line: string) => {
      const words = line.split(' ');
      const r = spawnSync('bash', ['-c', `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _pacific; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      return r.stdout.trim().split('\n');
    };
    expect(complete('pacific ge')).toEqual(['get']);
    expect(complete('pacific get -o ')).toEqual(['table', 'wide', 'yaml', 'json', 'name']);
    expect(complete('pacific get virtualm')).toEqual(expect.arrayContaining(['virtualmachine', 'virtualmachineclass']));
    expect(complete('pacific status --ser')).toEqual(['--server']);
  });

  it('writes zsh and fish scripts their shells accept', async () => {
    for (const shell of ['zsh', 'fish']) {
      const script = (await pacific(['completion', shell])).stdout;
      expect(script).toContain('status');
      const check = spawnSync(shell, ['-n'], { input: script, encoding: 'utf8' });
      if (check.error) {
        console.warn(`${shell} is not installed: its completion script is not syntax-checked`);
        continue;
      }
      expect(check.status, check.stderr).toBe(0);
    }
    expect((await pacific(['completion', 'tcsh'])).code).not.toBe(0);
  });
});

describe('pacific status, get, events', () => {
  it('status: revisions as main@sha1, conditions, suspension and health per namespace', async () => {
    const head = git(work, 'rev-parse', 'HEAD');
    const text = await pacific(['status'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Applied:     main@sha1:${head}`);
    expect(text.stdout).toMatch(/Suspended:\s+False/);
    expect(text.stdout).toMatch(/^team-a\s+\w+\s+\d+/m);
    expect(text.stdout).not.toMatch(/^\s+$/m);
    const summary = JSON.parse((await pacific(['status', '-o', 'json'], env)).stdout) as { namespaces: { name: string; total: number; ready: number; progressing: number; degraded: number; waiting: number }[] };
    const status = (await getJson<{ objects: { namespace: string; kind: string; name: string }[] }>(`${daemon.url}/status`)).body;
    for (const ns of summary.namespaces) {
      expect(ns.ready + ns.progressing + ns.degraded + ns.waiting).toBe(ns.total);
      expect(ns.total, ns.name).toBe(status.objects.filter((o) => (o.namespace || (o.kind === 'Namespace' ? o.name : '')) === ns.name).length);
    }
  });

  it('get: a table per kind and namespace, -o wide/json/yaml/name, NotFound exit 1', async () => {
    const all = await pacific(['get', 'vm', '-A'], env);
    expect(all.code).toBe(0);
    expect(all.stdout.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+REASON$/);
    expect(all.stdout).toMatch(/^team-a\s+web-1\s+True\s+Ready\s+Reconciled$/m);
    expect(all.stdout).toMatch(/^team-b\s+ci-1\s+/m);
    const wide = await pacific(['get', 'virtualmachines', '-n', 'team-a', '-o', 'wide'], env);
    expect(wide.stdout).toMatch(/^NAME\s+READY\s+STATUS\s+REASON\s+SOURCE\s+MESSAGE$/m);
    expect(wide.stdout).toContain('namespaces/team-a/web.yaml:1');
    const list = JSON.parse((await pacific(['get', 'VirtualMachine', '-A', '-o', 'json'], env)).stdout) as { kind: string; items: { metadata: { name: string } }[] };
    expect(list.kind).toBe('List');
    expect(list.items.map((i) => i.metadata.name).sort()).toEqual(['ci-1', 'web-1']);
    const one = await pacific(['get', 'vm', 'web-1', '-n', 'team-a', '-o', 'yaml'], env);
    expect(one.stdout).toMatch(/^apiVersion: vmoperator\.vmware\.com\/v1alpha\d\nkind: VirtualMachine\nmetadata:\n {2}name: web-1\n {2}namespace: team-a/);
    const names = (await pacific(['get', 'vm', '-A', '-o', 'name'], env)).stdout.split('\n').filter(Boolean).sort();
    expect(names).toEqual(['virtualmachine.vmoperator.vmware.com/ci-1', 'virtualmachine.vmoperator.vmware.com/web-1']);
    const missing = await pacific(['get', 'vm', 'nope', '-n', 'team-a'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('Error from server (NotFound): vm "nope" not found in namespace team-a\n');
  });

  it('reads through the current kubeconfig context (HTTPS, its CA and token), cut to the identity\'s namespaces', async () => {
    const admin = await pacific(['get', 'vm'], { KUBECONFIG: kubeconfigs.admin });
    expect(admin.code, admin.stderr).toBe(0);
    expect(admin.stdout).toContain('ci-1');
    const dev = await pacific(['get', 'vm', '-A'], { KUBECONFIG: kubeconfigs.dev });
    expect(dev.stdout).toContain('web-1');
    expect(dev.stdout).not.toContain('ci-1');
    const context = await pacific(['get', 'vm', '--context', 'team-a'], { KUBECONFIG: kubeconfigs.dev });
    expect(context.stdout.split('\n')[0]).toMatch(/^NAME\s/);
    const forbidden = await pacific(['get', 'vm', '-n', 'team-b'], { KUBECONFIG: kubeconfigs.dev });
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toMatch(/^Error from server \(Forbidden\): no NamespacePolicy permission of namespace team-b names User carol/);
    const events = await pacific(['events', '-A', '-o', 'json'], { KUBECONFIG: kubeconfigs.dev });
    expect(events.stdout).not.toContain('team-b/');
    const unauthorized = await pacific(['status', '--token', 'not-a-token'], { PACIFIC_SERVER: daemon.url });
    expect(unauthorized.code).toBe(1);
    expect(unauthorized.stderr).toContain('error: You must be logged in to the server (Unauthorized)');
  });

  it('get -w and events -w print what a push changes', async () => {
    const watchGet = follow(['get', 'vm', '-n', 'team-a', '-w', '--server', daemon.url], { PACIFIC_TOKEN: env['PACIFIC_TOKEN']! });
    const watchEvents = follow(['events', '-n', 'team-a', '-w'], env);
    try {
      await watchGet.until((out) => out.includes('web-1'), 'the first listing');
      await watchEvents.until((out) => out.includes('LAST SEEN'), 'the first events');
      const revision = push('namespaces/team-a/web-2.yaml', vmYaml('team-a', 'web-2'), 'web-2');
      await waitFor(async () => ((await applied()) === revision ? true : undefined), 'the push applied');
      await watchGet.until((out) => /^web-2\s+\w+/m.test(out), 'web-2 in get -w');
      await watchEvents.until((out) => out.includes('VirtualMachine/team-a/web-2'), 'web-2 in events -w');
      expect(watchEvents.output()).not.toContain('team-b');
    } finally {
      await watchGet.stop();
      await watchEvents.stop();
    }
  });
});

describe('pacific history, reconcile, wait, suspend, resume, prune confirm', () => {
  it('history: the last passes with trigger, result, revision, duration, plan digest and counts', async () => {
    const head = git(work, 'rev-parse', 'HEAD');
    const { items } = JSON.parse((await pacific(['history', '-o', 'json'], env)).stdout) as { items: { seq: number; trigger: string; result: string; revision?: string; planDigest?: string; counts?: { create: number }; durationMs: number }[] };
    const pushed = items.find((p) => p.revision === `main@sha1:${head}` && p.result === 'applied');
    expect(pushed, JSON.stringify(items)).toMatchObject({ trigger: 'watch' });
    expect(pushed!.planDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(pushed!.counts!.create).toBeGreaterThanOrEqual(1);
    expect(items.map((p) => p.seq)).toEqual([...items.map((p) => p.seq)].sort((a, b) => b - a));
    const table = await pacific(['history', '--limit', '2'], env);
    expect(table.stdout.split('\n')[0]).toMatch(/^PASS\s+AGE\s+TRIGGER\s+RESULT\s+REVISION\s+DURATION\s+PLAN\s+CHANGES\s+NOT READY$/);
    expect(table.stdout.trim().split('\n')).toHaveLength(3);
    const tenant = JSON.parse((await pacific(['history', '-o', 'json'], { KUBECONFIG: kubeconfigs.dev })).stdout) as { items: Record<string, unknown>[] };
    expect(tenant.items.length).toBeGreaterThan(0);
    expect(tenant.items.some((p) => 'counts' in p || 'planDigest' in p)).toBe(false);
  });

  it('reconcile --wait prints the pass it waited for; wait --for revision and ready; a timeout exits 1', async () => {
    const reconciled = await pacific(['reconcile', '--wait', '--timeout', '60s'], env);
    expect(reconciled.code, reconciled.stderr).toBe(0);
    expect(reconciled.stdout).toMatch(/✔ pass \d+: (unchanged|applied) at main@sha1:[0-9a-f]{40} in \d+ ms/);
    const head = git(work, 'rev-parse', 'HEAD');
    expect((await pacific(['wait', '--for', `revision=${head.slice(0, 8)}`, '--timeout', '30s'], env)).code).toBe(0);
    expect((await pacific(['wait', '--for', 'ready', '--timeout', '30s'], env)).code).toBe(0);
    const timedOut = await pacific(['wait', '--for', 'revision=deadbeef', '--timeout', '1s'], env);
    expect(timedOut.code).toBe(1);
    expect(timedOut.stderr).toBe('error: timed out waiting for the condition (revision=deadbeef)\n');
    const wrong = await pacific(['prune', 'confirm', 'deadbeef'.repeat(5)], env);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^Error from server \(Conflict\): /);
    const short = await pacific(['prune', 'confirm', 'deadbeef'], env);
    expect(short.code).toBe(1);
    expect(short.stderr).toBe('error: deadbeef is not the revision the prune bound holds (it holds none)\n');
  });

  it('suspend: no new revision and no drift correction, across a restart; reads and dry runs go on; resume applies', async () => {
    const suspended = await pacific(['suspend', '--reason', 'incident 42'], env);
    expect(suspended.code, suspended.stderr).toBe(0);
    expect((await pacific(['status'], env)).stdout).toMatch(/Suspended:\s+True \(since .* by pacific:admin-token: incident 42\)/);
    const revision = push('namespaces/team-a/web-3.yaml', vmYaml('team-a', 'web-3'), 'web-3 while suspended');
    const offline = await fetch(`${daemon.url}/admin/virtualmachines/team-a/web-1/power-off`, { method: 'POST', headers: { authorization: `Bearer ${env['PACIFIC_TOKEN']}` } });
    expect(offline.status).toBe(200);
    const refused = await pacific(['reconcile'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Error from server (Conflict): reconciling is suspended');
    expect((await pacific(['wait', '--for', `revision=${revision}`, '--timeout', '2s'], env)).code).toBe(1);
    // Reads and dry runs keep working.
    expect((await pacific(['get', 'vm', 'web-1', '-n', 'team-a'], env)).code).toBe(0);
    expect((await pacific(['diff', work, '--server', daemon.url, '--token', env['PACIFIC_TOKEN']!])).code).toBe(1);
    // A restart stays suspended.
    await stopDaemonProcess(daemon);
    daemon = await startDaemonProcess(['--repo', join(tmp.dir, 'gitops.git'), '--state', join(tmp.dir, 'state'), '--resync', '1h']);
    env = { ...env, PACIFIC_SERVER: daemon.url };
    expect((await pacific(['status'], env)).stdout).toMatch(/Suspended:\s+True/);
    expect((await pacific(['wait', '--for', `revision=${revision}`, '--timeout', '2s'], env)).code).toBe(1);
    const inventory = async () => (await getJson<{ virtualMachines: { name: string; powerState: string }[] }>(`${daemon.url}/inventory`)).body.virtualMachines;
    expect((await inventory()).find((v) => v.name === 'web-1')!.powerState).toBe('PoweredOff');
    expect((await inventory()).some((v) => v.name === 'web-3')).toBe(false);
    const resumed = await pacific(['resume'], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect((await pacific(['wait', '--for', `revision=${revision}`, '--timeout', '60s'], env)).code).toBe(0);
    expect((await pacific(['status'], env)).stdout).toMatch(/Suspended:\s+False/);
    await waitFor(async () => ((await inventory()).find((v) => v.name === 'web-1')?.powerState === 'PoweredOn' ? true : undefined), 'the drift corrected');
    const events = (await pacific(['events', '-A'], env)).stdout;
    expect(events).toMatch(/Suspended\s+.*incident 42/);
    expect(events).toMatch(/Resumed\s+/);
  });
});
