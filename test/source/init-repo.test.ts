import fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GitSource } from '../../daemon/source/git-source.js';
import { initRepository } from '../../daemon/source/init-repo.js';
import { git, writeFiles } from '../support/git.js';
import { namespaceYaml } from '../support/fixtures.js';
import { removeTempDirs, tempDir } from '../support/temp.js';

afterEach(removeTempDirs);

describe('initRepository', () => {
  it('creates a bare repository whose main commit holds every file; git clone shows them', async () => {
    const from = tempDir().dir;
    writeFiles(from, { 'README.md': '# sample\n', 'namespaces/a.yaml': namespaceYaml('a'), 'vms/deep/web.yaml': namespaceYaml('web'), '.git/ignored': 'x', '.cache/x.yaml': 'x' });
    fs.mkdirSync(join(from, 'empty'));
    fs.writeFileSync(join(from, 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
    const bare = join(tempDir().dir, 'repo.git');
    const commit = await initRepository(bare, from, { message: 'Initial import' });

    const clone = join(tempDir().dir, 'clone');
    git(tempDir().dir, 'clone', '-q', bare, clone);
    expect(git(clone, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(git(clone, 'rev-parse', 'HEAD')).toBe(commit);
    expect(git(clone, 'ls-files').split('\n')).toEqual(['README.md', 'namespaces/a.yaml', 'run.sh', 'vms/deep/web.yaml']);
    expect(git(clone, 'log', '-1', '--format=%s')).toBe('Initial import');
    expect(git(clone, 'ls-files', '-s', 'run.sh')).toMatch(/^100755 /);
    expect(fs.readFileSync(join(clone, 'vms/deep/web.yaml'), 'utf8')).toBe(namespaceYaml('web'));
    expect(git(bare, 'fsck', '--strict')).toBe('');

    expect(await new GitSource({ gitdir: bare }).head()).toEqual({ state: 'commit', commit });
  });

  it('refuses a target that exists and is not empty, and accepts an empty one', async () => {
    const from = tempDir().dir;
    writeFiles(from, { 'a.yaml': namespaceYaml('a') });
    const taken = tempDir().dir;
    writeFiles(taken, { 'something.txt': 'x' });
    await expect(initRepository(taken, from)).rejects.toThrow(/exists and is not empty/);
    await expect(initRepository(join(taken, 'something.txt'), from)).rejects.toThrow(/a file is already there/);
    await expect(initRepository(join(tempDir().dir, 'r.git'), join(from, 'missing'))).rejects.toThrow(/not a directory/);
    const empty = tempDir().dir;
    await expect(initRepository(empty, from)).resolves.toMatch(/^[0-9a-f]{40}$/);
  });
});
