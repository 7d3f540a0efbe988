/**
 * Reading a repository without trusting it (issue 17): inflate bombs refused at the object header
 * (loose, packed, delta), tree bombs refused while listing, naming the folder, names that are not
 * UTF-8 refused the same way by every path, and diagnostics bounded per revision. The peak RSS of
 * `pacific validate` under each bomb is measured in a child process.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RevisionLoader } from '../../daemon/controller/load-revision.js';
import { SchemaRegistry } from '../../daemon/manifests/schema-registry.js';
import { formatDiagnostic } from '../../daemon/manifests/types.js';
import type { ManifestLimits } from '../../daemon/base/input-limits.js';
import { ObjectTooLarge } from '../../daemon/source/git-object.js';
import { ObjectReader } from '../../daemon/source/object-reader.js';
import { DirectorySource } from '../../daemon/source/directory-source.js';
import { GitSource } from '../../daemon/source/git-source.js';
import { FileTooLarge } from '../../daemon/source/types.js';
import { CLI } from '../support/daemon-process.js';
import { git } from '../support/git.js';
import { blob, commitTree, deltaBomb, looseZeroBlob, mktree, packedZeroBlob, treeBomb } from '../support/hostile-git.js';
import { removeTempDirs, tempDir } from '../support/temp.js';

afterEach(removeTempDirs);

const MiB = 2 ** 20;
const BOMB = 512 * MiB;
const NS = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;

function bareRepo(): string {
  const dir = join(tempDir('pacific-hostile-').dir, 'repo.git');
  git(tmpdir(), 'init', '-q', '--bare', '-b', 'main', dir);
  return dir;
}

/** A commit on main whose tree holds `ok.yaml` and the given entries. */
function commitWith(gitdir: string, entries: Parameters<typeof mktree>[1]): string {
  return commitTree(gitdir, mktree(gitdir, [{ mode: '100644', type: 'blob', oid: blob(gitdir, NS('ok')), name: 'ok.yaml' }, ...entries]));
}

/** `pacific validate` in a child, and its peak resident memory (VmHWM) in MiB. */
function validateWithPeak(repo: string, ...args: string[]): { code: number; stdout: string; peakMiB: number } {
  const hook = `import{readFileSync}from"node:fs";process.on("exit",()=>process.stderr.write("VmHWM "+/VmHWM:\\s*(\\d+)/.exec(readFileSync("/proc/self/status","utf8"))[1]+"\\n"))`;
  const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(hook)}`, CLI, 'validate', repo, '--no-tenancy', ...args], { encoding: 'utf8', timeout: 60_000 });
  const peak = /VmHWM (\d+)/.exec(r.stderr)?.[1];
  if (!peak) throw new Error(`no peak reported:\n${r.stderr}`);
  return { code: r.status ?? -1, stdout: r.stdout, peakMiB: Number(peak) / 1024 };
}

async function load(source: GitSource | DirectorySource, revision: string, loader = new RevisionLoader(source, SchemaRegistry.load())): Promise<string[]> {
  return (await loader.load(revision)).diagnostics.map(formatDiagnostic);
}

describe('inflate bombs', () => {
  for (const [kind, make] of [
    ['loose', looseZeroBlob],
    ['packed', packedZeroBlob],
    ['delta', deltaBomb],
  ] as const) {
    it(`refuses a ${kind} object stating 512 MiB at its header, inflating nothing`, async () => {
      const gitdir = bareRepo();
      const oid = make(gitdir, BOMB);
      const reader = new ObjectReader(gitdir);
      expect(reader.header(oid)).toEqual({ type: 'blob', size: BOMB });
      const before = process.memoryUsage().arrayBuffers;
      const refused = (() => {
        try {
          reader.read(oid, MiB);
        } catch (error) {
          return error;
        }
      })();
      expect(refused).toBeInstanceOf(ObjectTooLarge);
      expect(refused).toMatchObject({ size: BOMB, limit: MiB });
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(8 * MiB);
      await expect(new GitSource({ gitdir }).read({ path: 'bomb.yaml', blobId: oid })).rejects.toBeInstanceOf(FileTooLarge);
    });
  }

  it('pacific validate refuses a 512 MiB loose blob by its header, with peak RSS under 200 MiB', () => {
    const gitdir = bareRepo();
    commitWith(gitdir, [{ mode: '100644', type: 'blob', oid: looseZeroBlob(gitdir, BOMB), name: 'bomb.yaml' }]);
    const { code, stdout, peakMiB } = validateWithPeak(gitdir);
    expect(code).toBe(1);
    // The total-bytes bound (128 MiB) sees the header first: the revision is not read at all.
    expect(stdout).toContain('.:1:1: -: -: 536,870,964 bytes of manifests here, more than 134,217,728 a revision may have (limit maxTotalBytes)');
    expect(peakMiB).toBeLessThan(200);
    const alone = validateWithPeak(gitdir, '--limit', 'bytes=1Gi');
    expect(alone.stdout).toContain('bomb.yaml:1:1: -: -: file is 536,870,912 bytes; the limit is 1,048,576 (maxFileBytes): not read');
    expect(alone.peakMiB).toBeLessThan(200);
    console.log(`peak RSS of pacific validate: ${peakMiB.toFixed(0)} MiB (revision bound), ${alone.peakMiB.toFixed(0)} MiB (file bound) under a 512 MiB loose blob`);
  });
});

describe('tree bombs', () => {
  it('refuses six trees describing 1,000,000 files while listing, with peak RSS under 200 MiB', () => {
    const gitdir = bareRepo();
    commitWith(gitdir, [{ mode: '040000', type: 'tree', oid: treeBomb(gitdir, 6, 10), name: 'bomb' }]);
    const started = performance.now();
    const { code, stdout, peakMiB } = validateWithPeak(gitdir);
    expect(code).toBe(1);
    expect(stdout.trim()).toBe('bomb/:1:1: -: -: 1,000,000 manifest files here, more than 100,000 a revision may have (limit maxFiles)');
    expect(peakMiB).toBeLessThan(200);
    console.log(`tree bomb (10^6 files): refused in ${(performance.now() - started).toFixed(0)} ms, peak RSS ${peakMiB.toFixed(0)} MiB`);
  });

  it('bounds files, bytes, folder depth and entries per tree, naming the folder', async () => {
    const gitdir = bareRepo();
    const revision = commitWith(gitdir, [{ mode: '040000', type: 'tree', oid: treeBomb(gitdir, 3, 4), name: 'apps' }]);
    const refusal = async (limits: Partial<ManifestLimits>) => load(new GitSource({ gitdir, limits }), revision);
    expect(await refusal({ maxFiles: 20 })).toEqual(['apps/:1:1: -: -: 64 manifest files here, more than 20 a revision may have (limit maxFiles)']);
    expect(await refusal({ maxFiles: 10 })).toEqual(['apps/d0/:1:1: -: -: 16 manifest files here, more than 10 a revision may have (limit maxFiles)']);
    expect(await refusal({ maxTotalBytes: 1000 })).toEqual(['apps/:1:1: -: -: 3,456 bytes of manifests here, more than 1,000 a revision may have (limit maxTotalBytes)']);
    expect(await refusal({ maxPathDepth: 1 })).toEqual(['apps/d0/:1:1: -: -: folders nest more than 1 deep here (limit maxPathDepth)']);
    expect(await refusal({ maxTreeEntries: 3 })).toEqual(['apps/:1:1: -: -: the folder has 4 entries, more than 3 (limit maxTreeEntries)']);
    // Within the bounds the revision is read: its 64 files declare one Namespace 64 times.
    const within = await refusal({ maxFiles: 65 });
    expect(within).toHaveLength(64);
    expect(within.every((d) => d.includes('the same object is declared 64 times'))).toBe(true);
  });

  it('refuses a bomb pushed after a good revision (the incremental path) and keeps the good one loadable', async () => {
    const gitdir = bareRepo();
    const good = commitWith(gitdir, []);
    const source = new GitSource({ gitdir });
    const loader = new RevisionLoader(source, SchemaRegistry.load());
    expect(await load(source, good, loader)).toEqual([]);
    const bomb = commitWith(gitdir, [{ mode: '040000', type: 'tree', oid: treeBomb(gitdir, 6, 10), name: 'bomb' }]);
    expect(await load(source, bomb, loader)).toEqual(['bomb/:1:1: -: -: 1,000,000 manifest files here, more than 100,000 a revision may have (limit maxFiles)']);
    expect((await loader.load(good)).objects.map((o) => o.name)).toEqual(['ok']);
  });
});

describe('file names are bytes', () => {
  const names = [Buffer.from([0xff, ...Buffer.from('.yaml')]), Buffer.from([0xfe, ...Buffer.from('.yaml')]), Buffer.from('\uFFFD.yaml')];

  it('refuses a name that is not UTF-8 with its escaped bytes, the same in a full listing, an incremental load and pacific validate', async () => {
    const gitdir = bareRepo();
    const good = commitWith(gitdir, []);
    const hostile = commitWith(gitdir, names.map((name, i) => ({ mode: '100644', type: 'blob' as const, oid: blob(gitdir, NS(`n${i}`)), name })));
    const expected = ['\\xfe.yaml:1:1: -: -: the name is not UTF-8 (its bytes are shown escaped): names that decode alike would be one file to one reader and two to another'];
    expect(await load(new GitSource({ gitdir }), hostile)).toEqual(expected);
    const daemonLike = new RevisionLoader(new GitSource({ gitdir }), SchemaRegistry.load());
    await daemonLike.load(good);
    expect((await daemonLike.load(hostile)).diagnostics.map(formatDiagnostic)).toEqual(expected);
    const cli = validateWithPeak(gitdir);
    expect(cli.code).toBe(1);
    expect(cli.stdout.trim()).toBe(expected[0]);
  });

  it('refuses the same names in a plain directory', async () => {
    const dir = tempDir().dir;
    fs.writeFileSync(join(dir, 'ok.yaml'), NS('ok'));
    fs.writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), names[0]!]), NS('n0'));
    const source = new DirectorySource(dir);
    const head = await source.head();
    expect(head.state).toBe('commit');
    const loaded = await new RevisionLoader(source, SchemaRegistry.load()).load((head as { commit: string }).commit);
    expect(loaded.diagnostics.map(formatDiagnostic)).toEqual(['\\xff.yaml:1:1: -: -: the name is not UTF-8 (its bytes are shown escaped): names that decode alike would be one file to one reader and two to another']);
  });
});

describe('a corrupt object repaired in place', () => {
  it('is read again by the same source once the pack is repaired (a new file under the same name)', async () => {
    const gitdir = bareRepo();
    const note = Array.from({ length: 200 }, (_, i) => (i * 7919).toString(36)).join('');
    const oid = blob(gitdir, `${NS('big')}  annotations:\n    note: "${note}"\n`);
    commitWith(gitdir, [{ mode: '100644', type: 'blob', oid, name: 'big.yaml' }]);
    execFileSync('git', ['--git-dir', gitdir, 'repack', '-adq']);
    const idx = fs.readdirSync(join(gitdir, 'objects/pack')).find((n) => n.endsWith('.idx'))!;
    const pack = join(gitdir, 'objects/pack', idx.replace(/\.idx$/, '.pack'));
    const offset = Number(execFileSync('git', ['show-index'], { input: fs.readFileSync(join(gitdir, 'objects/pack', idx)) }).toString().split('\n').find((l) => l.includes(oid))!.split(' ')[0]);
    const good = fs.readFileSync(pack);
    const bad = Buffer.from(good);
    bad[offset + 40] = bad[offset + 40]! ^ 0xff;
    const replace = (bytes: Buffer) => {
      fs.writeFileSync(`${pack}.tmp`, bytes);
      fs.renameSync(`${pack}.tmp`, pack);
    };
    const source = new GitSource({ gitdir });
    replace(bad);
    await expect(source.read({ path: 'big.yaml', blobId: oid })).rejects.toThrow(/corrupt/);
    replace(good);
    expect(Buffer.from(await source.read({ path: 'big.yaml', blobId: oid })).toString()).toContain(note);
  });
});

describe('diagnostic floods', () => {
  it('keeps at most maxDiagnosticsPerRevision diagnostics and counts the rest', async () => {
    const gitdir = bareRepo();
    const bad = blob(gitdir, '---\na: 1\n'.repeat(5));
    const revision = commitTree(gitdir, mktree(gitdir, Array.from({ length: 30 }, (_, i) => ({ mode: '100644', type: 'blob' as const, oid: bad, name: `f${String(i).padStart(2, '0')}.yaml` }))));
    const all = await load(new GitSource({ gitdir }), revision);
    expect(all).toHaveLength(300);
    const loaded = await new RevisionLoader(new GitSource({ gitdir }), SchemaRegistry.load(), undefined, undefined, { limits: { maxDiagnosticsPerRevision: 10 } }).load(revision);
    expect(loaded.diagnostics).toHaveLength(11);
    expect(loaded.diagnostics.slice(0, 10)).toEqual((await new RevisionLoader(new GitSource({ gitdir }), SchemaRegistry.load()).load(revision)).diagnostics.slice(0, 10));
    expect(formatDiagnostic(loaded.diagnostics[10]!)).toBe('f01.yaml:2:1: -: -: 290 more problems in 29 file(s) from here on are not listed (limit maxDiagnosticsPerRevision)');
    expect(loaded.diagnostics[10]!.severity).toBe('error');
  });
});
