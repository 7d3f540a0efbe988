/**
 * Console sessions: a sign-in trades a bearer token (pasted, or read from a kubeconfig) for an
 * HttpOnly, Secure, SameSite=Strict cookie naming a session held in memory. The token stays on the
 * server and is authenticated again on every request, so an expired or revoked token ends the
 * session. Every state-changing request a session sends carries the session's CSRF token in a header
 * a cross-site page cannot set; SameSite=Strict already keeps the cookie off cross-site requests.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { load } from 'js-yaml';
import type { Authenticator, Identity } from '../access/identity.js';

/** `__Host-`: the browser keeps it only when Secure, Path=/ and without Domain (no subdomain can set it). */
export const SESSION_COOKIE = '__Host-pacific-console';
export const CSRF_HEADER = 'x-csrf-token';
/** A session unused this long ends (an office day of idle tabs is not a session). */
export const IDLE_MS = 60 * 60 * 1000;
/** A session ends this long after sign-in whatever its use (the Supervisor's SSO token lasts 10 h). */
export const MAX_AGE_MS = 10 * 60 * 60 * 1000;
/** Sessions held at once; the least recently used goes first (sign-ins cannot grow memory without bound). */
export const MAX_SESSIONS = 2000;

interface Session {
  readonly id: string;
  readonly token: string;
  readonly csrf: string;
  readonly createdAt: number;
  seenAt: number;
}

export interface SessionView {
  readonly identity: Identity;
  readonly csrf: string;
}

export type Lookup = SessionView | undefined | { refused: string };

const random = () => randomBytes(32).toString('base64url');

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The value of one cookie of a request. */
export function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The bearer token of a kubeconfig's current context (what `pacific kubeconfig` writes), or why there is none. */
export function kubeconfigToken(text: string): string | { refused: string } {
  let doc: unknown;
  try {
    doc = load(text);
  } catch (err) {
    return { refused: `the kubeconfig is not YAML: ${(err as Error).message.split('\n')[0]}` };
  }
  const config = (doc ?? {}) as { 'current-context'?: string; contexts?: { name?: string; context?: { user?: string } }[]; users?: { name?: string; user?: { token?: string } }[] };
  const contextName = config['current-context'];
  const context = config.contexts?.find((c) => c.name === contextName) ?? config.contexts?.[0];
  const userName = context?.context?.user;
  const user = config.users?.find((u) => u.name === userName) ?? (config.users?.length === 1 ? config.users[0] : undefined);
  if (!user) return { refused: 'the kubeconfig names no user for its current context' };
  if (typeof user.user?.token !== 'string' || !user.user.token) return { refused: `the kubeconfig's user ${user.name ?? ''} has no bearer token (pacific kubeconfig writes one)` };
  return user.user.token;
}

export class Sessions {
  private readonly held = new Map<string, Session>();

  constructor(
    private readonly authn: Authenticator,
    private readonly now: () => number = Date.now,
  ) {}

  /** Opens a session for a token the authenticator accepts. */
  signIn(token: string): { id: string; view: SessionView } | { refused: string } {
    const who = this.authn.authenticate(`Bearer ${token}`);
    if (!who) return { refused: 'no token given' };
    if ('refused' in who) return { refused: `the token is refused: ${who.refused}` };
    while (this.held.size >= MAX_SESSIONS) this.held.delete(this.held.keys().next().value!);
    const now = this.now();
    const session: Session = { id: random(), token, csrf: random(), createdAt: now, seenAt: now };
    this.held.set(session.id, session);
    return { id: session.id, view: { identity: who, csrf: session.csrf } };
  }

  /** The session a request's cookie names (undefined without one), renewed as used; refused once expired. */
  lookup(req: IncomingMessage): Lookup {
    const id = cookieOf(req, SESSION_COOKIE);
    if (!id) return undefined;
    const session = this.held.get(id);
    if (!session) return { refused: 'the console session is unknown or has ended: sign in again' };
    const now = this.now();
    if (now - session.seenAt > IDLE_MS || now - session.createdAt > MAX_AGE_MS) {
      this.held.delete(id);
      return { refused: 'the console session has expired: sign in again' };
    }
    const who = this.authn.authenticate(`Bearer ${session.token}`);
    if (!who || 'refused' in who) {
      this.held.delete(id);
      return { refused: `the session's token is no longer accepted${who ? `: ${who.refused}` : ''}` };
    }
    session.seenAt = now;
    // Most recently used last: eviction takes the first.
    this.held.delete(id);
    this.held.set(id, session);
    return { identity: who, csrf: session.csrf };
  }

  /** Whether a state-changing request carries its session's CSRF token. */
  csrfOk(req: IncomingMessage, view: SessionView): boolean {
    const sent = req.headers[CSRF_HEADER];
    return typeof sent === 'string' && sameText(sent, view.csrf);
  }

  signOut(req: IncomingMessage): void {
    const id = cookieOf(req, SESSION_COOKIE);
    if (id) this.held.delete(id);
  }

  get size(): number {
    return this.held.size;
  }
}

/** The Set-Cookie value of a session (empty id and Max-Age=0 end it). */
export function sessionCookie(id: string): string {
  return `${SESSION_COOKIE}=${id}; Path=/; Secure; HttpOnly; SameSite=Strict${id ? '' : '; Max-Age=0'}`;
}
