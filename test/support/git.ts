/** The real git CLI for tests: repositories, commits and crafted trees no checkout could make. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { tempDir } from './temp.js';

/** Neither the user's nor the system's git config: a fixed identity, `main`, no signing. */
const ISOLATED = ['-c', 'user.name=pacific-test', '-c', 'user.email=test@pacific.dev', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false'];
const ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' };

/** Runs git in `cwd`; returns trimmed stdout, throws (with stderr) when git fails. */
export function git(cwd: string, ...args: string[]): string {
  return gitBytes(cwd, undefined, ...args).toString('utf8').trim();
}

/** `git` with `input` on its stdin (hash-object --stdin, mktree). */
export function gitWithInput(cwd: string, input: string, ...args: string[]): string {
  return gitBytes(cwd, input, ...args).toString('utf8').trim();
}

/** git's stdout as bytes (cat-file --batch prints objects with their sizes in bytes). */
export function gitBytes(cwd: string, input: string | undefined, ...args: string[]): Buffer {
  return execFileSync('git', [...ISOLATED, ...args], {
    cwd,
    env: ENV,
    maxBuffer: 1 << 30,
    ...(input === undefined ? { stdio: ['ignore', 'pipe', 'pipe'] } : { input, stdio: ['pipe', 'pipe', 'pipe'] }),
  });
}

/** Writes `files` (path → text) under `root`, creating folders. */
export function writeFiles(root: string, files: Readonly<Record<string, string>>): void {
  for (const [path, text] of Object.entries(files)) {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}

/** A non-bare repository (a temp folder) with `files` committed on `main`; returns its path. */
export function workRepo(files: Readonly<Record<string, string>>): string {
  const { dir } = tempDir('pacific-work-');
  git(dir, 'init', '-q');
  writeFiles(dir, files);
  commitAll(dir, 'first');
  return dir;
}

/** Stages everything and commits; returns the new commit id. */
export function commitAll(dir: string, message: string): string {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

/** A bare clone of `workDir` (in a temp folder); returns its path. */
export function bareClone(workDir: string): string {
  const bare = join(tempDir('pacific-bare-').dir, 'repo.git');
  git(tmpdir(), 'clone', '-q', '--bare', workDir, bare);
  return bare;
}

/** A tree as nested folders: a string is a file's text. */
export interface CraftedTree {
  readonly [name: string]: string | CraftedTree;
}

/**
 * A commit in the bare repo `gitdir` whose tree is written object by object with `git mktree`, so it
 * can hold names a checkout refuses (`..`, `.git`); `refs/heads/main` moves to it. Returns its id.
 */
export function craftedCommit(gitdir: string, tree: CraftedTree, parent?: string): string {
  const write = (node: CraftedTree): string => {
    const entries = Object.entries(node).map(([name, child]) =>
      typeof child === 'string'
        ? `100644 blob ${gitWithInput(tmpdir(), child, '--git-dir', gitdir, 'hash-object', '-w', '--stdin')}\t${name}`
        : `040000 tree ${write(child)}\t${name}`,
    );
    return gitWithInput(tmpdir(), entries.map((e) => `${e}\n`).join(''), '--git-dir', gitdir, 'mktree');
  };
  const commit = git(tmpdir(), '--git-dir', gitdir, 'commit-tree', write(tree), ...(parent ? ['-p', parent] : []), '-m', 'crafted');
  git(tmpdir(), '--git-dir', gitdir, 'update-ref', 'refs/heads/main', commit);
  return commit;
}
