/** `pacific diff` and `pacific validate` through the real CLI: output, golden text, exit codes. */
import { secretHasher } from '../../daemon/plan/secret-values.js';
import { SECRET_SALT_META } from '../../daemon/store/secret-salt.js';
import { SqliteStore } from '../../daemon/store/sqlite-store.js';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleRepoDir } from '../../daemon/base/paths.js';
import { CLI, getJson, initRepoFrom, runCli, startDaemonProcess, stopDaemonProcess, waitFor, type DaemonProcess } from '../support/daemon-process.js';
import { namespaceYaml, vmYaml } from '../support/fixtures.js';
import { git } from '../support/git.js';
import { tempDir } from '../support/temp.js';

let tmp: ReturnType<typeof tempDir>;
let repo: string;
let state: string;
let daemon: DaemonProcess;

beforeAll(async () => {
  tmp = tempDir('pacific-cli-');
  repo = join(tmp.dir, 'gitops.git');
  state = join(tmp.dir, 'state');
  expect(runCli(['init', repo]).code).toBe(0);
  daemon = await startDaemonProcess(['--repo', repo, '--state', state, '--resync', '1h']);
  await waitFor(async () => ((await getJson<{ lastAppliedRevision: string | null }>(`${daemon.url}/status`)).body.lastAppliedRevision ? true : undefined), 'first pass');
});

afterAll(async () => {
  if (daemon) await stopDaemonProcess(daemon);
  tmp?.cleanup();
});

/** `--server` reads /inventory/snapshot, which needs a token. */
const adminToken = () => readFileSync(join(state, 'token'), 'utf8').trim();

function copyOfSample(name: string): string {
  const dir = join(tmp.dir, name);
  cpSync(sampleRepoDir, dir, { recursive: true });
  return dir;
}

/** Powers web-1 off in the files of `dir` (a copy of the sample repo or a clone of it). */
function powerOffWeb1(dir: string): void {
  const file = join(dir, 'namespaces/team-a/virtual-machines.yaml');
  const web1 = '  className: best-effort-small\n  imageName: ubuntu-22.04-cloudimg\n  storageClass: vsan-default-storage-policy\n  powerState: PoweredOn\n---';
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(web1);
  writeFileSync(file, text.replace(web1, web1.replace('PoweredOn', 'PoweredOff')));
}

describe('pacific diff', () => {
  it('prints the plan of the sample repo against a fresh inventory and exits 1 (changes)', async () => {
    const { code, stdout } = runCli(['diff', 'sample-repo']);
    expect(code).toBe(1);
    await expect(stdout).toMatchFileSnapshot('__golden__/diff-sample-repo.txt');
  });

  it('gives the documented JSON shape with -o json', () => {
    const { code, stdout } = runCli(['diff', 'sample-repo', '-o', 'json']);
    expect(code).toBe(1);
    const plan = JSON.parse(stdout) as {
      revision: string;
      changes: { action: string; kind: string; namespace: string; name: string; source: { file: string; line: number }; fields: unknown[]; admission: { allowed: boolean; placement?: { host: string; datastore: string } } }[];
      summary: Record<string, number>;
    };
    expect(plan.revision).toMatch(/^worktree-[0-9a-f]{12}$/);
    expect(plan.summary).toEqual({ create: 25, update: 0, delete: 0, unchanged: 0 });
    const vm = plan.changes.find((c) => c.kind === 'VirtualMachine' && c.name === 'web-1')!;
    expect(vm).toMatchObject({ action: 'create', namespace: 'team-a', source: { file: 'namespaces/team-a/virtual-machines.yaml', line: 2 }, admission: { allowed: true } });
    expect(vm.admission.placement).toEqual({ host: expect.stringMatching(/^esx-0\d\.pacific\.local$/), datastore: 'vsanDatastore' });
    expect(vm.fields).toContainEqual({ path: 'spec.className', to: 'best-effort-small' });
  });

  it('exits 0 against the state of a daemon that applied the same manifests, by --state and by --server', () => {
    expect(runCli(['diff', 'sample-repo', '--state', state]).code).toBe(0);
    const server = runCli(['diff', 'sample-repo', '--server', daemon.url, '--token', adminToken()]);
    expect(server.code).toBe(0);
    expect(server.stdout).toContain('0 to create, 0 to update, 0 to delete, 25 unchanged.');
  });

  it('shows an edited working tree as field changes with admission, before any push', () => {
    const dir = copyOfSample('edited');
    powerOffWeb1(dir);
    writeFileSync(join(dir, 'namespaces/team-a/big.yaml'), vmYaml('team-a', 'big', { className: 'guaranteed-8xlarge' }));
    // Usage is 9 CPUs (web-1, web-2, db-1, three storefront pods): eleven 2-CPU VMs fit in 32, the twelfth does not.
    writeFileSync(join(dir, 'namespaces/team-a/wide.yaml'), [...'abcdefghijkl'].map((c) => vmYaml('team-a', `wide-${c}`, { className: 'best-effort-medium' })).join('---\n'));
    const { code, stdout } = runCli(['diff', dir, '--server', daemon.url, '--token', adminToken()]);
    expect(code).toBe(1);
    expect(stdout).toContain('~ VirtualMachine/team-a/web-1  (namespaces/team-a/virtual-machines.yaml:2)\n    spec.powerState: "PoweredOn" → "PoweredOff"');
    expect(stdout).toMatch(/\+ VirtualMachine\/team-a\/big[^\n]*\n(?:    [^\n]*\n)*    ✗ refused \(NotAllowedByPolicy\): VM class guaranteed-8xlarge is not bound to namespace team-a/);
    expect(stdout).toMatch(/\+ VirtualMachine\/team-a\/wide-l[^\n]*\n(?:    [^\n]*\n)*    ✗ refused \(QuotaExceeded\): exceeded quota: compute, requested: limits\.cpu=2, used: limits\.cpu=31, limited: limits\.cpu=32/);
    expect(stdout).toContain('13 to create, 1 to update, 0 to delete, 24 unchanged; 2 refused by admission.');
  });

  it('names a Secret key that changes and never its value, in text and in JSON', () => {
    const dir = copyOfSample('secret');
    writeFileSync(join(dir, 'namespaces/team-a/db-secret.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: team-a}\nstringData: {password: correct-horse-battery}\n');
    for (const output of ['text', 'json']) {
      const { code, stdout } = runCli(['diff', dir, '--server', daemon.url, '--token', adminToken(), '-o', output]);
      expect(code).toBe(1);
      expect(stdout).toContain('stringData.password');
      expect(stdout).toContain('***');
      expect(stdout).not.toContain('correct-horse-battery');
    }
  });

  it('says when the daemon would hold the plan under its prune bound, and not when the bound allows it', () => {
    const dir = copyOfSample('emptied');
    rmSync(join(dir, 'namespaces'), { recursive: true });
    const text = runCli(['diff', dir, '--state', state]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/\nHeld by the prune bound: this plan deletes \d+ of \d+ object\(s\) pacific created \(\d+%\), more than --max-prune 50% \(\w+\/team-[ab]\/[\w-]+, /);
    const json = JSON.parse(runCli(['diff', dir, '--server', daemon.url, '--token', adminToken(), '-o', 'json']).stdout) as { pruneHold?: { deletes: number; managed: number; limit: string } };
    expect(json.pruneHold).toMatchObject({ limit: '50%' });
    expect(json.pruneHold!.deletes).toBeGreaterThan(json.pruneHold!.managed / 2);
    const allowed = runCli(['diff', dir, '--state', state, '--max-prune', 'off']);
    expect(allowed.code).toBe(1);
    expect(allowed.stdout).not.toContain('Held by the prune bound');
    expect(runCli(['diff', dir, '--state', state, '--max-prune', 'most']).code).toBe(2);
  });

  it('diffs a Git revision with --ref', () => {
    const work = join(tmp.dir, 'clone');
    git(tmp.dir, 'clone', '-q', repo, work);
    const first = git(work, 'rev-parse', 'HEAD');
    writeFileSync(join(work, 'namespaces/team-b/extra.yaml'), vmYaml('team-b', 'agent-3', { className: 'build-agent' }));
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', 'agent-3');
    expect(runCli(['diff', work, '--ref', first, '--state', state]).code).toBe(0);
    const head = runCli(['diff', work, '--state', state]);
    expect(head.code).toBe(1);
    expect(head.stdout).toContain('+ VirtualMachine/team-b/agent-3');
  });

  it('diffs a clone as it is on disk, uncommitted and untracked edits included, and a commit with --ref', () => {
    const work = join(tmp.dir, 'clone-edited');
    git(tmp.dir, 'clone', '-q', repo, work);
    powerOffWeb1(work);
    writeFileSync(join(work, 'namespaces/team-b/untracked.yaml'), vmYaml('team-b', 'agent-9', { className: 'build-agent' }));
    // Git's own files are not manifests, even when one is named like one.
    writeFileSync(join(work, '.git/stray.yaml'), 'kind: [not a manifest\n');
    const onDisk = runCli(['diff', work, '--state', state]);
    expect(onDisk.code).toBe(1);
    expect(onDisk.stdout).toMatch(/^Plan for revision worktree-[0-9a-f]{12}$/m);
    expect(onDisk.stdout).toContain('~ VirtualMachine/team-a/web-1  (namespaces/team-a/virtual-machines.yaml:2)\n    spec.powerState: "PoweredOn" → "PoweredOff"');
    expect(onDisk.stdout).toContain('+ VirtualMachine/team-b/agent-9  (namespaces/team-b/untracked.yaml:1)');
    const committed = runCli(['diff', work, '--ref', 'HEAD', '--state', state]);
    expect(committed.code).toBe(0);
    expect(committed.stdout).toContain(`Plan for revision ${git(work, 'rev-parse', 'HEAD')}`);
    // An invalid file on disk is reported as in a plain directory: path from the clone's root, line and column.
    writeFileSync(join(work, 'namespaces/team-b/bad.yaml'), vmYaml('team-b', 'bad').replace('className', 'classname'));
    const invalid = runCli(['diff', work]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('namespaces/team-b/bad.yaml:7:3: VirtualMachine/team-b/bad: spec.classname: unknown field "classname"');
  });

  it('diffs a bare repository at the branch its HEAD names, or at --branch', () => {
    const bare = join(tmp.dir, 'next.git');
    const work = join(tmp.dir, 'clone-next');
    git(tmp.dir, 'clone', '-q', '--bare', repo, bare);
    git(tmp.dir, 'clone', '-q', bare, work);
    git(work, 'checkout', '-q', '-b', 'next');
    writeFileSync(join(work, 'namespaces/team-b/next.yaml'), vmYaml('team-b', 'agent-4', { className: 'build-agent' }));
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', 'agent-4');
    git(work, 'push', '-q', 'origin', 'next');
    git(bare, 'symbolic-ref', 'HEAD', 'refs/heads/next');
    const head = runCli(['diff', bare, '--state', state]);
    expect(head.code).toBe(1);
    expect(head.stdout).toContain(`Plan for revision ${git(bare, 'rev-parse', 'next')}`);
    expect(head.stdout).toContain('+ VirtualMachine/team-b/agent-4');
    expect(runCli(['diff', bare, '--branch', 'main', '--state', state]).code).toBe(0);
    // A HEAD naming a branch never pushed (`git init --bare` says master): main, the daemon's default.
    git(bare, 'symbolic-ref', 'HEAD', 'refs/heads/master');
    expect(runCli(['diff', bare, '--state', state]).code).toBe(0);
  });

  it('exits 2 on invalid manifests, naming file, line and field, and on usage errors', () => {
    const dir = copyOfSample('invalid');
    writeFileSync(join(dir, 'namespaces/team-a/bad.yaml'), vmYaml('team-a', 'bad').replace('  powerState', '  powerstate').replace('storageClass: vsan-default-storage-policy', 'storageClass: vsan-default-storage-policy\n  powerState: Running'));
    const invalid = runCli(['diff', dir]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('namespaces/team-a/bad.yaml:10:3: VirtualMachine/team-a/bad: spec.powerState: must be one of "PoweredOff", "PoweredOn", "Suspended"; got string "Running"');
    expect(runCli(['diff', join(tmp.dir, 'missing')]).code).toBe(2);
    expect(runCli(['diff', 'sample-repo', '--state', state, '--server', daemon.url, '--token', adminToken()]).code).toBe(2);
    expect(runCli(['diff', 'sample-repo', '--state', join(tmp.dir, 'no-state')]).code).toBe(2);
    expect(runCli(['diff', 'sample-repo', '--bogus']).code).toBe(2);
  });
});

/** `-o diff` as the tests run it: neither the user's external diff program nor NO_COLOR. */
const plainDiff = { KUBECTL_EXTERNAL_DIFF: '', NO_COLOR: '' };

/** A KUBECTL_EXTERNAL_DIFF program that keeps copies of the two directories it is given, prints its arguments, and exits $EXIT_WITH. */
function capturingDiff(name: string): { program: string; capture: string } {
  const capture = join(tmp.dir, `${name}-capture`);
  const program = join(tmp.dir, `${name}.sh`);
  writeFileSync(program, '#!/bin/sh\ncp -R "$1" "$CAPTURE/live" && cp -R "$2" "$CAPTURE/merged" || exit 9\necho "args: $*"\nexit "${EXIT_WITH:-1}"\n');
  chmodSync(program, 0o755);
  return { program, capture };
}

describe('pacific diff -o diff', () => {
  const long = `https://wiki.example.com/${'runbooks/'.repeat(30)}team-a`;

  function editedCopy(name: string): string {
    const dir = copyOfSample(name);
    powerOffWeb1(dir);
    writeFileSync(join(dir, 'namespaces/team-a/settings.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: team-a\n  annotations:\n    runbook: ${long}\ndata:\n  mode: fast\n`);
    return dir;
  }

  it('prints a unified YAML diff per changed object under a Kind/namespace/name header, values whole, and exits 1', () => {
    const { code, stdout } = runCli(['diff', editedCopy('unified'), '--state', state, '-o', 'diff'], undefined, plainDiff);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /^diff -u -N live\/VirtualMachine\/team-a\/web-1 desired\/VirtualMachine\/team-a\/web-1\n--- live\/VirtualMachine\/team-a\/web-1\n\+\+\+ desired\/VirtualMachine\/team-a\/web-1\n@@ -\d+,7 \+\d+,7 @@\n(?: [^\n]*\n){3}-  powerState: PoweredOn\n\+  powerState: PoweredOff\n(?: [^\n]*\n){3}/m,
    );
    expect(stdout).toContain('--- live/ConfigMap/team-a/settings\n+++ desired/ConfigMap/team-a/settings\n@@ -0,0 +1,9 @@\n+apiVersion: v1\n+data:\n+  mode: fast\n');
    expect(stdout).toContain(`+    runbook: ${long}\n`);
    expect(stdout).not.toContain('\x1b[');
    const none = runCli(['diff', 'sample-repo', '--state', state, '-o', 'diff'], undefined, plainDiff);
    expect(none).toMatchObject({ code: 0, stdout: '' });
  });

  it('colours the diff on a terminal, and not with NO_COLOR', () => {
    const dir = editedCopy('colour');
    // script(1) gives the CLI a terminal for its stdout.
    const onTerminal = (noColor: string) =>
      spawnSync('script', ['-qec', `'${process.execPath}' '${CLI}' diff '${dir}' --state '${state}' -o diff`, '/dev/null'], { encoding: 'utf8', env: { ...process.env, KUBECTL_EXTERNAL_DIFF: '', NO_COLOR: noColor } });
    const coloured = onTerminal('');
    expect(coloured.status).toBe(1);
    expect(coloured.stdout).toContain('\x1b[31m-  powerState: PoweredOn\x1b[0m');
    expect(coloured.stdout).toContain('\x1b[32m+  powerState: PoweredOff\x1b[0m');
    expect(coloured.stdout).toMatch(/\x1b\[36m@@ -\d+,7 \+\d+,7 @@\x1b\[0m/);
    const plain = onTerminal('1');
    expect(plain.status).toBe(1);
    expect(plain.stdout).toContain('+  powerState: PoweredOff');
    expect(plain.stdout).not.toContain('\x1b[');
  });

  it('shows its stages on a terminal, rewritten in place and cleared before the result, and nothing when piped', () => {
    const dir = editedCopy('progress');
    // script(1) gives the CLI a terminal for stdout and stderr alike: the progress lands before the text.
    const onTerminal = spawnSync('script', ['-qec', `'${process.execPath}' '${CLI}' diff '${dir}' --state '${state}'`, '/dev/null'], { encoding: 'utf8', env: { ...process.env, KUBECTL_EXTERNAL_DIFF: '', NO_COLOR: '1' } });
    expect(onTerminal.status).toBe(1);
    const before = onTerminal.stdout.slice(0, onTerminal.stdout.indexOf('Plan for revision'));
    for (const stage of [`diff: reading and validating ${dir}…`, 'diff: planning ', 'diff: writing ']) expect(before).toContain(stage);
    // Each stage overwrites the last, and the line is blank again before the plan.
    expect(before).toMatch(/\r +\r$/);
    expect(before).not.toContain('\n');
    const piped = runCli(['diff', dir, '--state', state], undefined, plainDiff);
    expect(piped.code).toBe(1);
    expect(piped.stderr).toBe('');
  });

  it('runs KUBECTL_EXTERNAL_DIFF on LIVE and MERGED dirs of kubectl-named files, passing its exit 0 or 1 through and failing (2) otherwise', () => {
    const dir = editedCopy('external');
    const args = ['diff', dir, '--state', state, '-o', 'diff'];
    const real = runCli(args, undefined, { KUBECTL_EXTERNAL_DIFF: 'diff -u -N' });
    expect(real.code).toBe(1);
    expect(real.stdout).toMatch(/^\+\+\+ \S*\/MERGED-\w+\/vmoperator\.vmware\.com\.v1alpha3\.VirtualMachine\.team-a\.web-1\t/m);
    expect(real.stdout).toContain('-  powerState: PoweredOn\n+  powerState: PoweredOff\n');
    const { program, capture } = capturingDiff('external');
    mkdirSync(capture);
    const same = runCli(args, undefined, { KUBECTL_EXTERNAL_DIFF: `${program} --color=always $(rm) -N`, CAPTURE: capture, EXIT_WITH: '0' });
    expect(same.code).toBe(0);
    expect(same.stderr).toContain('KUBECTL_EXTERNAL_DIFF argument "$(rm)" is ignored');
    const [live, merged] = same.stdout.match(/^args: (\S+) (\S+) --color=always -N$/m)!.slice(1);
    expect([live, merged].map((d) => d!.split('/').at(-1))).toEqual([expect.stringMatching(/^LIVE-/), expect.stringMatching(/^MERGED-/)]);
    expect(existsSync(live!) || existsSync(merged!)).toBe(false);
    const names = ['v1.ConfigMap.team-a.settings', 'vmoperator.vmware.com.v1alpha3.VirtualMachine.team-a.web-1'];
    expect(readdirSync(join(capture, 'live')).sort()).toEqual(names);
    expect(readdirSync(join(capture, 'merged')).sort()).toEqual(names);
    expect(readFileSync(join(capture, 'live', names[0]!), 'utf8')).toBe('');
    expect(readFileSync(join(capture, 'merged', names[1]!), 'utf8')).toContain('  powerState: PoweredOff\n');
    rmSync(capture, { recursive: true });
    mkdirSync(capture);
    const failed = runCli(args, undefined, { KUBECTL_EXTERNAL_DIFF: program, CAPTURE: capture, EXIT_WITH: '3' });
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain(`failed to run ${JSON.stringify(program)}: exit status 3`);
    expect(runCli(args, undefined, { KUBECTL_EXTERNAL_DIFF: join(tmp.dir, 'no-such-diff') }).code).toBe(2);
  });

  it('never shows a Secret value: not in text, JSON or diff output, nor in what KUBECTL_EXTERNAL_DIFF receives', async () => {
    const planted = ['planted-password-1', 'planted-password-2', 'planted-token-1', 'planted-user'];
    const base64 = (v: string) => Buffer.from(v).toString('base64');
    const secret = (password: string, token: string) =>
      `apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: team-s}\ntype: Opaque\nstringData: {password: ${password}, user: ${planted[3]}}\ndata: {token: ${base64(token)}}\n`;
    const dir = join(tmp.dir, 'secrets');
    const bare = initRepoFrom(dir, { 'ns.yaml': namespaceYaml('team-s'), 'db.yaml': secret(planted[0]!, planted[2]!) });
    const secretState = join(dir, 'state');
    const secretDaemon = await startDaemonProcess(['--repo', bare, '--state', secretState, '--resync', '1h', '--no-tenancy']);
    try {
      await waitFor(async () => ((await getJson<{ lastAppliedRevision: string | null }>(`${secretDaemon.url}/status`)).body.lastAppliedRevision ? true : undefined), 'the Secret applied');
      const work = join(dir, 'work');
      git(dir, 'clone', '-q', bare, work);
      writeFileSync(join(work, 'db.yaml'), secret(planted[1]!, planted[2]!));
      const args = ['diff', work, '--state', secretState, '--no-tenancy'];
      const text = runCli(args, undefined, plainDiff);
      const json = runCli([...args, '-o', 'json'], undefined, plainDiff);
      const diff = runCli([...args, '-o', 'diff'], undefined, plainDiff);
      const { program, capture } = capturingDiff('secrets');
      mkdirSync(capture);
      const external = runCli([...args, '-o', 'diff'], undefined, { KUBECTL_EXTERNAL_DIFF: program, CAPTURE: capture });
      for (const run of [text, json, diff, external]) expect(run.code).toBe(1);
      // Hashed under the salt the daemon made in its store: a second diff, and anyone with the store, get the same.
      const reader = SqliteStore.openReadOnly(secretState);
      const salt = reader.meta(SECRET_SALT_META);
      reader.close();
      expect(salt).toMatch(/^[0-9a-f]{64}$/);
      const h = secretHasher(salt!);
      expect(diff.stdout).toContain(`-  password: '*** (changed, ${h('stringData', planted[0]!)})'\n+  password: '*** (changed, ${h('stringData', planted[1]!)})'\n`);
      expect(diff.stdout).toContain(`  user: '*** (unchanged, ${h('stringData', planted[3]!)})'\n`);
      expect(runCli([...args, '-o', 'diff'], undefined, plainDiff).stdout).toBe(diff.stdout);
      const received = ['live', 'merged'].map((side) => readFileSync(join(capture, side, 'v1.Secret.team-s.db'), 'utf8'));
      expect(received[0]).toContain(`password: '*** (changed, ${h('stringData', planted[0]!)})'`);
      expect(received[1]).toContain(`password: '*** (changed, ${h('stringData', planted[1]!)})'`);
      expect(text.stdout).toContain(`stringData.password: "*** (changed, ${h('stringData', planted[0]!)})" → "*** (changed, ${h('stringData', planted[1]!)})"`);
      const everything = [text, json, diff, external].flatMap((r) => [r.stdout, r.stderr]).concat(received, secretDaemon.logs).join('\n');
      for (const value of planted) {
        expect(everything).not.toContain(value);
        expect(everything).not.toContain(base64(value));
      }
    } finally {
      await stopDaemonProcess(secretDaemon);
    }
  });
});

describe('pacific validate', () => {
  it('exits 0 for the sample repo', () => {
    const { code, stderr } = runCli(['validate', 'sample-repo']);
    expect(code).toBe(0);
    expect(stderr).toContain('20 object(s) in 7 file(s) are valid');
  });

  it('exits 1 with one line per problem as file:line:column: Kind/namespace/name: field.path: message', () => {
    const dir = copyOfSample('problems');
    writeFileSync(join(dir, 'namespaces/team-a/dup.yaml'), vmYaml('team-a', 'web-1'));
    writeFileSync(join(dir, 'namespaces/team-a/typo.yaml'), vmYaml('team-a', 'typo').replace('className', 'classname'));
    writeFileSync(join(dir, 'namespaces/team-a/syntax.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: [oops\n');
    const { code, stdout } = runCli(['validate', dir]);
    expect(code).toBe(1);
    expect(stdout.trim().split('\n')).toEqual([
      'namespaces/team-a/dup.yaml:1:1: VirtualMachine/team-a/web-1: metadata.name: the same object is declared 2 times: namespaces/team-a/dup.yaml:1, namespaces/team-a/virtual-machines.yaml:2',
      'namespaces/team-a/syntax.yaml:5:1: -: -: YAML syntax error: unexpected end of the stream within a flow collection',
      'namespaces/team-a/typo.yaml:7:3: VirtualMachine/team-a/typo: spec.classname: unknown field "classname"',
      'namespaces/team-a/virtual-machines.yaml:2:1: VirtualMachine/team-a/web-1: metadata.name: the same object is declared 2 times: namespaces/team-a/dup.yaml:1, namespaces/team-a/virtual-machines.yaml:2',
    ]);
  });

  it('takes manifest limits with --limit, and refuses a limit it does not know', () => {
    const small = runCli(['validate', 'sample-repo', '--limit', 'file=200', '--limit', 'depth=32']);
    expect(small.code).toBe(1);
    expect(small.stdout).toMatch(/^namespaces\/team-a\/storage\.yaml:1:1: -: -: file is \d+ bytes; the limit is 200 \(maxFileBytes\): not read$/m);
    expect(runCli(['validate', 'sample-repo', '--limit', 'file=1Mi']).code).toBe(0);
    expect(runCli(['validate', 'sample-repo', '--limit', 'size=1Mi']).stderr).toContain('--limit size=1Mi: expected <name>=<value>, name one of file, document, depth, nodes, chars, diagnostics');
    expect(runCli(['validate', 'sample-repo', '--limit', 'depth=0']).code).toBe(2);
  });

  it('exits 2 on usage errors', () => {
    expect(runCli(['validate', join(tmp.dir, 'missing')]).code).toBe(2);
    expect(runCli(['validate', repo, '--ref', 'no-such-ref']).code).toBe(2);
    expect(runCli(['validate']).code).toBe(2);
  });
});
