/**
 * A failed fetch as a condition: the reason as Flux's source-controller names it
 * (`AuthenticationFailed`, `GitOperationFailed`, `URLInvalid`, `StorageOperationFailed`) and the
 * cause in words a platform engineer acts on (DNS, unreachable, TLS, host key, credentials, timeout,
 * missing ref, size limit), read from git's own messages.
 */
import type { GitRun } from './git-process.js';

export type FetchReason = 'AuthenticationFailed' | 'GitOperationFailed' | 'URLInvalid' | 'StorageOperationFailed';

export type FetchCause = 'dns' | 'unreachable' | 'tls' | 'host-key' | 'credentials' | 'timeout' | 'repository-not-found' | 'ref-not-found' | 'size-limit' | 'configuration' | 'storage' | 'git';

/** Why the last fetch of a source failed. */
export interface FetchFault {
  readonly reason: FetchReason;
  readonly cause: FetchCause;
  /** Names the source and the cause; never holds a secret. */
  readonly message: string;
}

const CAUSES: readonly [RegExp, FetchCause][] = [
  [/Could not resolve host|Could not resolve hostname|Name or service not known|Temporary failure in name resolution|nodename nor servname/i, 'dns'],
  [/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|host key for .* has changed|No \S+ host key is known/i, 'host-key'],
  [/SSL certificate problem|server certificate verification failed|certificate verify failed|SSL_connect|TLS connect error|unable to get local issuer|self[- ]signed certificate|gnutls_handshake/i, 'tls'],
  [/Authentication failed|Permission denied \(|could not read (?:Username|Password)|terminal prompts disabled|returned error: 40[13]\b|HTTP 40[13]\b|Invalid username or password|access denied/i, 'credentials'],
  [/Connection refused|Failed to connect|No route to host|Network is unreachable|Connection timed out|Connection reset|Connection closed by|Could not read from remote repository|Empty reply from server|unexpected disconnect|non-properly terminated|GnuTLS recv error|early EOF|the remote end hung up unexpectedly/i, 'unreachable'],
  [/couldn't find remote ref|no such remote ref|not our ref|unadvertised object/i, 'ref-not-found'],
  [/does not appear to be a git repository|repository '.*' not found|not found: did you run git update-server-info|returned error: 404|HTTP 404/i, 'repository-not-found'],
  [/No space left on device|Disk quota exceeded|Read-only file system|unable to create temporary file|cannot lock ref/i, 'storage'],
];

const WORDS: Record<FetchCause, string> = {
  dns: 'DNS lookup failed',
  unreachable: 'host unreachable',
  tls: 'TLS verification failed',
  'host-key': 'SSH host key verification failed',
  credentials: 'authentication failed',
  timeout: 'timed out',
  'repository-not-found': 'repository not found',
  'ref-not-found': 'ref not found',
  'size-limit': 'over the fetch size limit',
  configuration: 'configuration error',
  storage: 'the mirror could not be written',
  git: 'git failed',
};

function reasonOf(cause: FetchCause): FetchReason {
  if (cause === 'credentials' || cause === 'host-key') return 'AuthenticationFailed';
  if (cause === 'storage') return 'StorageOperationFailed';
  if (cause === 'configuration') return 'URLInvalid';
  return 'GitOperationFailed';
}

/** The last lines git wrote that say something (progress and hints dropped). */
function gist(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(?:remote: )?(?:Enumerating|Counting|Compressing|Receiving|Resolving|Unpacking|Total) /.test(l) && !l.startsWith('hint:'));
  return lines.slice(-3).join('; ').slice(0, 500);
}

/** A fault for `display` (the source's URL) from a git run that did not succeed. */
export function faultOf(display: string, run: GitRun, timeoutMs: number): FetchFault {
  if (run.killed?.why === 'timeout') return fault(display, 'timeout', `no answer within ${Math.round(timeoutMs / 1000)}s`);
  if (run.killed?.why === 'limit') return fault(display, 'size-limit', `the fetch was stopped at ${run.killed.what} (--fetch-limit)`);
  const cause = CAUSES.find(([re]) => re.test(run.stderr))?.[1] ?? 'git';
  return fault(display, cause, gist(run.stderr) || `git exited with ${run.code}`);
}

export function fault(display: string, cause: FetchCause, detail: string): FetchFault {
  return { reason: reasonOf(cause), cause, message: `fetch of ${display} failed: ${WORDS[cause]}: ${detail}` };
}
