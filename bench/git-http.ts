/**
 * A Git host on loopback for the remote-source rows: `git http-backend` (smart HTTP, protocol v2)
 * behind a Node HTTP server, one CGI process per request, as a forge's front end runs it. The
 * floors (`git clone --bare`, `git fetch`) and the daemon fetch from the same server in the same run.
 * The tests' Git servers (`test/support/git-servers.ts`) answer with the same CGI.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHttpHost {
  /** `http://127.0.0.1:<port>`; a repository is `<url>/<name>.git`. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Answers one request with a `git http-backend` CGI process serving the bare repositories under
 * `root` (its headers turned into the response's status and headers, its body streamed). `env`
 * adds to the CGI environment: git configuration, REMOTE_USER.
 */
export function answerWithHttpBackend(root: string, req: http.IncomingMessage, res: http.ServerResponse, env: NodeJS.ProcessEnv = {}): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const cgiEnv: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    REQUEST_METHOD: req.method,
    PATH_INFO: url.pathname,
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
    ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
    ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
    ...env,
  };
  const cgi = spawn('git', ['http-backend'], { env: cgiEnv, stdio: ['pipe', 'pipe', 'ignore'] });
  req.pipe(cgi.stdin);
  let head = Buffer.alloc(0);
  let sentHead = false;
  cgi.stdout.on('data', (chunk: Buffer) => {
    if (sentHead) return void res.write(chunk);
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of head.subarray(0, end).toString().split('\r\n')) {
      const [name, ...rest] = line.split(':');
      const value = rest.join(':').trim();
      if (name!.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else headers[name!] = value;
    }
    res.writeHead(status, headers);
    sentHead = true;
    res.write(head.subarray(end + 4));
  });
  cgi.on('close', () => res.end());
  cgi.on('error', () => res.destroy());
}

/** Serves the bare repositories under `root`. */
export async function serveGitHttp(root: string): Promise<GitHttpHost> {
  const server = http.createServer((req, res) => answerWithHttpBackend(root, req, res));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
