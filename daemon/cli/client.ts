/**
 * How the operating commands (`get`, `status`, `events`, `wait`, `suspend`, …) reach a running
 * daemon, as kubectl and flux do: `--server` (and `--token`), else `$PACIFIC_SERVER` (and
 * `$PACIFIC_TOKEN`), else the current kubeconfig context (`$KUBECONFIG` or `~/.kube/config`, as
 * `pacific kubeconfig` writes it: the Kubernetes API's address, CA and token; the API's listener
 * answers the same paths), else `http://127.0.0.1:8080`. Failures read as kubectl's and exit 1.
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { CommandError } from './preamble.js';

export { CommandError };

export interface ConnectionOptions {
  readonly server?: string;
  readonly token?: string;
  readonly kubeconfig?: string;
  readonly context?: string;
}

export interface Connection {
  readonly server: string;
  readonly token?: string;
  /** The CA of an HTTPS server (a kubeconfig's `certificate-authority-data`). */
  readonly ca?: string;
  readonly insecure?: boolean;
  /** The kubeconfig context's namespace: what `get` and `events` show without `-n` or `-A`. */
  readonly namespace?: string;
}

export const DEFAULT_SERVER = 'http://127.0.0.1:8080';

interface Kubeconfig {
  'current-context'?: string;
  contexts?: { name: string; context: { cluster: string; user?: string; namespace?: string } }[];
  clusters?: { name: string; cluster: { server: string; 'certificate-authority-data'?: string; 'certificate-authority'?: string; 'insecure-skip-tls-verify'?: boolean } }[];
  users?: { name: string; user: { token?: string } }[];
}

/** The current (or named) context of a kubeconfig, or undefined when there is no kubeconfig file. */
function fromKubeconfig(path: string | undefined, contextName: string | undefined): Connection | undefined {
  const file = path ?? process.env['KUBECONFIG']?.split(':').find(Boolean) ?? join(homedir(), '.kube', 'config');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    if (path || contextName) throw new CommandError(`error: cannot read kubeconfig ${file}`);
    return undefined;
  }
  const config = (load(text) ?? {}) as Kubeconfig;
  const name = contextName ?? config['current-context'];
  const context = config.contexts?.find((c) => c.name === name)?.context;
  if (!context) throw new CommandError(`error: context "${name ?? ''}" does not exist in ${file}`);
  const cluster = config.clusters?.find((c) => c.name === context.cluster)?.cluster;
  if (!cluster) throw new CommandError(`error: cluster "${context.cluster}" of context "${name}" does not exist in ${file}`);
  const user = config.users?.find((u) => u.name === context.user)?.user;
  const ca = cluster['certificate-authority-data'] ? Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8') : cluster['certificate-authority'] ? readFileSync(cluster['certificate-authority'], 'utf8') : undefined;
  return {
    server: cluster.server,
    ...(user?.token ? { token: user.token } : {}),
    ...(ca ? { ca } : {}),
    ...(cluster['insecure-skip-tls-verify'] ? { insecure: true } : {}),
    ...(context.namespace ? { namespace: context.namespace } : {}),
  };
}

/** Where and as whom to connect. A token from the environment or the flag goes to the server it was given for, never to a kubeconfig's. */
export function resolveConnection(options: ConnectionOptions): Connection {
  const token = options.token ?? process.env['PACIFIC_TOKEN'];
  const server = options.server ?? process.env['PACIFIC_SERVER'];
  if (server) return { server, ...(token ? { token } : {}) };
  const kube = fromKubeconfig(options.kubeconfig, options.context);
  if (kube) return { ...kube, ...(token ? { token } : {}) };
  return { server: DEFAULT_SERVER, ...(token ? { token } : {}) };
}

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** One request; the JSON answer whatever its status, or a CommandError when the server cannot be reached. */
export function call(conn: Connection, method: string, path: string, body?: unknown): Promise<Answer> {
  const url = new URL(path, conn.server);
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const headers: Record<string, string> = { accept: 'application/json', ...(conn.token ? { authorization: `Bearer ${conn.token}` } : {}), ...(data ? { 'content-type': 'application/json', 'content-length': String(data.length) } : {}) };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const tls = url.protocol === 'https:' ? { ...(conn.ca ? { ca: conn.ca } : {}), rejectUnauthorized: !conn.insecure } : {};
  return new Promise((resolve, reject) => {
    const req = send(url, { method, headers, timeout: 30_000, ...tls }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          // Not JSON (a proxy's page): kept as text for the error message.
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timed out after 30 s')));
    req.on('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'ECONNREFUSED' ? `The connection to the server ${url.host} was refused - did you specify the right host or port?` : `Unable to connect to the server ${url.host}: ${err.message}`;
      reject(new CommandError(why));
    });
    req.end(data);
  });
}

/** kubectl's words for a refusal: `Error from server (Forbidden): …`. */
export function failure(answer: Answer): CommandError {
  const message = typeof answer.body === 'object' && answer.body !== null ? String((answer.body as { error?: unknown; message?: unknown }).error ?? (answer.body as { message?: unknown }).message ?? '') : String(answer.body ?? '');
  switch (answer.status) {
    case 401:
      return new CommandError(`error: You must be logged in to the server (Unauthorized): ${message}`);
    case 403:
      return new CommandError(`Error from server (Forbidden): ${message}`);
    case 404:
      return new CommandError(`Error from server (NotFound): ${message}`);
    case 409:
      return new CommandError(`Error from server (Conflict): ${message}`);
    case 429:
      return new CommandError(`Error from server (TooManyRequests): ${message}`);
    default:
      return new CommandError(`Error from server (${answer.status}): ${message}`);
  }
}

/** A request that must succeed (2xx); its JSON body. */
export async function fetchJson<T>(conn: Connection, method: string, path: string, body?: unknown): Promise<T> {
  const answer = await call(conn, method, path, body);
  if (answer.status < 200 || answer.status > 299) throw failure(answer);
  return answer.body as T;
}
