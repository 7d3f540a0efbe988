/** The state dir: the store, a lock so one daemon owns it, and the API token. */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StoreError } from './ports.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * When a process started (clock ticks since boot, Linux /proc), so a pid reused by another process
 * (a container restarted with its volume, where pid 1 is always taken) is not taken for the lock's
 * owner. Undefined where /proc does not say.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields are counted after its last ')'; starttime is field 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** The lock file's text: our pid, and our start time where known. */
function lockText(): string {
  const started = processStartTime(process.pid);
  return started ? `${process.pid} ${started}` : String(process.pid);
}

/** The pid a lock names when that process still runs (same pid, and the same start time when the lock has one). */
function ownerRuns(text: string): number | undefined {
  const [pidText, started] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !alive(pid)) return undefined;
  const now = started && processStartTime(pid);
  return now && now !== started ? undefined : pid;
}

/**
 * The state dir holds Secret values (the stores and their WAL), the token and the signing key: the
 * dir is 0700 and what is in it 0600 (0700 for folders), including what an older pacific left 0644.
 */
export function ownerOnly(stateDir: string): void {
  const restrict = (path: string, mode: number) => {
    // Only what differs: a read-only state dir already right is no error here (the lock reports one that is not writable).
    if ((lstatSync(path).mode & 0o777) !== mode) chmodSync(path, mode);
  };
  restrict(stateDir, 0o700);
  for (const entry of readdirSync(stateDir, { withFileTypes: true })) {
    if (entry.isFile()) restrict(join(stateDir, entry.name), 0o600);
    else if (entry.isDirectory()) restrict(join(stateDir, entry.name), 0o700);
  }
}

/** Creates `path` empty with mode 0600 unless it exists, so that SQLite (which gives a new file 0644, and its WAL the file's mode) keeps it private. */
export function createPrivate(path: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/**
 * Takes the state dir's lock (a file holding our pid and start time). A lock left by a dead process
 * (kill -9), or naming a pid another process has since been given, is taken over; a live owner is
 * an error naming it. Returns the release function.
 */
export function lockStateDir(stateDir: string): () => void {
  try {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    ownerOnly(stateDir);
  } catch (err) {
    throw new StoreError(`cannot create the state dir ${stateDir}: ${(err as Error).message}`);
  }
  const path = join(stateDir, 'daemon.lock');
  const ours = lockText();
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, ours, { flag: 'wx', mode: 0o600 });
      return () => {
        try {
          if (readFileSync(path, 'utf8') === ours) unlinkSync(path);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new StoreError(`cannot lock the state dir ${stateDir}: ${(err as Error).message}. The state dir must be writable: it holds the lock, the token and the SQLite store.`);
      }
      const owner = ownerRuns(readFileSync(path, 'utf8'));
      if (owner !== undefined) {
        throw new StoreError(`state dir ${stateDir} is in use by another pacific daemon (pid ${owner}, named in ${path}); stop it first or give this one another --state`);
      }
      unlinkSync(path);
    }
  }
  throw new StoreError(`cannot lock state dir ${stateDir}`);
}

/** The API token: PACIFIC_TOKEN when set, else `<state>/token`, created (mode 0600) on first start. */
export function loadToken(stateDir: string, fromEnv = process.env['PACIFIC_TOKEN']): { token: string; path?: string } {
  if (fromEnv) return { token: fromEnv };
  const path = join(stateDir, 'token');
  if (existsSync(path)) return { token: readFileSync(path, 'utf8').trim(), path };
  const token = randomBytes(24).toString('hex');
  try {
    // Written aside and renamed: a full disk never leaves an empty token file behind.
    writeFileSync(`${path}.new`, token + '\n', { mode: 0o600 });
    renameSync(`${path}.new`, path);
  } catch (err) {
    throw new StoreError(`cannot write the API token file ${path}: ${(err as Error).message}`);
  }
  return { token, path };
}
