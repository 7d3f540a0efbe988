/**
 * The real `kubectl` of the machine against a daemon's Kubernetes API: each call with its own
 * KUBECONFIG, HOME and --cache-dir, so discovery caches never leak between tests. Tests skip with a
 * visible message where there is no kubectl.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './daemon-process.js';

/** Why kubectl tests skip here, or undefined when kubectl runs. */
export const kubectlMissing: string | undefined = (() => {
  const r = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : 'kubectl not found on this machine: the kubectl tests are skipped';
})();
if (kubectlMissing) console.warn(`SKIPPED: ${kubectlMissing}`);

export interface Kubectl {
  (args: readonly string[], input?: string): { code: number; stdout: string; stderr: string };
  /** A long-running kubectl (a watch): its output so far, and a stop. */
  start(args: readonly string[]): { output: () => string; stop: () => void };
  readonly kubeconfig: string;
}

/** A kubeconfig for an identity from `pacific kubeconfig`, and a kubectl using it. */
export function kubectlFor(dir: string, name: string, stateDir: string, server: string, identity: readonly string[] = []): Kubectl {
  const home = join(dir, `home-${name}`);
  mkdirSync(home, { recursive: true });
  const made = runCli(['kubeconfig', '--state', stateDir, '--server', server, ...identity]);
  if (made.code !== 0) throw new Error(`pacific kubeconfig failed: ${made.stderr}`);
  const kubeconfig = join(home, 'kubeconfig');
  writeFileSync(kubeconfig, made.stdout);
  const env = { ...process.env, KUBECONFIG: kubeconfig, HOME: home };
  const full = (args: readonly string[]) => [...args, '--cache-dir', join(home, 'cache')];
  const run = ((args: readonly string[], input?: string) => {
    const r = spawnSync('kubectl', full(args), { env, encoding: 'utf8', input: input ?? '', timeout: 60_000 });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }) as Kubectl;
  run.start = (args) => {
    let out = '';
    const child = spawn('kubectl', full(args), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
    return { output: () => out, stop: () => child.kill('SIGTERM') };
  };
  return Object.assign(run, { kubeconfig });
}
