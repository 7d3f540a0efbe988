/** Remote sources against real servers on loopback: git http-backend behind HTTPS with basic auth, and OpenSSH. */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCredentials, type CredentialEntry } from '../../../daemon/source/remote/credentials.js';
import { RemoteGitSource } from '../../../daemon/source/remote/remote-source.js';
import type { GitRef } from '../../../daemon/source/remote/git-ref.js';
import { underPath } from '../../../daemon/source/sub-path.js';
import { makeTestCa, sshdMissing, startGitHttpServer, startSshd, type GitHttpServer, type TestCa, type TestSshd } from '../../support/git-servers.js';
import { commitAll, git, writeFiles } from '../../support/git.js';
import { removeTempDirs, tempDir } from '../../support/temp.js';

const PASSWORD = 's3cret-pässword';
const MAIN: GitRef = { kind: 'branch', name: 'main' };

let root: string;
let work: string;
let ca: TestCa;
let server: GitHttpServer;
let secrets: string;

/** A credentials file with `entries` (YAML written by hand), mode 0600. */
function credentialsFile(entries: string): string {
  const file = join(secrets, `credentials-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, `credentials:\n${entries}`, { mode: 0o600 });
  return file;
}

/** Basic auth with `password`, trusting the test CA unless `trustTestCa` is false. */
function https(password = PASSWORD, trustTestCa = true): CredentialEntry[] {
  const caFile = trustTestCa ? ca.caFile : undefined;
  writeFileSync(join(secrets, 'password'), `${password}\n`);
  return loadCredentials(credentialsFile(`  - url: ${server.url}/\n    username: pacific\n    passwordFile: password\n${caFile ? `    caFile: ${caFile}\n` : ''}`));
}

async function open(options: { url?: string; ref?: GitRef; credentials?: CredentialEntry[]; timeoutMs?: number; limits?: { bytes: number; objects: number } } = {}): Promise<RemoteGitSource> {
  return RemoteGitSource.open({ url: options.url ?? `${server.url}/gitops.git`, ref: options.ref ?? MAIN, mirrorsDir: tempDir('pacific-mirrors-').dir, credentials: options.credentials ?? https(), ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}), ...(options.limits ? { limits: options.limits } : {}) });
}

function push(files: Record<string, string>, message: string, ...extra: string[]): string {
  writeFiles(work, files);
  const commit = commitAll(work, message);
  git(work, 'push', '-q', ...extra, join(root, 'gitops.git'), 'HEAD:refs/heads/main');
  return commit;
}

beforeAll(async () => {
  root = tempDir('pacific-remote-').dir;
  secrets = tempDir('pacific-secrets-').dir;
  ca = makeTestCa(join(root, '..', `${root.split('/').pop()}-ca`));
  git(root, 'init', '-q', '--bare', 'gitops.git');
  work = tempDir('pacific-work-').dir;
  git(work, 'init', '-q');
  push({ 'namespaces/team-a/a.yaml': 'a: 1\n', 'platform/p.yaml': 'p: 1\n' }, 'first');
  server = await startGitHttpServer(root, { tls: ca, users: { pacific: PASSWORD } });
});

afterAll(async () => {
  await server.close();
  removeTempDirs();
});

describe('a remote repository over HTTPS with basic auth and a private CA', () => {
  it('is mirrored on the first fetch and followed by the next; one new commit fetches one commit', async () => {
    const source = await open();
    expect(await source.head()).toEqual({ state: 'empty-repository' });
    const first = await source.fetch();
    expect(first).toMatchObject({ ok: true, moved: true, commit: git(work, 'rev-parse', 'HEAD') });
    const head = await source.head();
    expect(head).toEqual({ state: 'commit', commit: git(work, 'rev-parse', 'HEAD') });
    expect((await source.files(git(work, 'rev-parse', 'HEAD'))).files.map((f) => f.path)).toEqual(['namespaces/team-a/a.yaml', 'platform/p.yaml']);

    const again = await source.fetch();
    expect(again).toMatchObject({ ok: true, moved: false });
    const before = git(work, 'rev-parse', 'HEAD');
    const next = push({ 'namespaces/team-a/a.yaml': 'a: 2\n' }, 'second');
    expect(await source.fetch()).toMatchObject({ ok: true, moved: true, commit: next });
    const changes = await source.changes(before, next);
    expect(changes?.changed.map((f) => f.path)).toEqual(['namespaces/team-a/a.yaml']);
    expect(new TextDecoder().decode(await source.read(changes!.changed[0]!))).toBe('a: 2\n');
    expect(await source.isAncestor(before, next)).toBe(true);
  });

  it('reads a sub-path of the repository as the manifest root', async () => {
    const remote = await open();
    await remote.fetch();
    const source = underPath(remote, './namespaces/');
    const { commit } = (await source.head()) as { commit: string };
    expect((await source.files(commit)).files.map((f) => f.path)).toEqual(['team-a/a.yaml']);
  });

  it('refuses a wrong password as AuthenticationFailed, keeps the last fetched commit, and never shows the password', async () => {
    const source = await open();
    await source.fetch();
    const good = git(work, 'rev-parse', 'HEAD');
    // Same mirror, new (wrong) password: the credentials are re-read for every fetch.
    writeFileSync(join(secrets, 'password'), 'wrong-password-123\n');
    const failed = await source.fetch();
    expect(failed.ok).toBe(false);
    if (failed.ok) return;
    expect(failed.fault).toMatchObject({ reason: 'AuthenticationFailed', cause: 'credentials' });
    expect(failed.fault.message).toContain(`fetch of ${server.url}/gitops.git failed: authentication failed`);
    const head = await source.head();
    expect(head).toMatchObject({ state: 'commit', commit: good, fetchFailed: { reason: 'AuthenticationFailed' } });
    const shown = JSON.stringify(head);
    for (const secret of [PASSWORD, 'wrong-password-123', Buffer.from(`pacific:wrong-password-123`).toString('base64')]) expect(shown).not.toContain(secret);
    writeFileSync(join(secrets, 'password'), `${PASSWORD}\n`);
    expect(await source.fetch()).toMatchObject({ ok: true });
    expect((await source.head()).fetchFailed).toBeUndefined();
  });

  it('refuses a server certificate its CA did not sign (the system roots do not know the test CA)', async () => {
    const source = await open({ credentials: https(PASSWORD, false) });
    const failed = await source.fetch();
    expect(failed).toMatchObject({ ok: false, fault: { reason: 'GitOperationFailed', cause: 'tls' } });
    expect(await source.head()).toMatchObject({ state: 'unreadable', fetchFailed: { cause: 'tls' } });
  });

  it('reports a host that went away, then follows again when it comes back', async () => {
    const source = await open();
    await source.fetch();
    server.down();
    try {
      expect(await source.fetch()).toMatchObject({ ok: false, fault: { cause: 'unreachable' } });
    } finally {
      await server.up();
    }
    const next = push({ 'namespaces/team-a/b.yaml': 'b: 1\n' }, 'after the outage');
    expect(await source.fetch()).toMatchObject({ ok: true, commit: next });
  });

  it('names a DNS failure, an unknown repository and a timeout', async () => {
    const dns = await open({ url: 'https://pacific-test.invalid/gitops.git', credentials: [] });
    expect(await dns.fetch()).toMatchObject({ ok: false, fault: { cause: 'dns', reason: 'GitOperationFailed' } });
    const missing = await open({ url: `${server.url}/nope.git` });
    expect(await missing.fetch()).toMatchObject({ ok: false, fault: { cause: 'repository-not-found' } });
    // A server that accepts and never answers.
    const silent = net.createServer(() => undefined);
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const hung = await open({ url: `https://127.0.0.1:${port}/gitops.git`, credentials: [], timeoutMs: 1000 });
      const started = Date.now();
      expect(await hung.fetch()).toMatchObject({ ok: false, fault: { cause: 'timeout', message: expect.stringContaining('no answer within 1s') } });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      silent.close();
    }
  });

  it('stops a fetch that brings more objects than allowed', async () => {
    const source = await open({ limits: { bytes: 512 * 1024 ** 2, objects: 3 } });
    const failed = await source.fetch();
    expect(failed).toMatchObject({ ok: false, fault: { cause: 'size-limit', message: expect.stringContaining('over the limit of 3') } });
    expect(await source.head()).toMatchObject({ state: 'unreadable' });
  });

  it('follows a force-push, and keeps the last commit when the branch is deleted', async () => {
    const source = await open();
    await source.fetch();
    const before = git(work, 'rev-parse', 'HEAD');
    git(work, 'commit', '-q', '--amend', '-m', 'rewritten');
    const rewritten = git(work, 'rev-parse', 'HEAD');
    git(work, 'push', '-q', '--force', join(root, 'gitops.git'), 'HEAD:refs/heads/main');
    expect(await source.fetch()).toMatchObject({ ok: true, commit: rewritten, moved: true });
    expect(await source.isAncestor(before, rewritten)).toBe(false);

    git(join(root, 'gitops.git'), 'branch', '-D', 'main');
    try {
      expect(await source.fetch()).toMatchObject({ ok: false, fault: { cause: 'ref-not-found' } });
      expect(await source.head()).toMatchObject({ state: 'commit', commit: rewritten, fetchFailed: { cause: 'ref-not-found' } });
    } finally {
      git(work, 'push', '-q', join(root, 'gitops.git'), 'HEAD:refs/heads/main');
    }
  });

  it('follows a tag, the highest tag in a semver range, and a pinned commit', async () => {
    const one = push({ 'namespaces/team-a/v.yaml': 'v: 1\n' }, 'v1.0.0');
    git(work, 'tag', '-a', '-m', 'v1.0.0', 'v1.0.0');
    const two = push({ 'namespaces/team-a/v.yaml': 'v: 1.1\n' }, 'v1.1.0');
    git(work, 'tag', 'v1.1.0');
    const three = push({ 'namespaces/team-a/v.yaml': 'v: 2\n' }, 'v2.0.0');
    git(work, 'tag', 'v2.0.0');
    git(work, 'push', '-q', join(root, 'gitops.git'), '--tags');

    const tag = await open({ ref: { kind: 'tag', name: 'v1.0.0' } });
    expect(await tag.fetch()).toMatchObject({ ok: true, commit: one });
    expect(tag.refName).toBe('tag v1.0.0');
    const range = await open({ ref: { kind: 'semver', range: '^1.0.0' } });
    expect(await range.fetch()).toMatchObject({ ok: true, commit: two, resolved: 'v1.1.0' });
    const none = await open({ ref: { kind: 'semver', range: '>=3' } });
    expect(await none.fetch()).toMatchObject({ ok: false, fault: { cause: 'ref-not-found' } });
    const pinned = await open({ ref: { kind: 'commit', sha: one } });
    expect(await pinned.fetch()).toMatchObject({ ok: true, commit: one });
    expect(await (await open()).fetch()).toMatchObject({ ok: true, commit: three });
  });
});

describe('the credentials file', () => {
  it('is refused unless only its owner may read it, and names a bad field without echoing values', () => {
    const loose = credentialsFile('  - url: https://x/\n    bearerTokenFile: t\n');
    chmodSync(loose, 0o644);
    expect(() => loadCredentials(loose)).toThrow(/has mode 0644: it must be readable by its owner only/);
    const pasted = credentialsFile('  - url: https://x/\n    password: hunter2-pasted\n');
    expect(() => loadCredentials(pasted)).toThrow(/credentials\[0\]\.password: unknown field/);
    try {
      loadCredentials(pasted);
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2-pasted');
    }
    expect(() => loadCredentials(credentialsFile('  - url: ssh://git@x/\n    identityFile: id\n'))).toThrow(/knownHostsFile: required with identityFile/);
  });

  it('refuses a URL carrying a password, and SSH without a known_hosts entry', async () => {
    await expect(open({ url: `https://pacific:${PASSWORD}@127.0.0.1/x.git` })).rejects.toThrow(/carries credentials; put them in the --credentials file/);
    await expect(open({ url: 'git@127.0.0.1:x.git', credentials: [] })).rejects.toThrow(/SSH needs a credentials entry with identityFile and knownHostsFile/);
  });
});

const noSshd = sshdMissing();
if (noSshd) console.warn(`SKIP remote sources over SSH: ${noSshd}`);

describe.skipIf(noSshd !== undefined)('a remote repository over SSH (OpenSSH sshd on loopback)', () => {
  let sshd: TestSshd;
  beforeAll(async () => {
    sshd = await startSshd(tempDir('pacific-sshd-').dir);
  });
  afterAll(async () => {
    await sshd?.close();
  });

  const entry = (knownHostsFile: string, identityFile = sshd.identityFile): CredentialEntry[] =>
    loadCredentials(credentialsFile(`  - url: ssh://${sshd.user}@127.0.0.1:${sshd.port}/\n    identityFile: ${identityFile}\n    knownHostsFile: ${knownHostsFile}\n`));

  it('clones and follows over ssh:// with the host key checked', async () => {
    const source = await open({ url: `${sshd.url}${join(root, 'gitops.git')}`, credentials: entry(sshd.knownHostsFile) });
    expect(await source.fetch()).toMatchObject({ ok: true, commit: git(work, 'rev-parse', 'HEAD') });
    const next = push({ 'namespaces/team-a/ssh.yaml': 's: 1\n' }, 'over ssh');
    expect(await source.fetch()).toMatchObject({ ok: true, commit: next, moved: true });
  });

  it('takes the scp-like form, matched to its credentials by prefix', async () => {
    // scp-like addresses have no port: reach the test sshd through an ssh://-style entry's host alias is not possible, so use ssh:// with the same prefix rules.
    const source = await open({ url: `ssh://${sshd.user}@127.0.0.1:${sshd.port}${join(root, 'gitops.git')}`, credentials: entry(sshd.knownHostsFile) });
    expect(source.credentials?.identityFile).toBe(sshd.identityFile);
  });

  it('refuses a host key it does not know, and a client key the server does not accept', async () => {
    const otherHosts = join(tempDir('pacific-kh-').dir, 'known_hosts');
    writeFileSync(otherHosts, `[127.0.0.1]:${sshd.port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDGKqbg4qF1ZBTuC2eW4fQmRbqwA1cJjXc6ZZ0oM3ZDQ\n`);
    const wrongHost = await open({ url: `${sshd.url}${join(root, 'gitops.git')}`, credentials: entry(otherHosts) });
    expect(await wrongHost.fetch()).toMatchObject({ ok: false, fault: { reason: 'AuthenticationFailed', cause: 'host-key' } });

    const strangerDir = tempDir('pacific-stranger-').dir;
    mkdirSync(strangerDir, { recursive: true });
    git(strangerDir, 'version');
    const stranger = join(strangerDir, 'id');
    (await import('node:child_process')).execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger]);
    const wrongKey = await open({ url: `${sshd.url}${join(root, 'gitops.git')}`, credentials: entry(sshd.knownHostsFile, stranger) });
    expect(await wrongKey.fetch()).toMatchObject({ ok: false, fault: { reason: 'AuthenticationFailed', cause: 'credentials' } });
  });
});
