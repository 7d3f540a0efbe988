/**
 * Loading a revision as the files it changed: the loader's `verify` mode lists every such revision
 * in full and assembles it from scratch, and throws on any difference; these tests walk commits
 * through adds, edits, removals, duplicates, invalid files, reverts and symlinks.
 */
import fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RevisionLoader } from '../../daemon/controller/load-revision.js';
import { GitSource } from '../../daemon/source/git-source.js';
import { SqliteStore } from '../../daemon/store/sqlite-store.js';
import { schemas, namespaceYaml } from '../support/fixtures.js';
import { commitAll, git, workRepo, writeFiles } from '../support/git.js';
import { removeTempDirs, tempDir } from '../support/temp.js';

afterEach(removeTempDirs);

const stores: SqliteStore[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

function loaderFor(work: string, options: { store?: boolean } = {}): { loader: RevisionLoader; source: GitSource } {
  const source = new GitSource({ gitdir: join(work, '.git') });
  const store = options.store === false ? undefined : SqliteStore.open(tempDir('pacific-state-').dir);
  if (store) stores.push(store);
  return { loader: new RevisionLoader(source, schemas, store, undefined, {}, true), source };
}

const names = (objects: readonly { name: string }[]) => objects.map((o) => o.name).sort();

describe('RevisionLoader, from changes', () => {
  it('loads only the changed files and says what they declare now and declared before', async () => {
    const work = workRepo({ 'a.yaml': namespaceYaml('a'), 'b.yaml': namespaceYaml('b'), 'c.yaml': namespaceYaml('c') });
    const { loader } = loaderFor(work);
    const first = await loader.load(git(work, 'rev-parse', 'HEAD'));
    expect(first.changes).toBeUndefined();
    writeFiles(work, { 'b.yaml': namespaceYaml('b2'), 'd.yaml': namespaceYaml('d') });
    fs.rmSync(join(work, 'c.yaml'));
    const second = await loader.load(commitAll(work, 'second'));
    expect(names(second.objects)).toEqual(['a', 'b2', 'd']);
    expect(second.objects.find((o) => o.name === 'a')).toBe(first.objects.find((o) => o.name === 'a'));
    expect(names(second.changes!.declared)).toEqual(['b2', 'd']);
    expect(names(second.changes!.withdrawn)).toEqual(['b', 'c']);
    expect(second.changes!.from).toBe(first.revision);
  });

  it('reports an object declared in two files, and stops when one goes', async () => {
    const work = workRepo({ 'a.yaml': namespaceYaml('a'), 'b.yaml': namespaceYaml('b') });
    const { loader } = loaderFor(work);
    await loader.load(git(work, 'rev-parse', 'HEAD'));
    writeFiles(work, { 'z.yaml': namespaceYaml('a'), 'b.yaml': 'kind: Namespace\n' });
    const broken = await loader.load(commitAll(work, 'duplicate and invalid'));
    expect(broken.diagnostics.map((d) => `${d.code} ${d.file}`)).toEqual(['DuplicateObject a.yaml', 'MissingTypeMeta b.yaml', 'DuplicateObject z.yaml']);
    expect(names(broken.objects)).toEqual([]);
    fs.rmSync(join(work, 'a.yaml'));
    writeFiles(work, { 'b.yaml': namespaceYaml('b') });
    const fixed = await loader.load(commitAll(work, 'fixed'));
    expect(fixed.diagnostics).toEqual([]);
    expect(names(fixed.objects)).toEqual(['a', 'b']);
  });

  it('takes a file reverted to an earlier blob from the store, and goes back and forth between revisions', async () => {
    const work = workRepo({ 'a.yaml': namespaceYaml('a') });
    const { loader } = loaderFor(work);
    const first = git(work, 'rev-parse', 'HEAD');
    await loader.load(first);
    writeFiles(work, { 'a.yaml': namespaceYaml('a2') });
    const second = commitAll(work, 'edit');
    expect(names((await loader.load(second)).objects)).toEqual(['a2']);
    expect(names((await loader.load(first)).objects)).toEqual(['a']);
    expect(names((await loader.load(second)).objects)).toEqual(['a2']);
  });

  it('lists the commit in full when a symlink changed, and works without a store', async () => {
    const work = workRepo({ 'a.yaml': namespaceYaml('a') });
    const { loader } = loaderFor(work, { store: false });
    await loader.load(git(work, 'rev-parse', 'HEAD'));
    fs.symlinkSync('a.yaml', join(work, 'link.yaml'));
    writeFiles(work, { 'b.yaml': namespaceYaml('b') });
    const linked = await loader.load(commitAll(work, 'link'));
    expect(linked.changes).toBeUndefined();
    expect(linked.diagnostics.map((d) => `${d.severity} ${d.file}`)).toEqual(['warning link.yaml']);
    writeFiles(work, { 'c.yaml': namespaceYaml('c') });
    const next = await loader.load(commitAll(work, 'more'));
    expect(names(next.changes!.declared)).toEqual(['c']);
    expect(next.diagnostics.map((d) => `${d.severity} ${d.file}`)).toEqual(['warning link.yaml']);
  });
});
