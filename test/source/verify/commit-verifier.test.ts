/**
 * Signed-commit verification: SSH signatures checked in-process against `git verify-commit` as the
 * oracle, path rules over every commit since the last applied one, and the real daemon refusing an
 * unsigned platform commit while a team-signed commit under its folder passes.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommitVerifier } from '../../../daemon/source/verify/commit-verifier.js';
import { loadVerifyRules } from '../../../daemon/source/verify/rules.js';
import { splitSignedCommit, verifySshSignature } from '../../../daemon/source/verify/ssh-signature.js';
import { packageRoot } from '../../../daemon/base/paths.js';
import { getJson, startDaemonProcess, stopDaemonProcess, waitFor, type DaemonProcess } from '../../support/daemon-process.js';
import { git, writeFiles } from '../../support/git.js';
import { removeTempDirs, tempDir } from '../../support/temp.js';

let keys: string;
let work: string;
let rulesFile: string;
const key = (name: string) => join(keys, name);

function keygen(name: string, ...type: string[]): void {
  execFileSync('ssh-keygen', ['-q', ...type, '-N', '', '-C', name, '-f', key(name)]);
}

/** Commits everything, signed by `signer`'s key (or unsigned). */
function commit(message: string, signer?: string): string {
  git(work, 'add', '-A');
  const sign = signer ? ['-c', 'gpg.format=ssh', '-c', `user.signingkey=${key(signer)}`] : [];
  git(work, ...sign, 'commit', '-q', '--allow-empty', ...(signer ? ['-S'] : []), '-m', message);
  return git(work, 'rev-parse', 'HEAD');
}

beforeAll(() => {
  keys = tempDir('pacific-keys-').dir;
  keygen('admin', '-t', 'ed25519');
  keygen('team-a', '-t', 'ecdsa', '-b', '256');
  keygen('rsa', '-t', 'rsa', '-b', '2048');
  keygen('stranger', '-t', 'ed25519');
  rulesFile = join(keys, 'verify.yaml');
  writeFileSync(
    rulesFile,
    ['signers:', '  - name: vi-admin', '    sshKeyFile: admin.pub', '  - name: team-a', '    sshKeyFile: team-a.pub', '  - name: releases', '    sshKeyFile: rsa.pub', 'rules:', '  - path: platform/**', '    signers: [vi-admin]', '  - path: namespaces/team-a/**', '    signers: [vi-admin, team-a]', ''].join('\n'),
  );
  writeFileSync(join(keys, 'allowed_signers'), ['admin', 'team-a', 'rsa', 'stranger'].map((n) => `${n}@pacific ${readFileSync(key(`${n}.pub`), 'utf8').trim().split(' ').slice(0, 2).join(' ')}`).join('\n') + '\n');
  work = tempDir('pacific-signed-').dir;
  git(work, 'init', '-q');
  cpSync(join(packageRoot, 'sample-repo'), work, { recursive: true });
});

afterAll(() => removeTempDirs());

/** git's own verdict on a commit's signature against every key the test made. */
function gitVerdict(commit: string): boolean {
  try {
    execFileSync('git', ['-C', work, '-c', `gpg.ssh.allowedSignersFile=${join(keys, 'allowed_signers')}`, 'verify-commit', commit], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('SSH commit signatures', () => {
  it('agree with git verify-commit for ed25519, ECDSA and RSA keys, unsigned and tampered commits', () => {
    const commits = [commit('by admin', 'admin'), commit('by team-a', 'team-a'), commit('by rsa', 'rsa'), commit('unsigned')];
    for (const c of commits) {
      const { signature, payload } = splitSignedCommit(git(work, 'cat-file', 'commit', c) + '\n');
      const ours = signature ? verifySshSignature(signature, payload).ok : false;
      expect(ours, c).toBe(gitVerdict(c));
    }
    expect(commits.map(gitVerdict)).toEqual([true, true, true, false]);
    // The same signature over another payload fails.
    const { signature, payload } = splitSignedCommit(git(work, 'cat-file', 'commit', commits[0]!) + '\n');
    expect(verifySshSignature(signature!, Buffer.from(payload.toString().replace('by admin', 'by mallory')))).toEqual({ ok: false, why: 'the signature does not match the commit' });
  });
});

describe('path rules over a range of commits', () => {
  it('pass signed changes, name the first commit that breaks a rule, and check a first revision as a whole', async () => {
    const verifier = new CommitVerifier(join(work, '.git'), await loadVerifyRules(rulesFile));
    const base = commit('platform baseline', 'admin');
    expect(await verifier.verify(undefined, base)).toMatchObject({ ok: true });

    writeFiles(work, { 'namespaces/team-a/extra.yaml': '# team change\n' });
    const team = commit('team-a change', 'team-a');
    expect(await verifier.verify(base, team)).toEqual({ ok: true, commits: 1 });

    writeFiles(work, { 'platform/namespaces/team-a.yaml': readFileSync(join(work, 'platform/namespaces/team-a.yaml'), 'utf8') + '# edited\n' });
    const unsigned = commit('unsigned platform change');
    writeFiles(work, { 'namespaces/team-a/extra.yaml': '# team change 2\n' });
    const later = commit('later team change', 'team-a');
    const refused = await verifier.verify(team, later);
    expect(refused).toEqual({ ok: false, commit: unsigned, path: 'platform/namespaces/team-a.yaml', why: 'needs a signature by vi-admin (rule platform/**): the commit is not signed' });
    // A first revision is vouched for by its head commit as a whole.
    expect(await verifier.verify(undefined, later)).toMatchObject({ ok: false, commit: later, path: 'platform/namespaces/team-a.yaml', why: expect.stringContaining('signed by team-a') });

    git(work, 'reset', '-q', '--hard', team);
    writeFiles(work, { 'platform/namespaces/team-a.yaml': readFileSync(join(work, 'platform/namespaces/team-a.yaml'), 'utf8') + '# by a stranger\n' });
    const stranger = commit('stranger', 'stranger');
    expect(await verifier.verify(team, stranger)).toMatchObject({ ok: false, why: expect.stringMatching(/signed by an unknown key \(SHA256:/) });
    git(work, 'reset', '-q', '--hard', team);
  });
});

describe('pacific serve --verify', () => {
  let daemon: DaemonProcess | undefined;
  afterAll(async () => {
    if (daemon) await stopDaemonProcess(daemon);
  });

  it('refuses an unsigned commit under platform/ and keeps the last good revision; a team-signed commit under its folder passes', async () => {
    const dir = tempDir('pacific-verify-e2e-').dir;
    const bare = join(dir, 'gitops.git');
    // A first revision is checked as a whole, by its head commit: the VI admin's.
    commit('baseline the daemon starts from', 'admin');
    git(dir, 'clone', '-q', '--bare', work, bare);
    daemon = await startDaemonProcess(['--repo', bare, '--state', join(dir, 'state'), '--resync', '1h', '--verify', rulesFile]);
    type Status = { lastAppliedRevision?: string; lastAttemptedRevision?: string; conditions: { type: string; status: string; reason: string; message: string }[] };
    const status = async () => (await getJson<Status>(`${daemon!.url}/status`)).body;
    const pushed = () => {
      git(work, 'push', '-q', '--force', bare, 'HEAD:refs/heads/main');
      return git(work, 'rev-parse', 'HEAD');
    };
    const start = git(work, 'rev-parse', 'HEAD');
    await waitFor(async () => ((await status()).lastAppliedRevision === start ? true : undefined), 'the signed head applied');
    expect((await status()).conditions.find((c) => c.type === 'SourceVerified')).toMatchObject({ status: 'True' });

    writeFiles(work, { 'namespaces/team-a/note.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: note\n  namespace: team-a\ndata:\n  by: team-a\n' });
    commit('team-a note', 'team-a');
    const team = pushed();
    await waitFor(async () => ((await status()).lastAppliedRevision === team ? true : undefined), 'the team-signed commit applied');

    writeFiles(work, { 'platform/namespaces/team-a.yaml': readFileSync(join(work, 'platform/namespaces/team-a.yaml'), 'utf8') + '# unsigned edit\n' });
    const unsigned = commit('unsigned platform edit');
    pushed();
    const refused = await waitFor(async () => {
      const s = await status();
      return s.lastAttemptedRevision === unsigned ? s : undefined;
    }, 'the unsigned commit attempted');
    expect(refused.lastAppliedRevision).toBe(team);
    expect(refused.conditions.find((c) => c.type === 'SourceVerified')).toMatchObject({ status: 'False', reason: 'VerificationError', message: expect.stringContaining(`commit ${unsigned.slice(0, 12)} changes platform/namespaces/team-a.yaml, which needs a signature by vi-admin`) });
    expect(refused.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'VerificationError' });

    // The platform team replaces the unsigned commit with a signed one: the range verifies again.
    git(work, 'reset', '-q', '--hard', team);
    writeFiles(work, { 'platform/namespaces/team-a.yaml': readFileSync(join(work, 'platform/namespaces/team-a.yaml'), 'utf8') + '# signed edit\n' });
    commit('signed platform edit', 'admin');
    const signed = pushed();
    await waitFor(async () => ((await status()).lastAppliedRevision === signed ? true : undefined), 'the admin-signed commit applied');
  });
});
