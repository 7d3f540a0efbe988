import fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GitSource, resolveRevision } from '../../daemon/source/git-source.js';
import { bareClone, commitAll, git, workRepo, writeFiles } from '../support/git.js';
import { namespaceYaml } from '../support/fixtures.js';
import { removeTempDirs, tempDir } from '../support/temp.js';

afterEach(removeTempDirs);

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const paths = async (source: GitSource, commit: string) => (await source.files(commit)).files.map((f) => f.path);

async function headCommit(source: GitSource): Promise<string> {
  const head = await source.head();
  if (head.state !== 'commit') throw new Error(`expected a commit, got ${JSON.stringify(head)}`);
  return head.commit;
}

const layout = {
  'namespaces/team-a.yaml': namespaceYaml('team-a'),
  'namespaces/nested/deeper/team-b.yml': namespaceYaml('team-b'),
  'vms/web.YAML': namespaceYaml('web'),
  'README.md': '# not a manifest\n',
  'vms/notes.txt': 'nope\n',
  '.github/workflow.yaml': 'on: push\n',
  'vms/.hidden/secret.yaml': namespaceYaml('hidden'),
  '.dotfile.yaml': namespaceYaml('dot'),
};

describe('GitSource', () => {
  it.each([
    ['non-bare', (work: string) => ({ gitdir: join(work, '.git'), location: work })],
    ['bare', (work: string) => ({ gitdir: bareClone(work) })],
  ])('lists the manifests of the branch head in a %s repository, sorted, across folders', async (_, where) => {
    const work = workRepo(layout);
    const source = new GitSource(where(work));
    const commit = await headCommit(source);
    expect(commit).toBe(git(work, 'rev-parse', 'main'));
    const listed = await source.files(commit);
    expect(listed.revision).toBe(commit);
    expect(listed.files.map((f) => f.path)).toEqual(['namespaces/nested/deeper/team-b.yml', 'namespaces/team-a.yaml', 'vms/web.YAML']);
    expect(listed.files[1]!.blobId).toBe(git(work, 'rev-parse', `${commit}:namespaces/team-a.yaml`));
    expect(listed.skipped).toEqual([]);
    expect(text(await source.read(listed.files[1]!))).toBe(namespaceYaml('team-a'));
  });

  it('follows a non-default branch, including one with a slash', async () => {
    const work = workRepo({ 'a.yaml': namespaceYaml('a') });
    git(work, 'checkout', '-q', '-b', 'feature/x');
    writeFiles(work, { 'b.yaml': namespaceYaml('b') });
    const feature = commitAll(work, 'feature');
    const bare = bareClone(work);
    const source = new GitSource({ gitdir: bare, branch: 'feature/x' });
    expect(await source.head()).toEqual({ state: 'commit', commit: feature });
    expect(await paths(source, feature)).toEqual(['a.yaml', 'b.yaml']);
  });

  it('reads a branch that only exists in packed-refs', async () => {
    const bare = bareClone(workRepo({ 'a.yaml': namespaceYaml('a') }));
    git(bare, 'pack-refs', '--all');
    expect(fs.existsSync(join(bare, 'refs/heads/main'))).toBe(false);
    const head = await new GitSource({ gitdir: bare }).head();
    expect(head).toEqual({ state: 'commit', commit: git(bare, 'rev-parse', 'main') });
  });

  it('reports symlinks and submodules as skipped and never follows them', async () => {
    const work = workRepo({ 'real/a.yaml': namespaceYaml('a') });
    fs.symlinkSync('/etc/passwd', join(work, 'real/escape.yaml'));
    fs.symlinkSync('real', join(work, 'alias'));
    const other = workRepo({ 'x.yaml': namespaceYaml('x') });
    git(work, 'add', '-A');
    git(work, 'update-index', '--add', '--cacheinfo', `160000,${git(other, 'rev-parse', 'HEAD')},vendor/sub`);
    git(work, 'commit', '-q', '-m', 'links');
    const source = new GitSource({ gitdir: join(work, '.git'), location: work });
    const listed = await source.files(await headCommit(source));
    expect(listed.files.map((f) => f.path)).toEqual(['real/a.yaml']);
    expect(listed.skipped.map((s) => s.path)).toEqual(['alias', 'real/escape.yaml', 'vendor/sub']);
    expect(listed.skipped[0]!.reason).toMatch(/symlink/);
    expect(listed.skipped[2]!.reason).toMatch(/submodule/);
  });

  it('says empty-repository when no branch has a commit', async () => {
    const bare = join(tempDir().dir, 'empty.git');
    git(tempDir().dir, 'init', '-q', '--bare', bare);
    expect(await new GitSource({ gitdir: bare }).head()).toEqual({ state: 'empty-repository' });
  });

  it('says branch-not-found with the existing branches once the branch is deleted', async () => {
    const work = workRepo({ 'a.yaml': namespaceYaml('a') });
    git(work, 'branch', 'other');
    git(work, 'branch', 'zeta');
    const bare = bareClone(work);
    git(bare, 'branch', '-D', 'main');
    expect(await new GitSource({ gitdir: bare }).head()).toEqual({ state: 'branch-not-found', branch: 'main', branches: ['other', 'zeta'] });
  });

  it('says unreadable, without throwing, when the repository is deleted or is not one', async () => {
    const bare = bareClone(workRepo({ 'a.yaml': namespaceYaml('a') }));
    const source = new GitSource({ gitdir: bare });
    expect((await source.head()).state).toBe('commit');
    fs.rmSync(bare, { recursive: true, force: true });
    expect(await source.head()).toMatchObject({ state: 'unreadable', message: expect.stringContaining(bare) });
    expect(await new GitSource({ gitdir: tempDir().dir }).head()).toMatchObject({ state: 'unreadable' });
  });

  it('says unreadable when the branch points at a missing commit', async () => {
    const bare = bareClone(workRepo({ 'a.yaml': namespaceYaml('a') }));
    fs.writeFileSync(join(bare, 'refs/heads/main'), `${'1'.repeat(40)}\n`);
    expect(await new GitSource({ gitdir: bare }).head()).toMatchObject({ state: 'unreadable' });
  });

  it('detects a force-push: isAncestor is true for a fast-forward, false for unrelated or rewound history', async () => {
    const work = workRepo({ 'a.yaml': namespaceYaml('a') });
    const first = git(work, 'rev-parse', 'HEAD');
    writeFiles(work, { 'b.yaml': namespaceYaml('b') });
    const second = commitAll(work, 'second');
    git(work, 'checkout', '-q', '--orphan', 'rewritten');
    const unrelated = commitAll(work, 'unrelated');
    const source = new GitSource({ gitdir: join(work, '.git') });
    expect(await source.isAncestor(first, second)).toBe(true);
    expect(await source.isAncestor(second, second)).toBe(true);
    expect(await source.isAncestor(second, first)).toBe(false);
    expect(await source.isAncestor(second, unrelated)).toBe(false);
    expect(await source.isAncestor('1'.repeat(40), second)).toBe(false);
  });

  it('lists a new commit incrementally: only the trees on the changed path are read', async () => {
    const work = workRepo({
      'deep/a/b/c/x.yaml': namespaceYaml('x'),
      'deep/a/b/c/y.yaml': namespaceYaml('y'),
      'deep/a/other/z.yaml': namespaceYaml('z'),
      'side/s.yaml': namespaceYaml('s'),
      'top.yaml': namespaceYaml('top'),
    });
    const source = new GitSource({ gitdir: join(work, '.git') });
    const first = await headCommit(source);
    await source.files(first);
    expect(source.treeReads).toBe(7); // root, deep, deep/a, deep/a/b, deep/a/b/c, deep/a/other, side

    writeFiles(work, { 'deep/a/b/c/x.yaml': namespaceYaml('x2') });
    const second = commitAll(work, 'change x');
    const listed = await source.files(await headCommit(source));
    expect(source.treeReads).toBe(7 + 5); // root, deep, deep/a, deep/a/b, deep/a/b/c
    expect(listed.revision).toBe(second);
    const expected = ['deep/a/b/c/x.yaml', 'deep/a/b/c/y.yaml', 'deep/a/other/z.yaml', 'side/s.yaml', 'top.yaml'];
    expect(listed.files).toEqual(expected.map((path) => ({ path, blobId: git(work, 'rev-parse', `${second}:${path}`) })));
    expect(text(await source.read(listed.files[0]!))).toBe(namespaceYaml('x2'));

    // Going back and forth between the two (diff against the applied revision) reads nothing new.
    expect(await paths(source, first)).toEqual(expected);
    expect(await paths(source, second)).toEqual(expected);
    expect(source.treeReads).toBe(12);
  });

  it('keeps reading after git gc moves everything into a new packfile', async () => {
    const work = workRepo({ 'ns/a.yaml': namespaceYaml('a') });
    const source = new GitSource({ gitdir: join(work, '.git') });
    const first = await headCommit(source);
    await source.files(first);
    git(work, 'gc', '-q');
    writeFiles(work, { 'ns/b.yaml': namespaceYaml('b') });
    commitAll(work, 'second');
    git(work, 'gc', '-q', '--prune=now');
    const listed = await source.files(await headCommit(source));
    expect(listed.files.map((f) => f.path)).toEqual(['ns/a.yaml', 'ns/b.yaml']);
    expect(new TextDecoder().decode(await source.read(listed.files[1]!))).toBe(namespaceYaml('b'));
  });

  it('reads identical folders once', async () => {
    const work = workRepo({ 'one/a.yaml': namespaceYaml('a'), 'two/a.yaml': namespaceYaml('a') });
    const source = new GitSource({ gitdir: join(work, '.git') });
    expect(await paths(source, await headCommit(source))).toEqual(['one/a.yaml', 'two/a.yaml']);
    expect(source.treeReads).toBe(2);
  });
});

describe('resolveRevision', () => {
  it('resolves a branch, a lightweight or annotated tag, a full or short commit id and HEAD', async () => {
    const work = workRepo({ 'a.yaml': namespaceYaml('a') });
    const first = git(work, 'rev-parse', 'HEAD');
    git(work, 'tag', 'v1');
    git(work, 'tag', '-a', 'v1-annotated', '-m', 'release');
    writeFiles(work, { 'b.yaml': namespaceYaml('b') });
    const second = commitAll(work, 'second');
    const bare = bareClone(work);
    for (const repo of [work, bare]) {
      expect(await resolveRevision(repo, 'main')).toBe(second);
      expect(await resolveRevision(repo, 'HEAD')).toBe(second);
      expect(await resolveRevision(repo, 'v1')).toBe(first);
      expect(await resolveRevision(repo, 'v1-annotated')).toBe(first);
      expect(await resolveRevision(repo, first)).toBe(first);
      expect(await resolveRevision(repo, first.slice(0, 7))).toBe(first);
      expect(await resolveRevision(repo, first.slice(0, 7).toUpperCase())).toBe(first);
    }
  });

  it('resolves a short commit id from a packfile', async () => {
    const work = workRepo({ 'a.yaml': namespaceYaml('a') });
    git(work, 'gc', '-q');
    const head = git(work, 'rev-parse', 'HEAD');
    expect(await resolveRevision(work, head.slice(0, 8))).toBe(head);
  });

  it('throws a clear error for an unknown revision or a plain directory', async () => {
    const work = workRepo({ 'a.yaml': namespaceYaml('a') });
    await expect(resolveRevision(work, 'nope')).rejects.toThrow(/revision 'nope' not found/);
    await expect(resolveRevision(work, 'deadbeef')).rejects.toThrow(/not found/);
    await expect(resolveRevision(work, '1'.repeat(40))).rejects.toThrow(/not a readable commit/);
    await expect(resolveRevision(tempDir().dir, 'main')).rejects.toThrow(/not a Git repository/);
  });
});
