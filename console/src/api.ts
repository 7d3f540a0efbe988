/** Requests to the daemon from the signed-in page: same origin, the session cookie, the CSRF token on writes. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

export interface Session {
  readonly user: string;
  readonly groups: readonly string[];
  readonly admin: boolean;
  readonly namespaces: readonly { name: string; role: string }[];
  readonly csrf: string;
}

let csrf = '';

export function setSession(s: Session | undefined): void {
  csrf = s?.csrf ?? '';
}

/** JSON from `path`; a non-2xx answer throws ApiError with the server's message (a Kubernetes Status or {message}). */
export async function request<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const method = (init.method ?? 'GET').toUpperCase();
  const headers = new Headers(init.headers);
  headers.set('accept', 'application/json');
  if (method !== 'GET' && method !== 'HEAD') headers.set('x-csrf-token', csrf);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  const response = await fetch(path, { ...init, method, headers, body: body ?? null, credentials: 'same-origin' });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  if (!response.ok) {
    const message = (parsed as { message?: string } | undefined)?.message ?? `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message, parsed);
  }
  return parsed as T;
}

export const signIn = (credentials: { token: string } | { kubeconfig: string }) => request<Session>('/console/api/session', { method: 'POST', json: credentials });
export const currentSession = () => request<Session>('/console/api/session');
export const signOut = () => request('/console/api/session', { method: 'DELETE' });

const early = new Map<string, Promise<unknown>>();

/**
 * Starts `GET path` at once, beside the session's request rather than after it, for the page's
 * first view to take (the Overview's first paint waits for one round trip instead of two).
 */
export function prefetch(path: string): void {
  const p = request(path);
  p.catch(() => {}); // a page signed out gets 401 here: the sign-in follows from the session's request
  early.set(path, p);
}

/** The prefetched answer for `path`, once; asked again if the prefetch failed (sent before sign-in). */
export function takePrefetched<T>(path: string): Promise<T> | undefined {
  const p = early.get(path) as Promise<T> | undefined;
  early.delete(path);
  return p?.catch(() => request<T>(path));
}
