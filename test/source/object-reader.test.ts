/**
 * The direct object reader against git itself: every blob of real repositories, packed with offset
 * deltas, with ref deltas and not at all, reads as `git cat-file` prints it; a corrupt object throws.
 */
import fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import isogit from 'isomorphic-git';
import { parseTree } from '../../daemon/source/git-tree.js';
import { ObjectReader } from '../../daemon/source/object-reader.js';
import { GitSource } from '../../daemon/source/git-source.js';
import { commitAll, git, gitBytes, workRepo, writeFiles } from '../support/git.js';
import { removeTempDirs } from '../support/temp.js';

afterEach(removeTempDirs);

/** Similar manifests (so git stores most as deltas), changed over a few commits. */
function manyVersions(): string {
  const files: Record<string, string> = {};
  for (let i = 0; i < 120; i++) files[`namespaces/ns-${i % 6}/vm-${i}.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vm-${i}\ndata:\n  note: ${'x'.repeat(200)}\n  index: "${i}"\n`;
  const work = workRepo(files);
  for (let round = 0; round < 4; round++) {
    for (let i = round; i < 120; i += 7) files[`namespaces/ns-${i % 6}/vm-${i}.yaml`] += `  round${round}: "${'y'.repeat(i % 50)}"\n`;
    writeFiles(work, files);
    commitAll(work, `round ${round}`);
  }
  return work;
}

/** Every blob of the repo and its bytes, as git itself prints them (two processes, not one per object). */
function everyBlob(work: string): Map<string, Buffer> {
  const objects = git(work, 'cat-file', '--batch-all-objects', '--batch-check=%(objectname) %(objecttype)');
  const blobs = objects.split('\n').filter((l) => l.endsWith(' blob')).map((l) => l.split(' ')[0]!);
  const out = gitBytes(work, blobs.join('\n') + '\n', 'cat-file', '--batch');
  const contents = new Map<string, Buffer>();
  let at = 0;
  for (const oid of blobs) {
    const eol = out.indexOf(0x0a, at);
    const size = Number(out.subarray(at, eol).toString().split(' ')[2]);
    contents.set(oid, out.subarray(eol + 1, eol + 1 + size));
    at = eol + 1 + size + 1;
  }
  return contents;
}

function expectSameAsGit(work: string): void {
  const reader = new ObjectReader(join(work, '.git'));
  const blobs = everyBlob(work);
  expect(blobs.size).toBeGreaterThan(150);
  for (const [oid, content] of blobs) {
    const object = reader.read(oid);
    expect(object?.type).toBe('blob');
    expect(object!.data.equals(content)).toBe(true);
  }
}

describe('ObjectReader', () => {
  it('reads loose objects', () => expectSameAsGit(manyVersions()));

  it('reads a pack with offset deltas', () => {
    const work = manyVersions();
    git(work, 'gc', '-q', '--aggressive');
    expect(fs.readdirSync(join(work, '.git/objects/pack')).some((n) => n.endsWith('.pack'))).toBe(true);
    expectSameAsGit(work);
  });

  it('parses every tree as isomorphic-git does: names, ids and modes (executables, symlinks, submodules, folders)', async () => {
    const work = manyVersions();
    fs.writeFileSync(join(work, 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
    fs.symlinkSync('namespaces', join(work, 'link'));
    fs.mkdirSync(join(work, 'naïve dir'));
    fs.writeFileSync(join(work, 'naïve dir', 'a b.yaml'), 'x: 1\n');
    git(work, 'add', '-A');
    git(work, 'update-index', '--add', '--cacheinfo', `160000,${git(work, 'rev-parse', 'HEAD')},vendor`);
    git(work, 'commit', '-qm', 'modes');
    git(work, 'gc', '-q');
    const gitdir = join(work, '.git');
    const reader = new ObjectReader(gitdir);
    const trees = git(work, 'cat-file', '--batch-all-objects', '--batch-check=%(objectname) %(objecttype)')
      .split('\n')
      .filter((l) => l.endsWith(' tree'))
      .map((l) => l.split(' ')[0]!);
    expect(trees.length).toBeGreaterThan(20);
    const modes = new Set<string>();
    for (const oid of trees) {
      const object = reader.read(oid)!;
      expect(object.type).toBe('tree');
      const parsed = parseTree(object.data);
      expect(parsed).toEqual((await isogit.readTree({ fs, gitdir, oid })).tree);
      for (const e of parsed) modes.add(e.mode);
    }
    expect([...modes].sort()).toEqual(['040000', '100644', '100755', '120000', '160000']);
  });

  it('refuses tree entries no checkout may write, as isomorphic-git does', () => {
    const tree = (name: string) => Buffer.concat([Buffer.from(`100644 ${name}\0`), Buffer.alloc(20, 0xab)]);
    expect(parseTree(tree('vm.yaml'))).toEqual([{ mode: '100644', path: 'vm.yaml', oid: 'ab'.repeat(20), type: 'blob' }]);
    for (const name of ['..', '.', 'a/b', 'a\\b', '.git', '.GIT', '.git. ', 'git~1', '.git::$INDEX_ALLOCATION', '.g\u200Cit']) {
      expect(() => parseTree(tree(name)), name).toThrow('contains unsafe character sequences');
    }
  });

  it('reads a pack with ref deltas', () => {
    const work = manyVersions();
    git(work, '-c', 'repack.useDeltaBaseOffset=false', 'repack', '-adfq', '--depth=50', '--window=50');
    expectSameAsGit(work);
  });

  it('throws for a corrupt object instead of returning its content, and the source says why', async () => {
    const work = workRepo({ 'a.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n' });
    const oid = git(work, 'rev-parse', 'HEAD:a.yaml');
    const path = join(work, '.git/objects', oid.slice(0, 2), oid.slice(2));
    fs.chmodSync(path, 0o644);
    const { deflateSync } = await import('node:zlib');
    fs.writeFileSync(path, deflateSync(Buffer.from('blob 5\0hello')));
    expect(() => new ObjectReader(join(work, '.git')).read(oid)).toThrow(/corrupt/);
    await expect(new GitSource({ gitdir: join(work, '.git') }).read({ path: 'a.yaml', blobId: oid })).rejects.toThrow(/corrupt/);
  });
});
