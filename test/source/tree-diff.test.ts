/** Changes between two commits from the trees on changed paths only, checked against full listings. */
import fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GitSource } from '../../daemon/source/git-source.js';
import { commitAll, git, workRepo, writeFiles } from '../support/git.js';
import { namespaceYaml } from '../support/fixtures.js';
import { removeTempDirs } from '../support/temp.js';

afterEach(removeTempDirs);

/** What a full listing of each commit says changed: the reference the diff must match. */
async function listedChanges(source: GitSource, from: string, to: string): Promise<{ changed: { path: string; blobId: string }[]; removed: string[] }> {
  const before = new Map((await source.files(from)).files.map((f) => [f.path, f.blobId]));
  const after = (await source.files(to)).files;
  return {
    changed: after.filter((f) => before.get(f.path) !== f.blobId).map((f) => ({ path: f.path, blobId: f.blobId })),
    removed: [...before.keys()].filter((p) => !after.some((f) => f.path === p)).sort(),
  };
}

describe('GitSource.changes', () => {
  it('finds added, modified and removed manifests in nested folders, ignoring other files and dot-folders', async () => {
    const work = workRepo({
      'platform/team-a.yaml': namespaceYaml('team-a'),
      'namespaces/team-a/deep/web.yaml': namespaceYaml('web'),
      'namespaces/team-a/deep/db.yaml': namespaceYaml('db'),
      'namespaces/team-b/app.yml': namespaceYaml('app'),
      'README.md': 'readme\n',
    });
    const first = git(work, 'rev-parse', 'HEAD');
    writeFiles(work, { 'namespaces/team-a/deep/web.yaml': namespaceYaml('web2'), 'namespaces/team-c/new.yaml': namespaceYaml('new'), 'README.md': 'changed\n', '.github/ci.yaml': 'x: 1\n' });
    fs.rmSync(join(work, 'namespaces/team-b'), { recursive: true });
    const second = commitAll(work, 'second');
    const source = new GitSource({ gitdir: join(work, '.git') });
    const changes = await source.changes(first, second);
    expect(changes).toEqual({ from: first, to: second, ...(await listedChanges(source, first, second)) });
    expect(changes!.changed.map((f) => f.path)).toEqual(['namespaces/team-a/deep/web.yaml', 'namespaces/team-c/new.yaml']);
    expect(changes!.removed).toEqual(['namespaces/team-b/app.yml']);
  });

  it('reads only the trees on the changed path, before and after', async () => {
    const files: Record<string, string> = {};
    for (let ns = 0; ns < 20; ns++) for (let vm = 0; vm < 5; vm++) files[`namespaces/ns-${ns}/vm-${vm}.yaml`] = namespaceYaml(`vm-${ns}-${vm}`);
    const work = workRepo(files);
    const first = git(work, 'rev-parse', 'HEAD');
    writeFiles(work, { 'namespaces/ns-7/vm-3.yaml': namespaceYaml('changed') });
    const second = commitAll(work, 'one file');
    const source = new GitSource({ gitdir: join(work, '.git') });
    await source.files(first); // as the daemon listed the revision it applied
    const listed = source.treeReads;
    const changes = await source.changes(first, second);
    expect(changes!.changed.map((f) => f.path)).toEqual(['namespaces/ns-7/vm-3.yaml']);
    // root, namespaces and namespaces/ns-7 of the new commit, once for the bounds and the diff; the old ones were listed
    expect(source.treeReads - listed).toBe(3);
  });

  it('turns a file into a folder and back', async () => {
    const work = workRepo({ 'x.yaml': namespaceYaml('file') });
    const first = git(work, 'rev-parse', 'HEAD');
    fs.rmSync(join(work, 'x.yaml'));
    writeFiles(work, { 'x.yaml/inner.yaml': namespaceYaml('inner') });
    const second = commitAll(work, 'folder');
    const source = new GitSource({ gitdir: join(work, '.git') });
    expect(await source.changes(first, second)).toEqual({ from: first, to: second, ...(await listedChanges(source, first, second)) });
    expect(await source.changes(second, first)).toEqual({ from: second, to: first, ...(await listedChanges(source, second, first)) });
  });

  it('cannot tell when a symlink changed, so the caller lists the commit instead', async () => {
    const work = workRepo({ 'a.yaml': namespaceYaml('a') });
    const first = git(work, 'rev-parse', 'HEAD');
    fs.symlinkSync('a.yaml', join(work, 'link.yaml'));
    const second = commitAll(work, 'link');
    const source = new GitSource({ gitdir: join(work, '.git') });
    expect(await source.changes(first, second)).toBeUndefined();
    expect(await source.changes(first, first)).toEqual({ from: first, to: first, changed: [], removed: [] });
  });
});
