/** The `pacific` CLI as a process with its own environment: to completion, or followed until its output shows something (`-w`). */
import { spawn, type ChildProcess } from 'node:child_process';
import { packageRoot } from '../../daemon/base/paths.js';
import { CLI } from './daemon-process.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment without anything that would point the CLI at another daemon or identity. */
function cleanEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { PACIFIC_SERVER: _s, PACIFIC_TOKEN: _t, KUBECONFIG: _k, NO_COLOR: _c, KUBECTL_EXTERNAL_DIFF: _d, ...rest } = process.env;
  return { ...rest, HOME: '/nonexistent', ...env };
}

/** Runs `pacific args…` to completion (asynchronously: the daemon it talks to may be this test's process). */
export function pacific(args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd = packageRoot): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export interface Following {
  readonly child: ChildProcess;
  /** Everything printed so far. */
  output(): string;
  /** Resolves with the output once `check` holds for it; rejects after `timeoutMs`. */
  until(check: (stdout: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

/** Starts `pacific args…` (a command that runs until stopped, such as `get -w`). */
export function follow(args: readonly string[], env: NodeJS.ProcessEnv = {}): Following {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: packageRoot, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  return {
    child,
    output: () => stdout,
    async until(check, what, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!check(stdout)) {
        if (child.exitCode !== null) throw new Error(`pacific ${args.join(' ')} exited ${child.exitCode} before ${what}:\n${stdout}\n${stderr}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output so far:\n${stdout}\n${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return stdout;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
