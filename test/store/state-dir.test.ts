/**
 * The state dir's lock: a live owner is refused by name; a lock whose pid is dead, or whose pid
 * another process has since been given (the start time differs), is taken over.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockStateDir, processStartTime } from '../../daemon/store/state-dir.js';
import { tempDir } from '../support/temp.js';

let tmp: ReturnType<typeof tempDir>;
let other: ChildProcess;
let lock: string;

beforeEach(() => {
  tmp = tempDir('pacific-lock-');
  lock = join(tmp.dir, 'daemon.lock');
  other = spawn('sleep', ['60']);
});
afterEach(() => {
  other.kill('SIGKILL');
  tmp.cleanup();
});

const hasProc = processStartTime(process.pid) !== undefined;

describe('lockStateDir', () => {
  it('writes our pid and start time, and removes the lock on release', () => {
    const release = lockStateDir(tmp.dir);
    expect(readFileSync(lock, 'utf8')).toBe(hasProc ? `${process.pid} ${processStartTime(process.pid)}` : String(process.pid));
    release();
    expect(() => readFileSync(lock)).toThrow(/ENOENT/);
  });

  it('refuses a state dir whose lock names a running process, by its pid', () => {
    writeFileSync(lock, hasProc ? `${other.pid} ${processStartTime(other.pid!)}` : String(other.pid));
    expect(() => lockStateDir(tmp.dir)).toThrow(`is in use by another pacific daemon (pid ${other.pid}`);
    // A lock written before start times were recorded names only the pid: still refused while it runs.
    writeFileSync(lock, String(other.pid));
    expect(() => lockStateDir(tmp.dir)).toThrow(`pid ${other.pid}`);
  });

  it.skipIf(!hasProc)('takes over a lock whose pid another process now has (the start time differs)', () => {
    writeFileSync(lock, `${other.pid} 1`);
    expect(() => lockStateDir(tmp.dir)()).not.toThrow();
  });

  it('takes over a lock whose process is gone', async () => {
    other.kill('SIGKILL');
    await new Promise((resolve) => other.once('exit', resolve));
    writeFileSync(lock, `${other.pid} ${hasProc ? '123' : ''}`.trim());
    const release = lockStateDir(tmp.dir);
    expect(readFileSync(lock, 'utf8').split(' ')[0]).toBe(String(process.pid));
    release();
  });
});
