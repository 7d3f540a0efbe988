/** The pure parts of remote sources: addresses, refs, git's progress counters, the fetch schedule's delays. */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nextFetchDelay } from '../../../daemon/source/remote/fetch-schedule.js';
import { gitRef, highestTag, parseLsRemote } from '../../../daemon/source/remote/git-ref.js';
import { gitAccess, progressCounts, redact } from '../../../daemon/source/remote/git-process.js';
import { isRemoteRepo, parseRemoteUrl } from '../../../daemon/source/remote/remote-url.js';
import { tempDir } from '../../support/temp.js';

describe('remote addresses', () => {
  it('tells remote addresses from local paths as git does', () => {
    for (const remote of ['https://git.example.com/org/repo.git', 'ssh://git@host:2222/org/repo', 'git@github.com:org/repo.git', 'host:repo']) expect(isRemoteRepo(remote)).toBe(true);
    for (const local of ['/srv/gitops.git', './a:b', 'repos/x', '.pacific/gitops.git']) expect(isRemoteRepo(local)).toBe(false);
    expect(parseRemoteUrl('git@github.com:org/repo.git')).toMatchObject({ transport: 'ssh', host: 'github.com', path: 'org/repo.git' });
    expect(() => parseRemoteUrl('git://host/repo')).toThrow(/not supported/);
    expect(() => parseRemoteUrl('https://token123@host/repo')).toThrow(/carries credentials/);
  });
});

describe('refs', () => {
  it('takes one of tag, semver range, commit, else the branch', () => {
    expect(gitRef({ branch: 'prod' })).toEqual({ kind: 'branch', name: 'prod' });
    expect(() => gitRef({ tag: 'v1', semver: '^1' })).toThrow(/exclude each other/);
    expect(() => gitRef({ semver: 'not a range!' })).toThrow(/not a semver range/);
    expect(() => gitRef({ commit: 'abc' })).toThrow(/full 40-character/);
  });

  it('picks the highest tag in a range, v-prefixed or not, and peels annotated tags', () => {
    expect(highestTag(['v1.0.0', 'v1.2.0', '1.3.0-rc.1', 'v2.0.0', 'latest'], '^1.0.0')).toBe('v1.2.0');
    expect(highestTag(['v1.0.0'], '>=2')).toBeUndefined();
    const refs = parseLsRemote('aaa\trefs/tags/v1\nbbb\trefs/tags/v1^{}\nccc\trefs/heads/main\n');
    expect(refs.get('refs/tags/v1')).toBe('bbb');
    expect(refs.get('refs/heads/main')).toBe('ccc');
  });
});

describe('running git', () => {
  it("reads git's received objects and bytes from its progress", () => {
    expect(progressCounts('Receiving objects:  45% (450/1000), 1.20 MiB | 2.00 MiB/s')).toEqual({ objects: 1000, bytes: 1.2 * 1024 ** 2 });
    expect(progressCounts('Receiving objects: 100% (7/7), 322 bytes | 23.00 KiB/s, done.')).toEqual({ objects: 7, bytes: 322 });
    expect(progressCounts('remote: Counting objects: 14% (1/7)')).toEqual({});
  });

  it('gives git a clean environment with the credentials in it, never on the command line, and redacts them', () => {
    const { dir } = tempDir();
    writeFileSync(`${dir}/token`, 'tok-abcdef\n');
    const access = gitAccess(parseRemoteUrl('https://h/r.git'), { label: 'credentials[0]', url: 'https://h/', bearerTokenFile: `${dir}/token` }, `${dir}/home`, 5000);
    expect(access.env['GIT_CONFIG_NOSYSTEM']).toBe('1');
    expect(access.env['GIT_CONFIG_GLOBAL']).toBe('/dev/null');
    expect(access.env['GIT_TERMINAL_PROMPT']).toBe('0');
    expect(access.env['HOME']).toBe(`${dir}/home`);
    expect(Object.values(access.env)).toContain('Authorization: Bearer tok-abcdef');
    expect(redact('fatal: Bearer tok-abcdef refused', access.secrets)).toBe('fatal: Bearer *** refused');
    expect(() => gitAccess(parseRemoteUrl('http://h/r.git'), { label: 'credentials[0]', url: 'http://h/', bearerTokenFile: `${dir}/token` }, `${dir}/home`, 5000)).toThrow(/not sent over plain http/);
  });
});

describe('the fetch schedule', () => {
  it('waits the interval ±10%, and after failures backs off from 1 s, doubling up to the interval', () => {
    expect(nextFetchDelay(60_000, 0, () => 0)).toBe(54_000);
    expect(nextFetchDelay(60_000, 0, () => 0.999999)).toBe(66_000);
    expect([1, 2, 3, 7, 8].map((n) => nextFetchDelay(60_000, n, () => 0.5))).toEqual([1000, 2000, 4000, 60_000, 60_000]);
  });
});
