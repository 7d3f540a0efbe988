/**
 * Branch ref changes → "look again" events. Watches `refs/heads/` (recursively, for `feature/x`),
 * `packed-refs` and `HEAD` of a Git directory with chokidar; everything else in it is ignored.
 *
 * An inotify watch follows a folder's inode, not its path: after the repository is moved away (or
 * replaced) and back, the watch sees nothing at the path again. The path's identity is checked
 * every second; when it is gone the watcher says pushes are seen by polling only (the resync), and
 * when it is back (the same folder or another) the watch is made again and a change is reported.
 */
import { statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { watch } from 'chokidar';
import { systemClock, type Clock } from '../base/clock.js';

/** A change of the watched branch: when it was seen and, for a loose ref, when git wrote it. */
export interface RefChangeEvent {
  /** The clock's time at the first file event of the burst. */
  readonly at: number;
  /** mtime of `refs/heads/<branch>` when it exists as a loose file: when the push landed. */
  readonly refMtimeMs?: number;
}

/** Whether pushes are seen as they land or only by the resync, and why. */
export interface RefWatchState {
  readonly mode: 'events' | 'polling';
  readonly message?: string;
}

/** A running ref watcher. */
export interface RefWatcher {
  /** Resolves once the initial scan is done and later changes will be reported. */
  readonly ready: Promise<void>;
  /** How pushes are seen now. */
  state(): RefWatchState;
  /** Stops watching; no event is delivered afterwards. */
  close(): Promise<void>;
}

const DEBOUNCE_MS = 10;
/** How often the repository's folder is checked for having moved or been replaced. */
export const REARM_CHECK_MS = 1000;

/** The folder's identity at a path (device and inode), or undefined when nothing is there. */
function identity(path: string): string | undefined {
  try {
    const s = statSync(path);
    return s.isDirectory() ? `${s.dev}:${s.ino}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Calls `onChange` (debounced) when `refs/heads/<branch>`, `packed-refs` or `HEAD` is added,
 * changed or removed, and when the repository's folder comes back after it went away; never
 * throws once started. `onStateChange` hears when pushes start or stop being seen as they land.
 */
export function watchRefs(
  gitdir: string,
  branch: string,
  onChange: (event: RefChangeEvent) => void,
  clock: Clock = systemClock,
  onStateChange: (state: RefWatchState) => void = () => undefined,
): RefWatcher {
  const root = resolve(gitdir);
  const heads = join(root, 'refs', 'heads');
  const refFile = join(heads, ...branch.split('/'));
  const triggers = new Set([refFile, join(root, 'packed-refs'), join(root, 'HEAD')]);
  const watched = (path: string): boolean =>
    path === root || path === join(root, 'refs') || path === heads || path.startsWith(heads + sep) || triggers.has(path);

  const arm = () =>
    watch(root, {
      ignoreInitial: true,
      followSymlinks: false,
      ignored: (path) => !watched(resolve(path)),
    });
  let watcher = arm();
  let armedOn = identity(root);
  let state: RefWatchState = armedOn ? { mode: 'events' } : polling('the repository folder does not exist');
  let closed = false;
  let firstAt: number | undefined;
  let timer: NodeJS.Timeout | undefined;

  const fire = (): void => {
    timer = undefined;
    const at = firstAt ?? clock.now();
    firstAt = undefined;
    if (closed) return;
    const refMtimeMs = looseRefMtime(refFile);
    try {
      onChange(refMtimeMs === undefined ? { at } : { at, refMtimeMs });
    } catch {
      // The callback's failure is its own; the watcher keeps running.
    }
  };
  const schedule = (): void => {
    firstAt ??= clock.now();
    if (timer) clearTimeout(timer);
    timer = setTimeout(fire, DEBOUNCE_MS);
  };

  const listen = (w: ReturnType<typeof watch>) => {
    w.on('all', (event, path) => {
      const absolute = resolve(path);
      // The repository or the branch's folder went away: the ref went with it.
      const removedAbove = event === 'unlinkDir' && (refFile.startsWith(absolute + sep) || absolute === root);
      if (triggers.has(absolute) || removedAbove) schedule();
    });
    // chokidar reports a vanished directory as an error on some platforms; a missing repository is a state, not a crash.
    w.on('error', () => undefined);
  };
  listen(watcher);
  const setState = (next: RefWatchState) => {
    if (next.mode === state.mode && next.message === state.message) return;
    state = next;
    try {
      onStateChange(state);
    } catch {
      // The listener's failure is its own.
    }
  };

  // The watch follows the folder's inode: re-made when the path names another folder (moved back, replaced).
  const check = setInterval(() => {
    if (closed) return;
    const now = identity(root);
    if (now === armedOn) return;
    armedOn = now;
    if (!now) {
      setState(polling(`the repository folder ${root} went away`));
      schedule();
      return;
    }
    const old = watcher;
    watcher = arm();
    listen(watcher);
    void old.close();
    watcher.once('ready', () => {
      if (closed) return;
      setState({ mode: 'events' });
      // Whatever was pushed while it was away is looked at now.
      schedule();
    });
  }, REARM_CHECK_MS);
  check.unref();

  const ready = new Promise<void>((done) => watcher.once('ready', () => done()));
  return {
    ready,
    state: () => state,
    async close() {
      closed = true;
      clearInterval(check);
      if (timer) clearTimeout(timer);
      await watcher.close();
    },
  };
}

function polling(why: string): RefWatchState {
  return { mode: 'polling', message: `${why}: pushes are seen only by the resync until it is back` };
}

function looseRefMtime(refFile: string): number | undefined {
  try {
    return statSync(refFile).mtimeMs;
  } catch {
    return undefined;
  }
}
