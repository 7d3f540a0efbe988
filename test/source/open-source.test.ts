import fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSource } from '../../daemon/source/open-source.js';
import { bareClone, commitAll, git, workRepo, writeFiles } from '../support/git.js';
import { namespaceYaml } from '../support/fixtures.js';
import { removeTempDirs, tempDir } from '../support/temp.js';

afterEach(removeTempDirs);

describe('openSource', () => {
  it('opens a non-bare repository, a bare one and a plain directory', async () => {
    const work = workRepo({ 'a.yaml': namespaceYaml('a') });
    const head = git(work, 'rev-parse', 'HEAD');
    const nonBare = await openSource(work);
    expect([nonBare.kind, nonBare.location]).toEqual(['git', work]);
    expect(await nonBare.head()).toEqual({ state: 'commit', commit: head });

    const bare = await openSource(bareClone(work));
    expect(bare.kind).toBe('git');
    expect(await bare.head()).toEqual({ state: 'commit', commit: head });

    const dir = tempDir().dir;
    writeFiles(dir, { 'a.yaml': namespaceYaml('a') });
    expect((await openSource(dir)).kind).toBe('directory');
  });

  it('follows the given branch', async () => {
    const work = workRepo({ 'a.yaml': namespaceYaml('a') });
    expect(await (await openSource(work, { branch: 'prod' })).head()).toEqual({ state: 'branch-not-found', branch: 'prod', branches: ['main'] });
  });

  it('pins a ref: head stays at that revision while the branch moves', async () => {
    const work = workRepo({ 'a.yaml': namespaceYaml('a') });
    const first = git(work, 'rev-parse', 'HEAD');
    git(work, 'tag', 'v1');
    writeFiles(work, { 'b.yaml': namespaceYaml('b') });
    commitAll(work, 'second');
    const pinned = await openSource(work, { ref: 'v1' });
    expect(await pinned.head()).toEqual({ state: 'commit', commit: first });
    expect((await pinned.files(first)).files.map((f) => f.path)).toEqual(['a.yaml']);
  });

  it('throws clear errors for a missing path, a file, a bad ref, or a ref on a directory', async () => {
    const dir = tempDir().dir;
    await expect(openSource(join(dir, 'missing'))).rejects.toThrow(/does not exist/);
    fs.writeFileSync(join(dir, 'file'), '');
    await expect(openSource(join(dir, 'file'))).rejects.toThrow(/not a directory/);
    await expect(openSource(dir, { ref: 'main' })).rejects.toThrow(/--ref needs a Git repository/);
    await expect(openSource(workRepo({ 'a.yaml': namespaceYaml('a') }), { ref: 'nope' })).rejects.toThrow(/revision 'nope' not found/);
  });
});
