/** Finding the Git directory of a bare or non-bare repository on disk. */
import { lstat, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** True when `dir` has the shape of a Git directory: a `HEAD` file, `objects/` and `refs/`. */
export async function isGitDir(dir: string): Promise<boolean> {
  const [head, objects, refs] = await Promise.all(
    ['HEAD', 'objects', 'refs'].map((name) => stat(join(dir, name)).catch(() => undefined)),
  );
  return Boolean(head?.isFile() && objects?.isDirectory() && refs?.isDirectory());
}

/** The Git directory of the repository at `path` (`path/.git`, a `.git` file's target, or `path` when bare); undefined for a plain directory. */
export async function findGitDir(path: string): Promise<string | undefined> {
  const root = resolve(path);
  const dotGit = join(root, '.git');
  const entry = await lstat(dotGit).catch(() => undefined);
  if (entry?.isDirectory()) return dotGit;
  if (entry?.isFile()) {
    // A `.git` file (submodule checkout, separate git dir) names the real Git directory.
    const target = /^gitdir:\s*(.+?)\s*$/m.exec(await readFile(dotGit, 'utf8'))?.[1];
    if (target) return resolve(root, target);
  }
  return (await isGitDir(root)) ? root : undefined;
}

/** The branch a repository's `HEAD` names (`ref: refs/heads/<branch>`); undefined when HEAD is detached or unreadable. */
export async function headBranch(gitdir: string): Promise<string | undefined> {
  const head = await readFile(join(gitdir, 'HEAD'), 'utf8').catch(() => '');
  return /^ref:\s*refs\/heads\/(\S+)\s*$/.exec(head)?.[1];
}
