/** `pacific validate` through the real CLI reads a clone as `diff` does: the files on disk, or a commit with --ref/--branch. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/daemon-process.js';
import { vmYaml } from '../support/fixtures.js';
import { git } from '../support/git.js';
import { tempDir } from '../support/temp.js';

let tmp: ReturnType<typeof tempDir>;
let repo: string;

beforeAll(() => {
  tmp = tempDir('pacific-validate-');
  repo = join(tmp.dir, 'gitops.git');
  expect(runCli(['init', repo]).code).toBe(0);
});
afterAll(() => tmp?.cleanup());

describe('pacific validate of a clone', () => {
  it('reads the files on disk, uncommitted and untracked edits included, and a commit with --ref or --branch', () => {
    const work = join(tmp.dir, 'clone');
    git(tmp.dir, 'clone', '-q', repo, work);
    const clean = runCli(['validate', work]);
    expect(clean.code).toBe(0);
    expect(clean.stderr).toMatch(/^20 object\(s\) in 7 file\(s\) are valid \(revision worktree-[0-9a-f]{12}\)$/m);

    // A tracked file edited and a new file never added: both are what the next commit would hold.
    const tracked = join(work, 'namespaces/team-a/typo.yaml');
    writeFileSync(tracked, vmYaml('team-a', 'typo'));
    git(work, 'add', 'namespaces/team-a/typo.yaml');
    git(work, 'commit', '-q', '-m', 'typo VM, valid for now');
    writeFileSync(tracked, vmYaml('team-a', 'typo').replace('className', 'classname'));
    writeFileSync(join(work, 'namespaces/team-b/untracked.yaml'), vmYaml('team-b', 'agent-9').replace('imageName', 'imagename'));
    // Git's own files are not manifests.
    writeFileSync(join(work, '.git/stray.yaml'), 'kind: [not a manifest\n');
    const onDisk = runCli(['validate', work]);
    expect(onDisk.code).toBe(1);
    expect(onDisk.stdout).toContain('namespaces/team-a/typo.yaml:7:3: VirtualMachine/team-a/typo: spec.classname: unknown field "classname"');
    expect(onDisk.stdout).toContain('namespaces/team-b/untracked.yaml:8:3: VirtualMachine/team-b/agent-9: spec.imagename: unknown field "imagename"');
    expect(onDisk.stdout).not.toContain('stray.yaml');
    expect(onDisk.stderr).toMatch(/^2 problem\(s\) in 9 file\(s\); revision worktree-[0-9a-f]{12} would not be applied$/m);

    const head = git(work, 'rev-parse', 'HEAD');
    for (const commit of [['--ref', 'HEAD'], ['--branch', 'main']]) {
      const committed = runCli(['validate', work, ...commit]);
      expect(committed.code, commit.join(' ')).toBe(0);
      expect(committed.stderr).toContain(`21 object(s) in 8 file(s) are valid (revision ${head})`);
    }
    // The bare repository has neither the commit nor the edits: its HEAD branch as pushed.
    const bare = runCli(['validate', repo]);
    expect(bare.code).toBe(0);
    expect(bare.stderr).toContain(`20 object(s) in 7 file(s) are valid (revision ${git(repo, 'rev-parse', 'main')})`);
  });
});
