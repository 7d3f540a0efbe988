import fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DirectorySource } from '../../daemon/source/directory-source.js';
import { git, writeFiles } from '../support/git.js';
import { namespaceYaml } from '../support/fixtures.js';
import { removeTempDirs, tempDir } from '../support/temp.js';

afterEach(removeTempDirs);

async function revision(source: DirectorySource): Promise<string> {
  const head = await source.head();
  if (head.state !== 'commit') throw new Error(`expected a revision, got ${JSON.stringify(head)}`);
  return head.commit;
}

describe('DirectorySource', () => {
  it('lists manifests sorted, skipping dot-folders and other files, with Git blob ids', async () => {
    const dir = tempDir().dir;
    writeFiles(dir, { 'b/deep/x.yaml': namespaceYaml('x'), 'a.yml': namespaceYaml('a'), 'README.md': '#\n', '.git-like/c.yaml': namespaceYaml('c') });
    const source = new DirectorySource(dir);
    const rev = await revision(source);
    expect(rev).toMatch(/^worktree-[0-9a-f]{12}$/);
    const listed = await source.files(rev);
    expect(listed.files.map((f) => f.path)).toEqual(['a.yml', 'b/deep/x.yaml']);
    expect(listed.files[1]!.blobId).toBe(git(dir, 'hash-object', 'b/deep/x.yaml'));
    expect(new TextDecoder().decode(await source.read(listed.files[0]!))).toBe(namespaceYaml('a'));
  });

  it('gives identical contents the same revision, wherever they are, and a change a new one', async () => {
    const files = { 'ns/a.yaml': namespaceYaml('a'), 'b.yaml': namespaceYaml('b') };
    const one = tempDir().dir;
    const two = tempDir().dir;
    writeFiles(one, files);
    writeFiles(two, { ...files, 'notes.txt': 'ignored\n' });
    const first = await revision(new DirectorySource(one));
    expect(await revision(new DirectorySource(one))).toBe(first);
    expect(await revision(new DirectorySource(two))).toBe(first);
    writeFiles(two, { 'b.yaml': namespaceYaml('b2') });
    expect(await revision(new DirectorySource(two))).not.toBe(first);
  });

  it('reports symlinks without following them, naming those that resolve outside the directory', async () => {
    const outside = tempDir().dir;
    writeFiles(outside, { 'secret.yaml': namespaceYaml('secret') });
    const dir = tempDir().dir;
    writeFiles(dir, { 'in/a.yaml': namespaceYaml('a') });
    fs.symlinkSync(join(outside, 'secret.yaml'), join(dir, 'escape.yaml'));
    fs.symlinkSync(outside, join(dir, 'escape-dir'));
    fs.symlinkSync('in/a.yaml', join(dir, 'alias.yaml'));
    fs.symlinkSync('missing.yaml', join(dir, 'dangling.yaml'));
    const source = new DirectorySource(dir);
    const listed = await source.files(await revision(source));
    expect(listed.files.map((f) => f.path)).toEqual(['in/a.yaml']);
    const reasons = Object.fromEntries(listed.skipped.map((s) => [s.path, s.reason]));
    expect(Object.keys(reasons)).toEqual(['alias.yaml', 'dangling.yaml', 'escape-dir', 'escape.yaml']);
    expect(reasons['escape.yaml']).toMatch(/outside/);
    expect(reasons['escape-dir']).toMatch(/outside/);
    expect(reasons['alias.yaml']).toMatch(/not followed/);
    expect(reasons['alias.yaml']).not.toMatch(/outside/);
    expect(reasons['dangling.yaml']).toMatch(/does not exist/);
  });

  it('serves the scanned revision consistently, and refuses one the directory no longer holds', async () => {
    const dir = tempDir().dir;
    writeFiles(dir, { 'a.yaml': namespaceYaml('a') });
    const source = new DirectorySource(dir);
    const before = await revision(source);
    writeFiles(dir, { 'a.yaml': namespaceYaml('changed') });
    const [file] = (await source.files(before)).files;
    expect(new TextDecoder().decode(await source.read(file!))).toBe(namespaceYaml('a'));
    const after = await revision(source);
    expect(after).not.toBe(before);
    await expect(source.files(before)).rejects.toThrow(/no longer on disk/);
    await expect(source.read(file!)).rejects.toThrow(/changed since it was listed/);
  });

  it('says unreadable when the directory is gone, and relates revisions only to themselves', async () => {
    const dir = tempDir().dir;
    const source = new DirectorySource(dir);
    const rev = await revision(source);
    expect(await source.isAncestor(rev, rev)).toBe(true);
    expect(await source.isAncestor(rev, 'worktree-000000000000')).toBe(false);
    fs.rmSync(dir, { recursive: true });
    expect(await source.head()).toMatchObject({ state: 'unreadable' });
  });
});
