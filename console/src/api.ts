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

/** Who is signed in: what the shell and the pages show and offer. */
export interface Who {
  readonly user: string;
  readonly admin: boolean;
}

export interface Session extends Who {
  readonly groups: readonly string[];
  readonly namespaces: readonly { name: string; role: string }[];
  readonly csrf: string;
}

let csrf: Promise<string> = Promise.resolve('');

/** The session whose CSRF token writes carry; a write sent before the session's answer waits for it. */
export function setSession(s: Session | Promise<Session> | undefined): void {
  csrf = Promise.resolve(s).then(
    (x) => x?.csrf ?? '',
    () => '',
  );
}

/** JSON from `path`; a non-2xx answer throws ApiError with the server's message (a Kubernetes Status or {message}). */
export async function request<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const method = (init.method ?? 'GET').toUpperCase();
  const headers = new Headers(init.headers);
  if (!headers.has('accept')) headers.set('accept', 'application/json');
  if (method !== 'GET' && method !== 'HEAD') headers.set('x-csrf-token', await csrf);
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

interface Early {
  readonly answer: Promise<unknown>;
  /** The answer once it came (a page mounted after it takes it without waiting a turn). */
  data?: unknown;
}

const early = new Map<string, Early>();

/**
 * Starts `GET path` at once, before the first render, for the page's first view to take. It asks
 * as the page's preload does (`Link: rel=preload; as=fetch`, accepting any type) so the browser hands
 * over the preload's answer instead of asking again.
 */
export function prefetch<T>(path: string): Promise<T> {
  const answer = request<T>(path, { headers: { accept: '*/*' } });
  const entry: Early = { answer };
  answer.then((data) => (entry.data = data), () => {}); // a 401 is the sign-in's, from whoever awaits it
  early.set(path, entry);
  return answer;
}

/** The prefetched data for `path` if it has come, taken once (a page's first render draws it). */
export function takeArrived<T>(path: string): T | undefined {
  const entry = early.get(path);
  if (entry?.data === undefined) return undefined;
  early.delete(path);
  return entry.data as T;
}

/** The prefetched answer for `path`, once; asked again if the prefetch failed (sent before sign-in). */
export function takePrefetched<T>(path: string): Promise<T> | undefined {
  const entry = early.get(path);
  early.delete(path);
  return (entry?.answer as Promise<T> | undefined)?.catch(() => request<T>(path));
}
