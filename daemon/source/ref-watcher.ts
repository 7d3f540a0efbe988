/**
 * Branch ref changes → "look again" events. Watches `refs/heads/` (recursively, for `feature/x`),
 * `packed-refs` and `HEAD` of a Git directory with chokidar; everything else in it is ignored.
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

/** A running ref watcher. */
export interface RefWatcher {
  /** Resolves once the initial scan is done and later changes will be reported. */
  readonly ready: Promise<void>;
  /** Stops watching; no event is delivered afterwards. */
  close(): Promise<void>;
}

const DEBOUNCE_MS = 10;

/** Calls `onChange` (debounced) when `refs/heads/<branch>`, `packed-refs` or `HEAD` is added, changed or removed; never throws once started. */
export function watchRefs(gitdir: string, branch: string, onChange: (event: RefChangeEvent) => void, clock: Clock = systemClock): RefWatcher {
  const root = resolve(gitdir);
  const heads = join(root, 'refs', 'heads');
  const refFile = join(heads, ...branch.split('/'));
  const triggers = new Set([refFile, join(root, 'packed-refs'), join(root, 'HEAD')]);
  const watched = (path: string): boolean =>
    path === root || path === join(root, 'refs') || path === heads || path.startsWith(heads + sep) || triggers.has(path);

  const watcher = watch(root, {
    ignoreInitial: true,
    followSymlinks: false,
    ignored: (path) => !watched(resolve(path)),
  });
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

  watcher.on('all', (event, path) => {
    const absolute = resolve(path);
    // The repository or the branch's folder went away: the ref went with it.
    const removedAbove = event === 'unlinkDir' && (refFile.startsWith(absolute + sep) || absolute === root);
    if (triggers.has(absolute) || removedAbove) schedule();
  });
  // chokidar reports a vanished directory as an error on some platforms; a missing repository is a state, not a crash.
  watcher.on('error', () => undefined);

  const ready = new Promise<void>((done) => watcher.once('ready', () => done()));
  return {
    ready,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await watcher.close();
    },
  };
}

function looseRefMtime(refFile: string): number | undefined {
  try {
    return statSync(refFile).mtimeMs;
  } catch {
    return undefined;
  }
}
