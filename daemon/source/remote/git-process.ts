/**
 * The git CLI as pacific runs it against a remote: a clean environment (no system or global
 * config, no prompts, no credential helpers, no agent), credentials passed through the environment
 * and never the command line, a timeout that kills git and its ssh, and bounds on what a fetch
 * may bring, read from git's own progress counters.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CredentialEntry } from './credentials.js';
import { readSecret } from './credentials.js';
import type { RemoteUrl } from './remote-url.js';

/** What a fetch may bring: received bytes and objects, as git counts them. */
export interface FetchLimits {
  readonly bytes: number;
  readonly objects: number;
}

/** Defaults: far above a manifest repository (the 10k-VM bench repo packs to 1.6 MiB), far below a disk. */
export const DEFAULT_FETCH_LIMITS: FetchLimits = { bytes: 512 * 1024 ** 2, objects: 1_000_000 };

/** How git ran. `killed` says why it was stopped, if it was. */
export interface GitRun {
  readonly code: number | null;
  readonly stdout: string;
  /** stderr with every secret replaced by `***`. */
  readonly stderr: string;
  readonly killed?: { readonly why: 'timeout' } | { readonly why: 'limit'; readonly what: string };
}

/** Everything a git process needs to reach one remote: its environment and the secrets to keep out of messages. */
export interface GitAccess {
  readonly env: NodeJS.ProcessEnv;
  readonly secrets: readonly string[];
}

const PASSED_THROUGH = ['PATH', 'LANG', 'TZ', 'https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'no_proxy', 'NO_PROXY'];

/** Single-quotes a word for the shell git runs `GIT_SSH_COMMAND` with. */
function shellWord(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The environment for git talking to `remote` with `entry`'s credentials. `home` is an empty
 * directory of pacific's (so no ~/.gitconfig, ~/.ssh or ~/.netrc of the machine is read).
 */
export function gitAccess(remote: RemoteUrl, entry: CredentialEntry | undefined, home: string, timeoutMs: number): GitAccess {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const env: NodeJS.ProcessEnv = {};
  for (const name of PASSED_THROUGH) if (process.env[name] !== undefined) env[name] = process.env[name];
  Object.assign(env, {
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '/bin/false',
    SSH_ASKPASS: '/bin/false',
    GIT_PROTOCOL_FROM_USER: '0',
    LC_ALL: 'C',
  });
  const config: [string, string][] = [
    ['protocol.version', '2'],
    // Only the transports pacific allows: no ext::, file:// or fd:: from a redirect or a submodule.
    ['protocol.allow', 'never'],
    ['protocol.https.allow', 'always'],
    ['protocol.http.allow', 'always'],
    ['protocol.ssh.allow', 'always'],
    ['credential.helper', ''],
    ['core.askPass', '/bin/false'],
    ['http.lowSpeedLimit', '1'],
    ['http.lowSpeedTime', String(Math.max(1, Math.ceil(timeoutMs / 1000)))],
  ];
  const secrets: string[] = [];
  if (remote.transport === 'ssh') {
    const ssh = ['ssh', '-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'StrictHostKeyChecking=yes', '-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'UpdateHostKeys=no', '-o', `ConnectTimeout=${Math.max(1, Math.ceil(timeoutMs / 1000))}`, '-o', `UserKnownHostsFile=${entry?.knownHostsFile ?? '/dev/null'}`];
    if (entry?.identityFile) ssh.push('-i', entry.identityFile);
    env['GIT_SSH_COMMAND'] = ssh.map(shellWord).join(' ');
    env['GIT_SSH_VARIANT'] = 'ssh';
  } else {
    // GIT_SSL_CAINFO wins over -c http.sslCAInfo, and machines export it: set it per source.
    env['GIT_SSL_CAINFO'] = entry?.caFile ?? '/etc/ssl/certs/ca-certificates.crt';
    let authorization: string | undefined;
    if (entry?.passwordFile) {
      const password = readSecret(entry, 'passwordFile');
      const basic = Buffer.from(`${entry.username}:${password}`).toString('base64');
      secrets.push(password, basic);
      authorization = `Basic ${basic}`;
    } else if (entry?.bearerTokenFile) {
      const token = readSecret(entry, 'bearerTokenFile');
      secrets.push(token);
      authorization = `Bearer ${token}`;
    }
    if (authorization && remote.transport === 'http') throw new Error(`${entry!.label}: credentials are not sent over plain http:// (${remote.host}); use https://`);
    if (authorization) config.push(['http.extraHeader', `Authorization: ${authorization}`]);
  }
  env['GIT_CONFIG_COUNT'] = String(config.length);
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return { env, secrets: secrets.filter((s) => s.length >= 4) };
}

/** `text` with every secret replaced. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('***');
  return out;
}

const UNITS: Record<string, number> = { bytes: 1, byte: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

/** What git's progress says it received so far: `Receiving objects:  45% (450/1000), 1.20 MiB | …`. */
export function progressCounts(line: string): { objects?: number; bytes?: number } {
  const counts: { objects?: number; bytes?: number } = {};
  const objects = /(?:Receiving|Unpacking) objects:\s+\d+% \(\d+\/(\d+)\)/.exec(line);
  if (objects) counts.objects = Number(objects[1]);
  const bytes = /(?:Receiving|Unpacking) objects:.*?,\s*([\d.]+) (bytes|byte|KiB|MiB|GiB)/.exec(line);
  if (bytes) counts.bytes = Number(bytes[1]) * UNITS[bytes[2]!]!;
  return counts;
}

/** Runs git; stops it (and the ssh it started) at the timeout or when its progress passes a limit. Never rejects for git's own failure. */
export function runGit(args: readonly string[], options: { access: GitAccess; timeoutMs: number; limits?: FetchLimits; cwd?: string }): Promise<GitRun> {
  const { access, timeoutMs, limits } = options;
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout kills ssh and git-remote-https with it.
    const child = spawn('git', args, { cwd: options.cwd ?? '/', env: access.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let killed: GitRun['killed'];
    const kill = (why: NonNullable<GitRun['killed']>) => {
      if (killed) return;
      killed = why;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => kill({ why: 'timeout' }), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.length > 64 * 1024) stderr = stderr.slice(-32 * 1024);
      if (!limits) return;
      // Progress lines end in \r: look at the last complete one.
      const last = chunk.split(/[\r\n]/).filter(Boolean).pop() ?? '';
      const { objects, bytes } = progressCounts(last);
      if (objects !== undefined && objects > limits.objects) kill({ why: 'limit', what: `${objects} objects, over the limit of ${limits.objects}` });
      else if (bytes !== undefined && bytes > limits.bytes) kill({ why: 'limit', what: `more than ${limits.bytes} bytes` });
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      const text = stderr.split(/\r/).join('\n');
      resolve({ code, stdout, stderr: redact(text, access.secrets), ...(killed ? { killed } : {}) });
    });
  });
}
