import fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../daemon/base/clock.js';
import { watchRefs, type RefChangeEvent, type RefWatcher, type RefWatchState } from '../../daemon/source/ref-watcher.js';
import { commitAll, git, writeFiles } from '../support/git.js';
import { namespaceYaml } from '../support/fixtures.js';
import { removeTempDirs, tempDir } from '../support/temp.js';

const watchers: RefWatcher[] = [];
afterEach(async () => {
  await Promise.all(watchers.splice(0).map((w) => w.close()));
  removeTempDirs();
});

/** Records events and lets a test wait for the next one. */
class Events {
  readonly seen: RefChangeEvent[] = [];
  #waiters: (() => void)[] = [];
  readonly push = (event: RefChangeEvent): void => {
    this.seen.push(event);
    for (const wake of this.#waiters.splice(0)) wake();
  };
  /** Resolves when more than `count` events have arrived; fails after a few seconds. */
  async after(count: number, what: string): Promise<RefChangeEvent> {
    const deadline = Date.now() + 5_000;
    while (this.seen.length <= count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ref event after ${what}`);
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          wake();
        });
      });
    }
    return this.seen[this.seen.length - 1]!;
  }
}

/** A bare repository with one commit on main, and a clone of it to push from. */
function remoteAndClone(): { bare: string; clone: string } {
  const root = tempDir().dir;
  const bare = join(root, 'remote.git');
  git(root, 'init', '-q', '--bare', bare);
  const clone = join(root, 'clone');
  git(root, 'clone', '-q', bare, clone);
  writeFiles(clone, { 'a.yaml': namespaceYaml('a') });
  commitAll(clone, 'first');
  git(clone, 'push', '-q', 'origin', 'main');
  return { bare, clone };
}

async function start(gitdir: string, branch: string, events: Events): Promise<RefWatcher> {
  const watcher = watchRefs(gitdir, branch, events.push);
  watchers.push(watcher);
  await watcher.ready;
  return watcher;
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('watchRefs', () => {
  it('re-arms after the repository folder is moved away and back, and says while pushes are seen only by polling', async () => {
    const { bare, clone } = remoteAndClone();
    const events = new Events();
    const states: RefWatchState[] = [];
    const watcher = watchRefs(bare, 'main', events.push, systemClock, (s) => states.push(s));
    watchers.push(watcher);
    await watcher.ready;
    expect(watcher.state()).toEqual({ mode: 'events' });
    fs.renameSync(bare, `${bare}.away`);
    await until(() => watcher.state().mode === 'polling', 'polling');
    expect(watcher.state().message).toBe(`the repository folder ${bare} went away: pushes are seen only by the resync until it is back`);
    fs.renameSync(`${bare}.away`, bare);
    await until(() => watcher.state().mode === 'events', 'the watch re-armed');
    expect(states.map((s) => s.mode)).toEqual(['polling', 'events']);
    await new Promise((r) => setTimeout(r, 100));
    const before = events.seen.length;
    writeFiles(clone, { 'b.yaml': namespaceYaml('b') });
    commitAll(clone, 'after the move');
    git(clone, 'push', '-q', 'origin', 'main');
    const pushed = await events.after(before, 'a push after the folder came back');
    expect(pushed.refMtimeMs).toBe(fs.statSync(join(bare, 'refs/heads/main')).mtimeMs);
  });

  it('fires after each git push to a bare repository, with the ref mtime, and after the branch is deleted', async () => {
    const { bare, clone } = remoteAndClone();
    const events = new Events();
    await start(bare, 'main', events);

    writeFiles(clone, { 'b.yaml': namespaceYaml('b') });
    commitAll(clone, 'second');
    git(clone, 'push', '-q', 'origin', 'main');
    const pushed = await events.after(0, 'the first push');
    expect(pushed.refMtimeMs).toBe(fs.statSync(join(bare, 'refs/heads/main')).mtimeMs);
    expect(pushed.at).toBeGreaterThan(0);

    // A second push replaces the ref file again (write main.lock, rename): still seen.
    writeFiles(clone, { 'c.yaml': namespaceYaml('c') });
    commitAll(clone, 'third');
    git(clone, 'push', '-q', 'origin', 'main');
    await events.after(events.seen.length, 'the second push');

    const before = events.seen.length;
    git(bare, 'branch', '-D', 'main');
    const deleted = await events.after(before, 'deleting the branch');
    expect(deleted.refMtimeMs).toBeUndefined();
  });

  it('follows a branch with a slash, and ignores pushes to other branches', async () => {
    const { bare, clone } = remoteAndClone();
    const events = new Events();
    await start(bare, 'feature/x', events);

    git(clone, 'push', '-q', 'origin', 'main:other');
    await new Promise((wake) => setTimeout(wake, 300));
    expect(events.seen).toEqual([]);

    git(clone, 'push', '-q', 'origin', 'main:feature/x');
    await events.after(0, 'pushing feature/x');
  });

  it('fires when refs are packed (the loose ref disappears into packed-refs)', async () => {
    const { bare } = remoteAndClone();
    const events = new Events();
    await start(bare, 'main', events);
    git(bare, 'pack-refs', '--all');
    await events.after(0, 'git pack-refs');
  });

  it('fires when a commit lands in a non-bare repository', async () => {
    const { clone } = remoteAndClone();
    const events = new Events();
    await start(join(clone, '.git'), 'main', events);
    writeFiles(clone, { 'd.yaml': namespaceYaml('d') });
    commitAll(clone, 'local');
    await events.after(0, 'a local commit');
  });

  it('survives the repository being deleted, and closes cleanly afterwards', async () => {
    const { bare } = remoteAndClone();
    const events = new Events();
    const watcher = await start(bare, 'main', events);
    fs.rmSync(bare, { recursive: true, force: true });
    await events.after(0, 'deleting the repository');
    await watcher.close();
    await watcher.close();
  });

  it('starts on a missing directory without throwing', async () => {
    const events = new Events();
    const watcher = watchRefs(join(tempDir().dir, 'missing.git'), 'main', events.push);
    watchers.push(watcher);
    await watcher.ready;
    expect(events.seen).toEqual([]);
  });
});
