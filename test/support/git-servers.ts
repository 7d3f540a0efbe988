/**
 * Real Git servers on loopback for the remote-source tests: `git http-backend` behind a Node
 * HTTP(S) server with basic auth and a test CA, and Debian's OpenSSH sshd run by the test on its
 * own port with its own host key (skipped, with a message, where sshd is not installed).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, readFileSync, chmodSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { answerWithHttpBackend } from '../../bench/git-http.js';

/** A CA and a server certificate for localhost and 127.0.0.1, made with the openssl CLI. */
export interface TestCa {
  readonly caFile: string;
  readonly keyFile: string;
  readonly certFile: string;
}

export function makeTestCa(dir: string): TestCa {
  mkdirSync(dir, { recursive: true });
  const f = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=pacific test CA');
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=localhost');
  writeFileSync(f('san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.pem'), '-days', '2', '-extfile', f('san.ext'));
  return { caFile: f('ca.pem'), keyFile: f('server.key'), certFile: f('server.pem') };
}

export interface GitHttpServer {
  /** `https://127.0.0.1:<port>` (or http://). Repositories are `<url>/<name>.git`. */
  readonly url: string;
  /** Requests served, by path (to assert what a fetch asked for). */
  readonly requests: string[];
  /** Answers every request `ms` later (0: at once): a fetch in progress for that long. */
  delay(ms: number): void;
  /** Stops listening (a host that went away: connections are refused) until `up()`, on the same port. */
  down(): void;
  up(): Promise<void>;
  close(): Promise<void>;
}

/** Serves the bare repositories under `root` with `git http-backend`, one process per request, push enabled. */
export async function startGitHttpServer(root: string, options: { tls?: TestCa; users?: Record<string, string> } = {}): Promise<GitHttpServer> {
  const requests: string[] = [];
  let delayMs = 0;
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (delayMs) {
      const wait = delayMs;
      requests.push(`(delayed ${wait} ms) ${req.url}`);
      return void setTimeout(() => serve(req, res), wait);
    }
    serve(req, res);
  };
  const serve = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(url.pathname);
    let user: string | undefined;
    if (options.users) {
      const auth = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const [name, password] = auth ? Buffer.from(auth, 'base64').toString().split(/:(.*)/s) : [];
      if (!name || options.users[name] !== password) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' }).end();
        return;
      }
      user = name;
    }
    answerWithHttpBackend(root, req, res, {
      // Pushes (the tests' commits) and fetches by commit id.
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: 'http.receivepack',
      GIT_CONFIG_VALUE_0: 'true',
      GIT_CONFIG_KEY_1: 'uploadpack.allowAnySHA1InWant',
      GIT_CONFIG_VALUE_1: 'true',
      ...(user ? { REMOTE_USER: user } : {}),
    });
  };
  const server = options.tls ? https.createServer({ key: readFileSync(options.tls.keyFile), cert: readFileSync(options.tls.certFile) }, handler) : http.createServer(handler);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    delay: (ms) => (delayMs = ms),
    down: () => {
      server.close();
      server.closeAllConnections();
    },
    up: () => new Promise<void>((done) => server.listen(port, '127.0.0.1', done)),
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** A user-level OpenSSH server on a loopback port: the test's user, one authorized key, its own host key. */
export interface TestSshd {
  readonly port: number;
  readonly user: string;
  /** `ssh://<user>@127.0.0.1:<port>` */
  readonly url: string;
  /** A known_hosts file naming this server's host key. */
  readonly knownHostsFile: string;
  /** The client key the server accepts (mode 0600). */
  readonly identityFile: string;
  close(): Promise<void>;
}

export const SSHD = '/usr/sbin/sshd';

/** Why SSH tests cannot run here, or undefined when they can. */
export function sshdMissing(): string | undefined {
  if (!existsSync(SSHD)) return `${SSHD} is not installed (Debian: openssh-server; npm test installs it when run as root)`;
  try {
    execFileSync('ssh-keygen', ['-?'], { stdio: 'ignore' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'ssh-keygen is not installed (openssh-client)';
  }
  return undefined;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

export async function startSshd(dir: string): Promise<TestSshd> {
  mkdirSync(dir, { recursive: true });
  const f = (name: string) => join(dir, name);
  const keygen = (file: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file], { stdio: 'ignore' });
  keygen(f('host_key'));
  keygen(f('client_key'));
  chmodSync(f('client_key'), 0o600);
  writeFileSync(f('authorized_keys'), readFileSync(f('client_key.pub')));
  // sshd refuses to start as root without its privilege-separation directory.
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  const user = userInfo().username;
  writeFileSync(
    f('sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${f('host_key')}`,
      `AuthorizedKeysFile ${f('authorized_keys')}`,
      `PidFile ${f('sshd.pid')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      'UsePAM no',
      'StrictModes no',
      // The research's measurement: sntrup761 costs ~0.3 s a connection.
      'KexAlgorithms curve25519-sha256',
      'AcceptEnv GIT_PROTOCOL',
      `SetEnv GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null PATH=${process.env['PATH']}`,
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  const hostKey = readFileSync(f('host_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  writeFileSync(f('known_hosts'), `[127.0.0.1]:${port} ${hostKey}\n`);
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', f('sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr!.on('data', (c: Buffer) => (errors += c.toString()));
  // Ready once it accepts a TCP connection.
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sshd exited: ${errors}`);
    const ok = await new Promise<boolean>((done) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        done(true);
      });
      s.on('error', () => done(false));
    });
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`sshd did not listen on ${port}: ${errors}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    user,
    url: `ssh://${user}@127.0.0.1:${port}`,
    knownHostsFile: f('known_hosts'),
    identityFile: f('client_key'),
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
