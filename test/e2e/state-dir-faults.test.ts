/**
 * The state dir when it fails, through the real CLI: a damaged, empty or locked store at start, a
 * state dir another daemon holds, a read-only state dir, and a disk that fills during an apply.
 *
 * What is real and what is simulated (the tests run without root, or as a root whose file
 * permissions do not stop writes):
 * - disk full, ENOSPC: the state dir is a 16 MiB tmpfs mounted in a user and mount namespace
 *   (`unshare -rm`, no privileges needed) and filled by the test; freeing the filler is "space
 *   returns". Skipped, visibly, where unprivileged user namespaces are disabled.
 * - disk full, EFBIG: the running daemon is given an RLIMIT_FSIZE (`prlimit --pid`, the kernel's
 *   per-process file size limit) just above its largest store file; Node ignores SIGXFSZ, so writes
 *   past it fail with EFBIG, which SQLite reports as SQLITE_IOERR_WRITE. Lifting the limit again is
 *   "space returns".
 * - read-only: a read-only bind mount of the state dir in a user and mount namespace: a real EROFS.
 *   A running daemon cannot be switched to read-only this way (the kernel refuses to remount a file
 *   system read-only while files on it are open for writing), so read-only is tested at start.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, statfsSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namespaceManifest, namespaceName, vmManifest, vmName } from '../../bench/generate-repo.js';
import { CLI, getJson, useToken, runCli, startDaemonProcess, stopDaemonProcess, waitFor, type DaemonProcess } from '../support/daemon-process.js';
import { git } from '../support/git.js';
import { expectConsistent, readStore, type StoreView } from '../support/store-view.js';
import { tempDir } from '../support/temp.js';

interface Status {
  lastAppliedRevision: string | null;
  conditions: { type: string; status: string; reason: string; message: string }[];
}

const NAMESPACES = 10;
const tmp = tempDir('pacific-state-faults-');
afterAll(() => tmp.cleanup());

const works = (command: string, ...args: string[]) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;
const userNamespaces = works('unshare', '-rm', 'sh', '-c', `mount -t tmpfs -o size=1m tmpfs ${tmp.dir} && mount --bind ${tmp.dir} ${tmp.dir} && mount -o remount,bind,ro ${tmp.dir}`);
const prlimit = works('prlimit', '--fsize=1048576:unlimited', 'true');
if (!userNamespaces) console.warn('state-dir faults: unprivileged user namespaces are not available here; the ENOSPC and read-only tests are skipped');
if (!prlimit) console.warn('state-dir faults: prlimit (util-linux) is not available here; the RLIMIT_FSIZE test is skipped');

const sha1 = (path: string) => createHash('sha1').update(readFileSync(path)).digest('hex');
const status = async (d: DaemonProcess) => (await getJson<Status>(`${d.url}/status`)).body;
const ready = (s: Status) => s.conditions.find((c) => c.type === 'Ready');

/** A repo with `count` VMs over NAMESPACES namespaces, as files of the tenancy layout. */
function writeRepo(dir: string, count: number): string[] {
  rmSync(join(dir, 'namespaces'), { recursive: true, force: true });
  mkdirSync(join(dir, 'platform'), { recursive: true });
  const docs = new Map<number, string[]>();
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    docs.set(i % NAMESPACES, [...(docs.get(i % NAMESPACES) ?? []), vmManifest(namespaceName(i % NAMESPACES), vmName(i), i)]);
    keys.push(`vmoperator.vmware.com/VirtualMachine/${namespaceName(i % NAMESPACES)}/${vmName(i)}`);
  }
  for (let ns = 0; ns < NAMESPACES; ns++) {
    writeFileSync(join(dir, 'platform', `${namespaceName(ns)}.yaml`), namespaceManifest(namespaceName(ns)));
    mkdirSync(join(dir, 'namespaces', namespaceName(ns)), { recursive: true });
    writeFileSync(join(dir, 'namespaces', namespaceName(ns), 'vms.yaml'), (docs.get(ns) ?? []).join('---\n'));
  }
  return keys.sort();
}

/** A bare repo whose main holds `count` VMs, and a clone to push from. */
function makeRepo(name: string, count: number): { bare: string; clone: string; head: string } {
  const seed = join(tmp.dir, `${name}-seed`);
  writeRepo(seed, count);
  const bare = join(tmp.dir, `${name}.git`);
  expect(runCli(['init', bare, '--from', seed]).code).toBe(0);
  const clone = join(tmp.dir, `${name}-clone`);
  git(tmp.dir, 'clone', '-q', bare, clone);
  return { bare, clone, head: git(clone, 'rev-parse', 'HEAD') };
}

function push(clone: string, count: number): { head: string; vms: string[] } {
  const vms = writeRepo(clone, count);
  git(clone, 'add', '-A');
  git(clone, 'commit', '-q', '-m', `${count} VMs`);
  git(clone, 'push', '-q', 'origin', 'main');
  return { head: git(clone, 'rev-parse', 'HEAD'), vms };
}

let snapshots = 0;

/**
 * What the store holds, read from a copy of the database and its WAL taken while the daemon is idle
 * (SQLite resolves /proc/<pid>/root to our own root, so the daemon's tmpfs cannot be opened in place).
 */
function readSnapshot(dbPath: string): StoreView {
  const copy = join(tmp.dir, `snapshot-${++snapshots}.db`);
  cpSync(dbPath, copy);
  cpSync(`${dbPath}-wal`, `${copy}-wal`);
  return readStore(copy);
}

/** A state dir left by a daemon that applied a small repo and stopped cleanly. */
let cleanState: string;
let small: ReturnType<typeof makeRepo>;
beforeAll(async () => {
  small = makeRepo('small', 20);
  cleanState = join(tmp.dir, 'clean-state');
  const d = await startDaemonProcess(['--repo', small.bare, '--state', cleanState, '--resync', '1h']);
  await waitFor(async () => ((await status(d)).lastAppliedRevision === small.head ? true : undefined), 'the small repo applied');
  await stopDaemonProcess(d);
});

function copyState(name: string): { dir: string; db: string } {
  const dir = join(tmp.dir, name);
  cpSync(cleanState, dir, { recursive: true });
  return { dir, db: join(dir, 'pacific.db') };
}

describe('a store that cannot be used at start is an error naming it, never a reset', () => {
  it('refuses a truncated store and leaves it as it was', () => {
    const { dir, db } = copyState('truncated');
    truncateSync(db, Math.floor(statSync(db).size / 2));
    const before = sha1(db);
    const r = runCli(['serve', '--repo', small.bare, '--state', dir, '--listen', '127.0.0.1:0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`pacific: state database ${db} cannot be used: `);
    expect(r.stderr).toMatch(/integrity check failed|SQLITE_CORRUPT|SQLITE_NOTADB/);
    expect(r.stderr).toContain('pacific does not repair or reset it: stop every process using it, then move it aside (with its -wal and -shm files)');
    expect(sha1(db)).toBe(before);
  });

  it('refuses an empty store file (pacific never leaves one) instead of starting afresh in it', () => {
    const { dir, db } = copyState('empty');
    writeFileSync(db, '');
    const r = runCli(['serve', '--repo', small.bare, '--state', dir, '--listen', '127.0.0.1:0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`pacific: state database ${db} cannot be used: the file is empty (0 bytes)`);
    expect(statSync(db).size).toBe(0);
  });

  it('refuses a store whose write lock another process holds, and starts once it lets go', async () => {
    const { dir, db } = copyState('locked');
    const holder = spawn(process.execPath, ['-e', `const D = require(${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))}); const db = new D(${JSON.stringify(db)}); db.exec('BEGIN IMMEDIATE'); console.log('holding'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => holder.stdout!.once('data', resolve));
    const r = runCli(['serve', '--repo', small.bare, '--state', dir, '--listen', '127.0.0.1:0']);
    holder.kill('SIGKILL');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`pacific: state database ${db} cannot be used: SQLITE_BUSY (database is locked): another process holds the database's write lock`);
    expect(r.stderr).toContain('Stop the other process and start pacific again.');
    const d = await startDaemonProcess(['--repo', small.bare, '--state', dir, '--resync', '1h']);
    expect((await status(d)).lastAppliedRevision).toBe(small.head);
    await stopDaemonProcess(d);
  });

  it('refuses a state dir a running daemon holds, naming its pid', async () => {
    const { dir } = copyState('in-use');
    const first = await startDaemonProcess(['--repo', small.bare, '--state', dir, '--resync', '1h']);
    try {
      const r = runCli(['serve', '--repo', small.bare, '--state', dir, '--listen', '127.0.0.1:0']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`pacific: state dir ${dir} is in use by another pacific daemon (pid ${first.child.pid}`);
      expect((await status(first)).lastAppliedRevision).toBe(small.head);
    } finally {
      await stopDaemonProcess(first);
    }
  });

  it.skipIf(!userNamespaces)('refuses a read-only state dir (EROFS) and changes nothing in it', () => {
    const { dir, db } = copyState('read-only');
    const before = sha1(db);
    const r = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"', dir, process.execPath, CLI, 'serve', '--repo', small.bare, '--state', dir, '--listen', '127.0.0.1:0'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`pacific: cannot lock the state dir ${dir}: EROFS: read-only file system`);
    expect(r.stderr).toContain('The state dir must be writable');
    expect(sha1(db)).toBe(before);
  });
});

interface DiskFault {
  /** Runs before node and execs it. */
  readonly wrapper: (stateDir: string) => string[];
  /** The state dir as the test reads it while the daemon runs. */
  readonly visible: (d: DaemonProcess, stateDir: string) => string;
  /** Takes the room away (after the first revision is applied). */
  readonly fill: (d: DaemonProcess, visibleDir: string) => void;
  /** Gives it back. */
  readonly release: (d: DaemonProcess, visibleDir: string) => void;
  /** What the error says besides the file. */
  readonly says: readonly string[];
}

const tmpfs: DiskFault = {
  wrapper: (stateDir) => ['unshare', '-rm', 'sh', '-c', 'mkdir -p "$0" && mount -t tmpfs -o size=16m tmpfs "$0" && exec "$@"', stateDir],
  // The tmpfs is mounted in the daemon's mount namespace only; /proc/<pid>/root shows it.
  visible: (d, stateDir) => `/proc/${d.child.pid}/root${stateDir}`,
  fill: (_d, dir) => {
    // Leave about 256 KiB: the first revision fits, the next one (VMs by the thousand) does not.
    const { bavail, bsize } = statfsSync(dir);
    writeFileSync(join(dir, 'filler'), Buffer.alloc(Math.max(0, bavail * bsize - 256 * 1024)));
  },
  release: (_d, dir) => rmSync(join(dir, 'filler')),
  says: ['SQLITE_FULL', 'the file system is full (ENOSPC, no space left on device)'],
};

const rlimit: DiskFault = {
  wrapper: () => [],
  visible: (_d, stateDir) => stateDir,
  // 256 KiB above the largest store file: the next revision (VMs by the thousand) grows past it.
  fill: (d, dir) => {
    const largest = Math.max(...['pacific.db', 'pacific.db-wal'].map((f) => statSync(join(dir, f)).size));
    execFileSync('prlimit', ['--pid', String(d.child.pid), `--fsize=${largest + 256 * 1024}:unlimited`]);
  },
  release: (d) => execFileSync('prlimit', ['--pid', String(d.child.pid), '--fsize=unlimited:unlimited']),
  says: ['SQLITE_IOERR', 'RLIMIT_FSIZE', 'EFBIG'],
};

describe.each([
  { name: 'a full file system (ENOSPC, tmpfs in a user namespace)', fault: tmpfs, available: userNamespaces },
  { name: 'a file size limit (EFBIG, RLIMIT_FSIZE)', fault: rlimit, available: prlimit },
])('disk full during an apply: $name', ({ name, fault, available }) => {
  it.skipIf(!available)('reports the file and the cause, keeps the store consistent, and converges when space returns', async () => {
    const repo = makeRepo(`full-${name.includes('ENOSPC') ? 'enospc' : 'efbig'}`, 20);
    const stateDir = join(tmp.dir, `state-${name.includes('ENOSPC') ? 'enospc' : 'efbig'}`);
    const d = await startDaemonProcess(['--repo', repo.bare, '--state', stateDir, '--resync', '1h'], {}, fault.wrapper(stateDir));
    try {
      const dir = fault.visible(d, stateDir);
      useToken(d, readFileSync(join(dir, 'token'), 'utf8').trim());
      const dbPath = join(dir, 'pacific.db');
      await waitFor(async () => ((await status(d)).lastAppliedRevision === repo.head ? true : undefined), 'the first revision applied');
      fault.fill(d, dir);
      const big = push(repo.clone, 1500);

      const failed = await waitFor(async () => {
        const s = await status(d);
        return ready(s)?.reason === 'ReconcileFailed' ? s : undefined;
      }, 'the pass to fail', 60_000);
      const message = ready(failed)!.message;
      expect(message).toContain(`cannot write the state database ${join(stateDir, 'pacific.db')}: `);
      for (const words of fault.says) expect(message).toContain(words);
      expect(message).toContain('The failed step was rolled back and the store is consistent');
      expect(failed.lastAppliedRevision).toBe(repo.head);
      // The log line may reach us after the /status answer: wait for it rather than race it.
      await waitFor(() => (d.logs.some((l) => l.includes('"level":"error"') && l.includes(`cannot write the state database ${join(stateDir, 'pacific.db')}`)) ? true : undefined), 'the error in the log');
      expect(d.child.exitCode).toBeNull();

      const during = readSnapshot(dbPath);
      expectConsistent(during);
      expect(during.vms.length).toBeLessThan(big.vms.length);

      fault.release(d, dir);
      const token = readFileSync(join(dir, 'token'), 'utf8').trim();
      expect((await getJson(`${d.url}/reconcile`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBe(202);
      await waitFor(async () => {
        const s = await status(d);
        return s.lastAppliedRevision === big.head && ready(s)?.status === 'True' ? true : undefined;
      }, 'convergence once space returned', 120_000);
      const after = readSnapshot(dbPath);
      expectConsistent(after);
      expect(after.vms).toEqual(big.vms);
    } catch (err) {
      console.error(d.logs.slice(-30).join('\n'));
      throw err;
    } finally {
      await stopDaemonProcess(d);
    }
  }, 300_000);
});
