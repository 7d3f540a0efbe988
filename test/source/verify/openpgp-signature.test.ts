/**
 * OpenPGP-signed commits: keys made by the real gpg, commits signed by the real `git commit -S`,
 * and `git verify-commit` against a keyring holding exactly the rule file's keys as the oracle —
 * a good signature, a key not in the file, a tampered commit, a key expired or revoked since, an
 * unsigned commit — then the path rules naming the commit, the path and why, SSH and OpenPGP keys
 * held by one signer, the time of one verify (printed, not asserted), and the real daemon refusing
 * a platform commit signed by a key not in the file.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommitVerifier } from '../../../daemon/source/verify/commit-verifier.js';
import { verifyOpenPgpSignature } from '../../../daemon/source/verify/openpgp-signature.js';
import { loadVerifyRules, type VerifyRules } from '../../../daemon/source/verify/rules.js';
import { splitSignedCommit } from '../../../daemon/source/verify/ssh-signature.js';
import { packageRoot } from '../../../daemon/base/paths.js';
import { getJson, startDaemonProcess, stopDaemonProcess, waitFor, type DaemonProcess } from '../../support/daemon-process.js';
import { GpgHome, hasGpg } from '../../support/gpg.js';
import { git, gitWithInput, writeFiles } from '../../support/git.js';
import { removeTempDirs, tempDir } from '../../support/temp.js';

if (!hasGpg) console.warn('gpg is not installed: the OpenPGP signed-commit tests are skipped');

let signing: GpgHome; // every key the test makes, secret halves included
let oracle: GpgHome; // only the public keys the rule file names
let work: string;
let dir: string;
let rules: VerifyRules;
/** The VI admin's baseline, and releases signed by keys that have expired or been revoked since. */
const made = { baseline: '', expired: '', revoked: '' };
const fpr: Record<'admin' | 'teamA' | 'stranger' | 'expired' | 'revoked', string> = { admin: '', teamA: '', stranger: '', expired: '', revoked: '' };
const LONG_AGO = '20200101T120000';

/** Commits everything, signed with OpenPGP by `key` (or with team-a's SSH key, or unsigned); `program` signs at another time. */
function commit(message: string, key?: string, program = 'gpg'): string {
  git(work, 'add', '-A');
  const sign = key === 'ssh' ? ['-c', 'gpg.format=ssh', '-c', `user.signingkey=${join(dir, 'team-a-ssh')}`] : key ? ['-c', `gpg.program=${program}`, '-c', `user.signingkey=${key}`] : [];
  execFileSync('git', ['-c', 'user.name=pacific-test', '-c', 'user.email=test@pacific.dev', '-c', 'commit.gpgsign=false', ...sign, 'commit', '-q', '--allow-empty', ...(key ? ['-S'] : []), '-m', message], { cwd: work, env: { ...signing.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' }, stdio: 'ignore' });
  return git(work, 'rev-parse', 'HEAD');
}

/** git's own verdict, against the rule file's keys only. */
function gitSays(commit: string): boolean {
  const args = ['-C', work, '-c', `gpg.ssh.allowedSignersFile=${join(dir, 'allowed_signers')}`, 'verify-commit', commit];
  try {
    execFileSync('git', args, { env: { ...oracle.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' }, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  if (!hasGpg) return;
  signing = new GpgHome();
  oracle = new GpgHome();
  dir = tempDir('pacific-openpgp-').dir;
  fpr.admin = signing.generateKey('VI Admin <admin@example.com>');
  fpr.teamA = signing.generateKey('Team A <a@example.com>');
  // Team A signs with a subkey, as keys kept on a token do; the rule file holds the whole key.
  signing.gpg(['--passphrase', '', '--quick-add-key', fpr.teamA, 'ed25519', 'sign']);
  fpr.stranger = signing.generateKey('Mallory <m@example.com>');
  fpr.expired = signing.generateKey('Old Release <old@example.com>', '1d', LONG_AGO.replace('T12', 'T00'));
  fpr.revoked = signing.generateKey('Departed <gone@example.com>');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'team-a', '-f', join(dir, 'team-a-ssh')]);
  writeFileSync(join(dir, 'allowed_signers'), `team-a@pacific ${readFileSync(join(dir, 'team-a-ssh.pub'), 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
  work = tempDir('pacific-pgp-signed-').dir;
  git(work, 'init', '-q');
  cpSync(join(packageRoot, 'sample-repo'), work, { recursive: true });
  made.baseline = commit('VI admin baseline', fpr.admin);
  // Both releases are signed while their keys are good; the expiry and the revocation come after.
  writeFiles(work, { 'releases/old.yaml': '# 2020\n' });
  made.expired = commit('release made long ago', fpr.expired, signing.signerAt(LONG_AGO));
  writeFiles(work, { 'releases/last.yaml': '# before leaving\n' });
  made.revoked = commit('release by someone who has left', fpr.revoked);
  signing.revoke(fpr.revoked);
  // The rule file is written now: the departed's key as published with its revocation.
  const published = { admin: signing.exportKey(fpr.admin), teamA: signing.exportKey(fpr.teamA), expired: signing.exportKey(fpr.expired), revoked: signing.exportKey(fpr.revoked) };
  writeFileSync(join(dir, 'team-a.asc'), published.teamA);
  writeFileSync(join(dir, 'releases.asc'), published.expired);
  const indent = (text: string) => text.trim().split('\n').map((l) => `      ${l}`).join('\n');
  writeFileSync(
    join(dir, 'verify.yaml'),
    [
      'signers:',
      '  - name: vi-admin',
      '    openpgp: |',
      indent(published.admin),
      '  - name: team-a',
      '    openpgpKeyFile: team-a.asc',
      '    sshKeyFile: team-a-ssh.pub',
      '  - name: releases',
      '    openpgpKeyFile: releases.asc',
      '    openpgp: |',
      indent(published.revoked),
      'rules:',
      '  - path: platform/**',
      '    signers: [vi-admin]',
      '  - path: namespaces/team-a/**',
      '    signers: [vi-admin, team-a]',
      '  - path: releases/**',
      '    signers: [releases]',
      '',
    ].join('\n'),
  );
  rules = await loadVerifyRules(join(dir, 'verify.yaml'));
  // The oracle's keyring holds what the rule file holds, revocation included.
  for (const armored of Object.values(published)) oracle.importKeys(armored);
});

afterAll(() => {
  signing?.close();
  oracle?.close();
  removeTempDirs();
});

/** pacific's verdict on one commit's signature against every OpenPGP key of the rule file. */
async function pacificVerdict(commit: string) {
  const { signature, payload } = splitSignedCommit(git(work, 'cat-file', 'commit', commit) + '\n');
  if (!signature) return { ok: false as const, why: 'the commit is not signed' };
  return verifyOpenPgpSignature(signature, payload, rules.signers.flatMap((s) => s.openpgp));
}

describe.skipIf(!hasGpg)('OpenPGP commit signatures', () => {
  it('agree with git verify-commit: good, unknown key, tampered, expired and revoked keys, unsigned', async () => {
    const { baseline: good, expired, revoked } = made;
    const team = commit('by team-a', fpr.teamA);
    const stranger = commit('by a stranger', fpr.stranger);
    const unsigned = commit('unsigned');
    // The admin's signed commit with another message: the same signature over other bytes.
    const raw = git(work, 'cat-file', 'commit', good).replace('VI admin baseline', 'VI admin baseline, and a backdoor');
    const tampered = gitWithInput(work, raw + '\n', 'hash-object', '-t', 'commit', '-w', '--stdin');
    const commits = [good, team, stranger, tampered, expired, revoked, unsigned];
    const verdicts = await Promise.all(commits.map(pacificVerdict));
    expect(verdicts.map((v) => v.ok)).toEqual(commits.map(gitSays));
    expect(verdicts.map((v) => v.ok)).toEqual([true, true, false, false, false, false, false]);
    expect(verdicts.slice(0, 2)).toEqual([
      { ok: true, fingerprint: fpr.admin },
      { ok: true, fingerprint: fpr.teamA },
    ]);
    // git's signing key (%GF) of team-a's commit is the subkey, its primary key (%GP) the one in the file.
    const [signedWith, primary] = execFileSync('git', ['-C', work, 'log', '-1', '--format=%GF %GP', team], { env: oracle.env, encoding: 'utf8' }).trim().split(' ');
    expect(signedWith).toMatch(/^[0-9A-F]{40}$/);
    expect([signedWith === fpr.teamA, primary]).toEqual([false, fpr.teamA]);
    expect(verdicts.slice(2).map((v) => (v.ok ? '' : v.why))).toEqual([
      `signed by an unknown OpenPGP key (fingerprint ${fpr.stranger})`,
      'the signature does not match the commit',
      expect.stringMatching(new RegExp(`^OpenPGP key ${fpr.expired}: .*expired`, 'i')),
      expect.stringMatching(new RegExp(`^OpenPGP key ${fpr.revoked}: .*revoked`, 'i')),
      'the commit is not signed',
    ]);
    git(work, 'reset', '-q', '--hard', revoked);
  });

  it('take one verify in a few milliseconds (median printed)', async () => {
    const { signature, payload } = splitSignedCommit(git(work, 'cat-file', 'commit', made.baseline) + '\n');
    const keys = rules.signers.flatMap((s) => s.openpgp);
    const times: number[] = [];
    for (let i = 0; i < 300; i++) {
      const start = performance.now();
      expect((await verifyOpenPgpSignature(signature!, payload, keys)).ok).toBe(true);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.floor(q * (times.length - 1))]!.toFixed(2);
    console.log(`one OpenPGP verify (ed25519, ${times.length} runs): median ${at(0.5)} ms, min ${at(0)} ms, p90 ${at(0.9)} ms, max ${at(1)} ms`);
  });
});

describe.skipIf(!hasGpg)('OpenPGP keys in the rule file', () => {
  it('refuse a secret key, a block that is no key and a signer without keys, naming the field', async () => {
    const file = join(dir, 'bad.yaml');
    const refusal = async (signer: string[]) => {
      writeFileSync(file, ['signers:', '  - name: team-a', ...signer, 'rules: []', ''].join('\n'));
      return loadVerifyRules(file).then(() => 'loaded', (error: Error) => error.message);
    };
    writeFileSync(join(dir, 'team-a.secret.asc'), signing.gpg(['--armor', '--export-secret-keys', fpr.teamA]));
    expect(await refusal(['    openpgpKeyFile: team-a.secret.asc'])).toBe(`--verify ${file}: signers[0].openpgpKeyFile: key ${fpr.teamA} is a secret key; give its public key (gpg --armor --export)`);
    expect(await refusal(['    openpgp: not a key'])).toMatch(new RegExp(`^--verify ${file}: signers\\[0\\]\\.openpgp: .+`));
    expect(await refusal([])).toBe(`--verify ${file}: signers[0]: needs ssh, sshKeyFile, openpgp or openpgpKeyFile`);
  });
});

describe.skipIf(!hasGpg)('path rules with OpenPGP signers', () => {
  it('name the commit, the path and why; a signer holding SSH and OpenPGP keys signs with either', async () => {
    const verifier = new CommitVerifier(join(work, '.git'), rules);
    const base = made.baseline;
    expect(await verifier.verify(undefined, base)).toEqual({ ok: true, commits: 1 });

    git(work, 'reset', '-q', '--hard', base);
    writeFiles(work, { 'namespaces/team-a/a.yaml': '# by openpgp\n' });
    const byPgp = commit('team-a, OpenPGP', fpr.teamA);
    writeFiles(work, { 'namespaces/team-a/b.yaml': '# by ssh\n' });
    const bySsh = commit('team-a, SSH', 'ssh');
    expect(await verifier.verify(base, bySsh)).toEqual({ ok: true, commits: 2 });
    expect([byPgp, bySsh].map(gitSays)).toEqual([true, true]);

    const edit = (note: string) => writeFiles(work, { 'platform/namespaces/team-a.yaml': readFileSync(join(work, 'platform/namespaces/team-a.yaml'), 'utf8') + `# ${note}\n` });
    edit('team-a reaches into platform');
    const reach = commit('team-a edits platform', fpr.teamA);
    expect(await verifier.verify(bySsh, reach)).toEqual({ ok: false, commit: reach, path: 'platform/namespaces/team-a.yaml', why: 'needs a signature by vi-admin (rule platform/**): signed by team-a' });

    git(work, 'reset', '-q', '--hard', bySsh);
    edit('a stranger');
    const stranger = commit('stranger edits platform', fpr.stranger);
    edit('the admin, later');
    const later = commit('admin edits platform', fpr.admin);
    // A later good signature does not launder the stranger's commit.
    expect(await verifier.verify(bySsh, later)).toEqual({
      ok: false,
      commit: stranger,
      path: 'platform/namespaces/team-a.yaml',
      why: `needs a signature by vi-admin (rule platform/**): signed by an unknown OpenPGP key (fingerprint ${fpr.stranger})`,
    });
    expect(await verifier.verify(stranger, later)).toEqual({ ok: true, commits: 1 });

    // Keys that were good when they signed, expired or revoked since: refused, as git refuses them.
    expect(await verifier.verify(base, made.revoked)).toMatchObject({ ok: false, commit: made.expired, path: 'releases/old.yaml', why: expect.stringMatching(new RegExp(`^needs a signature by releases \\(rule releases/\\*\\*\\): OpenPGP key ${fpr.expired}: .*expired`, 'i')) });
    expect(await verifier.verify(made.expired, made.revoked)).toMatchObject({ ok: false, commit: made.revoked, path: 'releases/last.yaml', why: expect.stringMatching(new RegExp(`^needs a signature by releases \\(rule releases/\\*\\*\\): OpenPGP key ${fpr.revoked}: .*revoked`, 'i')) });
  });
});

describe.skipIf(!hasGpg)('pacific serve --verify with OpenPGP signers', () => {
  let daemon: DaemonProcess | undefined;
  afterAll(async () => {
    if (daemon) await stopDaemonProcess(daemon);
  });

  it('refuses a platform commit signed by a key not in the file and keeps the last good revision', async () => {
    git(work, 'reset', '-q', '--hard', made.baseline);
    const bare = join(dir, 'gitops.git');
    git(dir, 'clone', '-q', '--bare', work, bare);
    daemon = await startDaemonProcess(['--repo', bare, '--state', join(dir, 'state'), '--resync', '1h', '--verify', join(dir, 'verify.yaml')]);
    type Status = { lastAppliedRevision?: string; lastAttemptedRevision?: string; conditions: { type: string; status: string; reason: string; message: string }[] };
    const status = async () => (await getJson<Status>(`${daemon!.url}/status`)).body;
    const push = () => git(work, 'push', '-q', '--force', bare, 'HEAD:refs/heads/main');
    await waitFor(async () => ((await status()).lastAppliedRevision === made.baseline ? true : undefined), 'the admin-signed baseline applied');

    writeFiles(work, { 'namespaces/team-a/note.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: note\n  namespace: team-a\ndata:\n  by: team-a\n' });
    const team = commit('team-a note', fpr.teamA);
    push();
    await waitFor(async () => ((await status()).lastAppliedRevision === team ? true : undefined), 'the team-signed commit applied');

    writeFiles(work, { 'platform/namespaces/team-a.yaml': readFileSync(join(work, 'platform/namespaces/team-a.yaml'), 'utf8') + '# by a stranger\n' });
    const stranger = commit('stranger edits platform', fpr.stranger);
    push();
    const refused = await waitFor(async () => {
      const s = await status();
      return s.lastAttemptedRevision === stranger ? s : undefined;
    }, 'the stranger-signed commit attempted');
    expect(gitSays(stranger)).toBe(false);
    expect(refused.lastAppliedRevision).toBe(team);
    expect(refused.conditions.find((c) => c.type === 'SourceVerified')).toMatchObject({
      status: 'False',
      reason: 'VerificationError',
      message: expect.stringContaining(`commit ${stranger.slice(0, 12)} changes platform/namespaces/team-a.yaml, which needs a signature by vi-admin (rule platform/**): signed by an unknown OpenPGP key (fingerprint ${fpr.stranger})`),
    });
  });
});
