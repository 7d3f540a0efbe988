/** Temp folders and real Git repositories built with the git CLI, for the source tests. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';

const created: string[] = [];

/** A fresh temp directory, removed by `removeTempDirs`. */
export function tempDir(prefix = 'pacific-source-'): string {
  const dir = fs.mkdtempSync(join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes every temp directory made so far. */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Runs git in `cwd` with a fixed identity and no user or system config; returns trimmed stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** Writes `files` (path → text) under `root`, creating folders. */
export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    const file = join(root, path);
    fs.mkdirSync(dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}

/** A non-bare repository with `files` committed on `main`; returns its path. */
export function workRepo(files: Record<string, string>): string {
  const dir = tempDir('pacific-work-');
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

/** A bare clone of `workDir`; returns its path. */
export function bareClone(workDir: string): string {
  const bare = join(tempDir('pacific-bare-'), 'repo.git');
  git(os.tmpdir(), 'clone', '-q', '--bare', workDir, bare);
  return bare;
}

/** A namespace manifest text. */
export function namespace(name: string): string {
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;
}
