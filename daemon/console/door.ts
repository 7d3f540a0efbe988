/**
 * The console's door on the Kubernetes API's listener (same origin, HTTPS): the built page and its
 * assets, sign-in and sign-out, the views the pages read, the live stream and the actions (confirm
 * a held prune, reconcile now, suspend and resume). A request is who its bearer token says or, from
 * the browser, who its session cookie says; a session's state-changing request must carry the
 * session's CSRF token and come from this origin. Every view is cut by the same grants as the API.
 * State changes share a budget per client address with the status listener's limits (429 beyond).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { grantsOf, type Grants } from '../access/grants.js';
import type { Authenticator, Identity } from '../access/identity.js';
import { RateLimiter, type RateLimit } from '../server/rate-limit.js';
import { DEFAULT_WRITE_LIMITS } from '../server/write-guard.js';
import { Assets, SECURITY_HEADERS } from './assets.js';
import { hostsView, namespaceView, objectView } from './pages.js';
import { CSRF_HEADER, kubeconfigToken, sessionCookie, Sessions } from './sessions.js';
import { streamChanges } from './stream.js';
import { mayView, overview, type ConsoleCore } from './views.js';

/** What the console may ask the daemon to do, beside reading. */
export interface ConsoleActions {
  reconcile(): { ok: true } | { ok: false; status: number; message: string };
  confirmPrune(revision: unknown): { ok: true; revision: string } | { ok: false; status: number; message: string };
  /** Suspends reconciling, saying who asked and why. */
  suspend(reason: string | undefined, by: string): void;
  resume(): void;
}

export type ConsoleBackend = Omit<ConsoleCore, 'catalog' | 'table' | 'inventory'> & ConsoleActions;

/** A reason longer than this is refused (as on the status listener). */
const MAX_REASON = 1024;

/** Largest body the console accepts (a kubeconfig, a revision id). */
export const MAX_CONSOLE_BODY = 64 * 1024;

interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({ status, body, ...(headers ? { headers } : {}) });
const refuse = (status: number, message: string): Reply => json(status, { message });

async function readJson(req: IncomingMessage): Promise<unknown> {
  if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) throw new RangeError('send the body as application/json');
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_CONSOLE_BODY) throw new RangeError(`the body is over ${MAX_CONSOLE_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

export class ConsoleDoor {
  readonly sessions: Sessions;
  private readonly assets = new Assets();
  private readonly limiter: RateLimiter;

  constructor(
    private readonly core: ConsoleCore,
    private readonly actions: ConsoleActions,
    private readonly authn: Authenticator,
    /** The budget of state-changing requests per client address (`pacific serve --write-rate --write-burst`). */
    readonly rate: RateLimit = DEFAULT_WRITE_LIMITS.rate,
  ) {
    this.sessions = new Sessions(authn);
    this.limiter = new RateLimiter(rate);
  }

  /** Whether the request is the console's (the page, its assets and its API), or `/` from a browser. */
  owns(req: IncomingMessage): boolean {
    const path = (req.url ?? '/').split('?')[0]!;
    return path === '/console' || path.startsWith('/console/') || (path === '/' && (req.headers.accept ?? '').includes('text/html'));
  }

  /**
   * Who a request to the Kubernetes API is when it carries no bearer token: its session's identity.
   * A state-changing request (a dry run from the Diff page) without the session's CSRF token is refused.
   */
  identify(req: IncomingMessage): Identity | undefined | { refused: string } {
    const found = this.sessions.lookup(req);
    if (!found || 'refused' in found) return found;
    if (req.method !== 'GET' && req.method !== 'HEAD' && !this.sessions.csrfOk(req, found)) return { refused: `a console session's ${req.method} needs its CSRF token in ${CSRF_HEADER}` };
    return found.identity;
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.answer(req, res).then(
      (reply) => reply && this.write(res, reply),
      (err: unknown) => this.write(res, err instanceof RangeError || err instanceof SyntaxError ? refuse(400, (err as Error).message) : refuse(500, `the console could not answer: ${(err as Error).message}`)),
    );
  }

  private write(res: ServerResponse, reply: Reply): void {
    if (res.headersSent) return void res.end();
    res.writeHead(reply.status, { ...SECURITY_HEADERS, 'cache-control': 'no-store', ...(reply.body !== undefined ? { 'content-type': 'application/json' } : {}), ...reply.headers });
    res.end(reply.body !== undefined ? JSON.stringify(reply.body) : undefined);
  }

  /** A 429 once the client's address has spent its budget of state changes; read before any body. */
  private overBudget(req: IncomingMessage): Reply | undefined {
    const client = req.socket.remoteAddress ?? 'unknown';
    const verdict = this.limiter.take(client);
    if (verdict.allowed) return undefined;
    const { perSecond, burst } = this.rate;
    return json(429, { message: `too many state-changing requests from ${client}: at most ${burst} at once and ${perSecond} a second; retry in ${verdict.retryAfterSeconds} s` }, { 'retry-after': String(verdict.retryAfterSeconds) });
  }

  /** The grants of a request: its bearer token, else its session (CSRF and origin checked for state changes). */
  private who(req: IncomingMessage, changing: boolean): Grants | Reply {
    const header = req.headers.authorization;
    let identity: Identity | undefined | { refused: string };
    if (header !== undefined) identity = this.authn.authenticate(header);
    else {
      const found = this.sessions.lookup(req);
      if (found && !('refused' in found) && changing && !this.sessions.csrfOk(req, found)) return refuse(403, `this request changes state: send the session's CSRF token in ${CSRF_HEADER}`);
      identity = found && !('refused' in found) ? found.identity : found;
    }
    if (!identity) return refuse(401, 'sign in first');
    if ('refused' in identity) return refuse(401, identity.refused);
    return grantsOf(identity, this.core.inventory);
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<Reply | undefined> {
    const url = new URL(req.url ?? '/', 'https://console');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === '/' || path === '/console') return json(302, undefined, { location: '/console/' });
    if (!path.startsWith('/console/api/')) {
      if (method !== 'GET' && method !== 'HEAD') return refuse(405, `use GET for ${path}`);
      const asset = this.assets.get(path);
      if (!asset) return refuse(this.assets.built ? 404 : 503, this.assets.built ? `no console file ${path}` : 'the console is not built: run npm run build');
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': asset.contentType, 'cache-control': asset.cacheControl, ...(path === '/console/' ? { link: this.assets.overviewPreload() } : {}) });
      res.end(method === 'HEAD' ? undefined : asset.body);
      return undefined;
    }
    const changing = method !== 'GET' && method !== 'HEAD';
    // A page of another origin may not post here, even without cookies (sign-in included).
    const origin = req.headers.origin;
    if (changing && origin !== undefined && origin !== `https://${req.headers.host}`) return refuse(403, `requests from ${origin} are refused: the console accepts its own origin only`);
    const route = path.slice('/console/api/'.length);
    if (route === 'session') return this.session(req, method);
    const who = this.who(req, changing);
    if (!('identity' in who)) return who;
    const grants = who;
    if (!changing) {
      if (route === 'overview') return json(200, overview(this.core, grants));
      if (route === 'hosts') return json(200, hostsView(this.core, grants));
      if (route === 'resources') return json(200, this.core.table.all.map((r) => ({ group: r.group, kind: r.kind, plural: r.plural, namespaced: r.namespaced, versions: r.versions })));
      if (route === 'stream') {
        // A reconnect's Last-Event-ID is newer than the ?since= the page first opened with.
        const since = (req.headers['last-event-id'] as string | undefined) ?? url.searchParams.get('since') ?? undefined;
        streamChanges(this.core, req, res, { since, status: url.searchParams.get('status') ?? undefined }, () => this.grantsAgain(req));
        return undefined;
      }
      const ns = /^namespaces\/([a-z0-9-]+)$/.exec(route)?.[1];
      if (ns) {
        if (!mayView(grants, ns)) return refuse(403, `${grants.identity.user} may not view namespace ${ns}`);
        const view = namespaceView(this.core, grants, ns);
        return view ? json(200, view) : refuse(404, `no namespace ${ns}`);
      }
      if (route === 'object') {
        const view = objectView(this.core, grants, url.searchParams.get('key') ?? '');
        return view ? json(200, view) : refuse(404, `no object ${url.searchParams.get('key') ?? ''} you may see`);
      }
      return refuse(404, `no console endpoint ${path}`);
    }
    if (method !== 'POST') return refuse(405, `use POST for ${path}`);
    // Who first, then the budget: a client without a session cannot spend the budget of one with it.
    const over = this.overBudget(req);
    if (over) return over;
    // Actions change what runs: the VI admin's, as on the status listener.
    if (!grants.admin) return refuse(403, `${grants.identity.user} is not a VI admin (group system:masters): only a VI admin may ${route.replace('/', ' ')}`);
    if (route === 'reconcile') {
      const result = this.actions.reconcile();
      return result.ok ? json(202, { accepted: true }) : refuse(result.status, result.message);
    }
    if (route === 'suspend') {
      const reason = req.headers['content-type'] ? ((await readJson(req)) as { reason?: unknown })?.reason : undefined;
      if (reason !== undefined && (typeof reason !== 'string' || reason.length > MAX_REASON)) return refuse(400, `reason must be a string of at most ${MAX_REASON} characters`);
      this.actions.suspend(reason || undefined, grants.identity.user);
      return json(200, { suspended: true });
    }
    if (route === 'resume') {
      this.actions.resume();
      return json(202, { suspended: false });
    }
    if (route === 'prune/confirm') {
      const body = (await readJson(req)) as { revision?: unknown };
      const result = this.actions.confirmPrune(body?.revision);
      return result.ok ? json(202, { confirmed: result.revision }) : refuse(result.status, result.message);
    }
    return refuse(404, `no console endpoint ${method} ${path}`);
  }

  private grantsAgain(req: IncomingMessage): Grants | undefined {
    const header = req.headers.authorization;
    const found = header !== undefined ? this.authn.authenticate(header) : this.sessions.lookup(req);
    if (!found || 'refused' in found) return undefined;
    return grantsOf('identity' in found ? found.identity : found, this.core.inventory);
  }

  private async session(req: IncomingMessage, method: string): Promise<Reply> {
    if (method === 'GET') {
      const found = this.sessions.lookup(req);
      if (!found) return refuse(401, 'sign in with a token or a kubeconfig');
      if ('refused' in found) return refuse(401, found.refused);
      const grants = grantsOf(found.identity, this.core.inventory);
      return json(200, { user: found.identity.user, groups: found.identity.groups, admin: grants.admin, namespaces: [...grants.namespaces].map(([name, g]) => ({ name, role: g.role })), csrf: found.csrf });
    }
    if (method === 'DELETE') {
      const found = this.sessions.lookup(req);
      if (found && !('refused' in found) && !this.sessions.csrfOk(req, found)) return refuse(403, `signing out needs the session's CSRF token in ${CSRF_HEADER}`);
      this.sessions.signOut(req);
      return json(200, { signedOut: true }, { 'set-cookie': sessionCookie('') });
    }
    if (method !== 'POST') return refuse(405, 'use GET, POST or DELETE for /console/api/session');
    // Each sign-in checks a token: bounded like every other state change, before its body is read.
    const over = this.overBudget(req);
    if (over) return over;
    const body = (await readJson(req)) as { token?: unknown; kubeconfig?: unknown };
    let token: string | { refused: string };
    if (typeof body?.token === 'string' && body.token.trim()) token = body.token.trim();
    else if (typeof body?.kubeconfig === 'string') token = kubeconfigToken(body.kubeconfig);
    else return refuse(400, 'send {"token": "..."} or {"kubeconfig": "<the file\'s text>"}');
    if (typeof token !== 'string') return refuse(401, token.refused);
    const opened = this.sessions.signIn(token);
    if ('refused' in opened) return refuse(401, opened.refused);
    const grants = grantsOf(opened.view.identity, this.core.inventory);
    return json(
      200,
      { user: opened.view.identity.user, groups: opened.view.identity.groups, admin: grants.admin, namespaces: [...grants.namespaces].map(([name, g]) => ({ name, role: g.role })), csrf: opened.view.csrf },
      { 'set-cookie': sessionCookie(opened.id) },
    );
  }
}
