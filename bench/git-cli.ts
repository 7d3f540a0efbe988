/** The native git CLI, with a fixed identity and no signing, for building and changing bench repos. */
import { execFile, execFileSync } from 'node:child_process';

const IDENTITY = ['-c', 'user.name=pacific-bench', '-c', 'user.email=bench@pacific.dev', '-c', 'commit.gpgsign=false'];

/** Runs git synchronously in `cwd`; returns trimmed stdout; throws with stderr on failure. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', [...IDENTITY, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 }).trim();
}

/** Runs git asynchronously in `cwd`; resolves with raw stdout (for timed sections that must not block the event loop). */
export function gitAsync(cwd: string, ...args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile('git', [...IDENTITY, ...args], { cwd, encoding: 'buffer', maxBuffer: 1 << 30 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`git ${args.join(' ')} failed: ${stderr.toString()}`, { cause: err }));
      else resolve(stdout);
    });
  });
}
