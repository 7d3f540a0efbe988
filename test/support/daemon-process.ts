/** The real `pacific` CLI as a child process, on a real port: for end-to-end and crash tests. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../daemon/base/paths.js';
import { writeFiles } from './git.js';

export const CLI = join(packageRoot, 'dist', 'daemon', 'cli', 'main.js');

export interface DaemonProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** The Kubernetes API's URL (absent with `--api-listen off`). */
  readonly api?: string;
  readonly logs: string[];
}

/** Runs the CLI to completion, with `env` over this process's; returns exit code and output. */
export function runCli(args: readonly string[], cwd = packageRoot, env: NodeJS.ProcessEnv = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** `dir/gitops.git`, a bare repo made by `pacific init` from `files` (path → text) written to `dir/manifests`. */
export function initRepoFrom(dir: string, files: Readonly<Record<string, string>>): string {
  const manifests = join(dir, 'manifests');
  writeFiles(manifests, files);
  const bare = join(dir, 'gitops.git');
  const init = runCli(['init', bare, '--from', manifests]);
  if (init.code !== 0) throw new Error(`pacific init ${bare} failed:\n${init.stderr}`);
  return bare;
}

/**
 * Starts `pacific serve` on 127.0.0.1:0 and resolves with its URL once it logs that it serves.
 * `wrapper` runs before node and must exec it (`prlimit --fsize=…`, `unshare … sh -c '…; exec "$@"'`),
 * so the child's pid stays the daemon's.
 */
export function startDaemonProcess(args: readonly string[], env: NodeJS.ProcessEnv = {}, wrapper: readonly string[] = []): Promise<DaemonProcess> {
  // The Kubernetes API takes a free port too (its default, 6443, is one per machine).
  const command = [...wrapper, process.execPath, CLI, 'serve', '--listen', '127.0.0.1:0', '--api-listen', '127.0.0.1:0', ...args];
  const child = spawn(command[0]!, command.slice(1), {
    cwd: packageRoot,
    // Every incremental pass is checked against a full one: a difference fails the pass, loudly.
    env: { ...process.env, PACIFIC_LOG_LEVEL: 'info', PACIFIC_VERIFY_PASSES: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  return new Promise((resolve, reject) => {
    // A daemon that did not start in time is killed: a test that gives up must not leave it running.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`daemon did not start:\n${logs.join('\n')}`));
    }, 30_000);
    createInterface({ input: child.stderr! }).on('line', (line) => logs.push(line));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      logs.push(line);
      if (line.includes('"pacific is serving"')) {
        clearTimeout(timer);
        const started = JSON.parse(line) as { url: string; api?: string };
        rememberToken(started.url, args, env);
        resolve({ child, url: started.url, ...(started.api ? { api: started.api } : {}), logs });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`daemon exited with ${code} before serving:\n${logs.join('\n')}`));
    });
  });
}

/** Stops a daemon process (SIGTERM by default) and waits for it to exit; throws if an incremental pass differed from a full one. */
export async function stopDaemonProcess(d: DaemonProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (d.child.exitCode === null && d.child.signalCode === null) {
    const exited = new Promise((resolve) => d.child.once('exit', resolve));
    d.child.kill(signal);
    await exited;
  }
  const diverged = d.logs.find((line) => line.includes('IncrementalDivergence'));
  if (diverged) throw new Error(`an incremental pass differed from a full one: ${diverged}`);
}

/** The admin token of each daemon started here, by origin: reads need an identity now. */
const tokens = new Map<string, string>();

function rememberToken(url: string, args: readonly string[], env: NodeJS.ProcessEnv): void {
  const state = args[args.indexOf('--state') + 1];
  const token = env['PACIFIC_TOKEN'] ?? (state && existsSync(join(state, 'token')) ? readFileSync(join(state, 'token'), 'utf8').trim() : undefined);
  if (token) tokens.set(new URL(url).origin, token);
}

/** Reads of this daemon use `token` (a state dir the test sees under another path). */
export function useToken(d: DaemonProcess, token: string): void {
  tokens.set(new URL(d.url).origin, token);
}

/** A read as the VI admin: GET and HEAD without an Authorization header get the daemon's admin token (send `authorization: ''` to send none). */
export function asAdmin(url: string, init: RequestInit = {}): RequestInit {
  const method = (init.method ?? 'GET').toUpperCase();
  const headers = new Headers(init.headers);
  const token = tokens.get(new URL(url).origin);
  if ((method === 'GET' || method === 'HEAD') && !headers.has('authorization') && token) headers.set('authorization', `Bearer ${token}`);
  if (headers.get('authorization') === '') headers.delete('authorization');
  return { ...init, headers };
}

export async function getJson<T = Record<string, unknown>>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(url, asAdmin(url, init));
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Polls until `check` returns a value (not undefined) or the timeout passes. */
export async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

