/** A folder of files → a new bare repository whose first commit holds them (for `pacific init`). */
import fs from 'node:fs';
import { lstat, mkdir, readdir, readFile, readlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import git, { type TreeEntry } from 'isomorphic-git';

/** The first commit's branch, message and author. */
export interface InitRepositoryOptions {
  /** `main` unless told. */
  readonly branch?: string;
  readonly message?: string;
  readonly author?: { readonly name: string; readonly email: string };
}

/** Creates a bare repository at `bareRepoPath` with one commit of every file of `fromDir` (dot-folders skipped); returns the commit id. Refuses a non-empty target. */
export async function initRepository(bareRepoPath: string, fromDir: string, options: InitRepositoryOptions = {}): Promise<string> {
  const gitdir = resolve(bareRepoPath);
  const source = resolve(fromDir);
  const branch = options.branch ?? 'main';
  const sourceInfo = await lstat(source).catch(() => undefined);
  if (!sourceInfo?.isDirectory()) throw new Error(`cannot create a repository from ${source}: it is not a directory`);
  await refuseExisting(gitdir);

  await mkdir(gitdir, { recursive: true });
  await git.init({ fs, gitdir, bare: true, defaultBranch: branch });
  const tree = await writeFolder(gitdir, source);
  const author = options.author ?? { name: 'pacific', email: 'pacific@localhost' };
  const signature = { ...author, timestamp: Math.floor(Date.now() / 1000), timezoneOffset: new Date().getTimezoneOffset() };
  const message = options.message ?? `Initial manifests from ${source}`;
  const commit = await git.writeCommit({
    fs,
    gitdir,
    commit: { tree: tree ?? (await git.writeTree({ fs, gitdir, tree: [] })), parent: [], author: signature, committer: signature, message: message.endsWith('\n') ? message : `${message}\n` },
  });
  await git.writeRef({ fs, gitdir, ref: `refs/heads/${branch}`, value: commit, force: true });
  return commit;
}

async function refuseExisting(gitdir: string): Promise<void> {
  const info = await lstat(gitdir).catch(() => undefined);
  if (!info) return;
  if (!info.isDirectory()) throw new Error(`refusing to create a repository at ${gitdir}: a file is already there`);
  if ((await readdir(gitdir)).length > 0) throw new Error(`refusing to create a repository at ${gitdir}: the directory exists and is not empty`);
}

/** Writes the blobs and trees of a folder; undefined when it holds no file (Git stores no empty folder). */
async function writeFolder(gitdir: string, dir: string): Promise<string | undefined> {
  const entries: TreeEntry[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name.startsWith('.')) continue;
      const oid = await writeFolder(gitdir, path);
      if (oid) entries.push({ mode: '040000', path: entry.name, oid, type: 'tree' });
    } else if (entry.isSymbolicLink()) {
      // Stored as Git stores a link: a blob holding its target, never the file it points to.
      const oid = await git.writeBlob({ fs, gitdir, blob: new TextEncoder().encode(await readlink(path)) });
      entries.push({ mode: '120000', path: entry.name, oid, type: 'blob' });
    } else if (entry.isFile()) {
      const executable = ((await lstat(path)).mode & 0o111) !== 0;
      const oid = await git.writeBlob({ fs, gitdir, blob: new Uint8Array(await readFile(path)) });
      entries.push({ mode: executable ? '100755' : '100644', path: entry.name, oid, type: 'blob' });
    }
  }
  if (entries.length === 0) return undefined;
  return git.writeTree({ fs, gitdir, tree: entries });
}
