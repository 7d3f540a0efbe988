/**
 * The real `pacific serve` as a child process, as an operator runs it: built CLI, real port,
 * warn-level logs. The port is picked before the spawn so the bench never has to parse the
 * info-level "pacific is serving" line (info would also log one line per applied object and slow
 * the pass it measures). Its output is always drained so a full pipe never stalls it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { packageRoot } from '../daemon/base/paths.js';

/** The built CLI entry (`npm run build` output). */
export const CLI = join(packageRoot, 'dist', 'daemon', 'cli', 'main.js');

const LOG_TAIL = 40;

/** What to serve: repo, fresh or existing state dir, topology file. */
export interface DaemonSpawn {
  readonly repo: string;
  readonly stateDir: string;
  readonly topologyFile: string;
  /** More `serve` flags (a remote source's `--interval`). */
  readonly args?: readonly string[];
}

/** A running daemon child. */
export interface DaemonChild {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly url: string;
  /** The Kubernetes API (HTTPS, the state dir's CA). */
  readonly api: string;
  readonly stateDir: string;
  /** `performance.now()` just before the spawn. */
  readonly spawnedAt: number;
  /** The last lines it printed (stdout and stderr), for failure messages. */
  logTail(): string;
  /** Throws, with the log tail, if the process has exited. */
  assertAlive(): void;
  /** The API token the daemon wrote to its state dir. */
  token(): string;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
}

/** A port on 127.0.0.1 that was free a moment ago (bound and released by the OS). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Spawns `pacific serve` on a free port with a 1 h resync (so only the bench triggers passes). */
export async function spawnDaemon(options: DaemonSpawn): Promise<DaemonChild> {
  const port = await freePort();
  const apiPort = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PACIFIC_LOG_LEVEL: 'warn' };
  delete env['PACIFIC_TOKEN']; // the token must come from the state dir's file
  // PACIFIC_BENCH_NODE_ARGS: Node flags for the daemon alone (`--cpu-prof --cpu-prof-dir=…`), which NODE_OPTIONS refuses.
  const nodeArgs = process.env['PACIFIC_BENCH_NODE_ARGS']?.split(' ').filter(Boolean) ?? [];
  const args = [...nodeArgs, CLI, 'serve', '--repo', options.repo, '--state', options.stateDir, '--listen', `127.0.0.1:${port}`, '--api-listen', `127.0.0.1:${apiPort}`, '--resync', '1h', '--topology', options.topologyFile, ...(options.args ?? [])];
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, args, { cwd: packageRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  const keep = (line: string) => {
    tail.push(line);
    if (tail.length > LOG_TAIL) tail.shift();
  };
  createInterface({ input: child.stdout! }).on('line', keep);
  createInterface({ input: child.stderr! }).on('line', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.pid === undefined) throw new Error(`could not spawn ${args.join(' ')}`);
  const pid = child.pid;
  const isRunning = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    pid,
    url: `http://127.0.0.1:${port}`,
    api: `https://127.0.0.1:${apiPort}`,
    stateDir: options.stateDir,
    spawnedAt,
    logTail: () => tail.join('\n'),
    assertAlive() {
      if (!isRunning()) throw new Error(`pacific serve (pid ${pid}) exited with ${child.exitCode ?? child.signalCode}:\n${tail.join('\n')}`);
    },
    token: () => readFileSync(join(options.stateDir, 'token'), 'utf8').trim(),
    async stop() {
      if (!isRunning()) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
