/**
 * The HTTP API as a pure function of a request: a table of routes; reads for an identity (a token
 * pacific signed, or the admin token), cut to what its NamespacePolicy roles allow; health open;
 * and state-changing endpoints behind the write guard (admin token, rate, body size).
 * Every endpoint is a row of `ROUTES`; a route whose method is not GET changes state and is guarded
 * by the router itself, and `test/server/write-routes.test.ts` sends every such row without the token.
 */
import type { Grants } from '../access/grants.js';
import { MONITORING_GROUP } from '../access/identity.js';
import type { AdminVmAction } from '../inventory/admin.js';
import type { AdminHostAction, AdminResult } from '../simulator/admin.js';
import type { ObjectQuery } from './light-views.js';
import { BodyError, json, refusal, type HttpRequest, type HttpResponse } from './types.js';
import type { WriteGuard } from './write-guard.js';
import { parseQuantity } from '../base/quantity.js';

export type { HttpRequest, HttpResponse } from './types.js';

/** What the routes can read and do; the daemon implements it. */
export interface DaemonApi {
  ready(): boolean;
  /** The `/status` document (or its JSON as a string or Buffer) as the grants may see it. */
  status(grants: Grants): unknown;
  inventory(grants: Grants): unknown;
  /** The inventory entities and ownership records the grants may see, for `pacific diff --server`. */
  snapshot(grants: Grants): unknown;
  metrics(): Promise<{ contentType: string; body: string }>;
  /** Revisions, conditions and health per namespace (`pacific status`). */
  summary(grants: Grants): unknown;
  /** Objects as Kubernetes-shaped documents, selected by kind, namespace and name (`pacific get`). */
  objects(grants: Grants, query: ObjectQuery): { status: 200; body: unknown } | { status: 403; message: string };
  /** The events appended after `after` (oldest first), or the newest `limit` when absent (`pacific events`). */
  events(grants: Grants, after: number | undefined, namespace: string | undefined, limit: number): unknown;
  /** pacific's version and build. */
  version(): unknown;
  /** Asks for a reconcile pass now; refused (409) while suspended. */
  reconcile(): { ok: true } | { ok: false; status: number; message: string };
  /** Suspends reconciling (kept across restarts; `by` who asked, the admin token by default) or resumes it (a pass follows). */
  suspend(reason: string | undefined, by?: string): void;
  resume(): void;
  /** The newest passes first (`pacific history`); counts and plan digests for the VI admin only. */
  history(grants: Grants, limit: number): unknown;
  /** Confirms the revision the prune bound holds (its full commit id); a pass follows. */
  confirmPrune(revision: unknown): { ok: true; revision: string } | { ok: false; status: number; message: string };
  adminVirtualMachine(namespace: string, name: string, action: AdminVmAction): AdminResult;
  adminHost(name: string, action: AdminHostAction): AdminResult;
  /** A webhook delivery to the receiver `id`: its signature is checked against the receiver's secret. */
  webhook(id: string, headers: HttpRequest['headers'], body: Buffer): HttpResponse;
}

/** What a signed route's handler gets: the headers and the body's bytes, as signed. */
interface SignedBody { readonly headers: HttpRequest['headers']; readonly raw: Buffer }
/** GET (and HEAD) only read; every other method changes state. */
export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * Who may call a route: anyone (health: load balancers and probes carry no token, and learn nothing),
 * any identity (reads, cut to its grants), or metrics scrapers (a VI admin or the system:monitoring
 * group, as Kubernetes guards /metrics: the counts are cluster-wide). State-changing routes need the
 * admin token (the write guard).
 */
export type Access = 'open' | 'identity' | 'metrics';

/** One endpoint. */
export interface Route {
  readonly method: Method;
  /** Reads only; state-changing routes pass the write guard instead. */
  readonly access?: Access;
  /** The whole path; capture groups are the handler's parameters. */
  readonly path: RegExp;
  /** A path the route answers, for the route-table tests and error messages. */
  readonly example: string;
  /** Authenticated by its own signature instead of the token (webhooks): the guard checks the rate only; `body` is a SignedBody. */
  readonly signed?: true;
  /** `body` is the parsed JSON body of a state-changing request (undefined when empty or a read). */
  readonly handle: (api: DaemonApi, params: readonly string[], body: unknown, grants: Grants, query: URLSearchParams) => HttpResponse | Promise<HttpResponse>;
}

/** True for methods that may change state: they need the token and pass the write limits. */
export function changesState(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD';
}

const text = (status: number, body: string): HttpResponse => ({ status, contentType: 'text/plain', body });
const done = (result: AdminResult, what: string): HttpResponse => (result.ok ? json(200, { done: what }) : refusal(result.status, result.message));

/** vSphere 8's configuration maximums for one VM: 768 vCPUs and 24 TB of memory; a resize beyond them is refused, as vCenter refuses it. */
const MAX_VM_CPUS = 768;
const MAX_VM_MEMORY = 24 * 2 ** 40;

function resize(json: unknown): AdminVmAction | string {
  const body = (json ?? {}) as { cpus?: unknown; memory?: unknown };
  if (typeof body !== 'object' || Array.isArray(body)) return 'the body must be a JSON object such as {"cpus": 8, "memory": "16Gi"}';
  if (body.cpus !== undefined && (typeof body.cpus !== 'number' || !Number.isInteger(body.cpus) || body.cpus < 1 || body.cpus > MAX_VM_CPUS)) {
    return `cpus must be a whole number from 1 to ${MAX_VM_CPUS} (vSphere's maximum for a VM), not ${JSON.stringify(body.cpus)}`;
  }
  if (body.memory !== undefined && typeof body.memory !== 'string') return 'memory must be a quantity string such as "8Gi"';
  if (body.memory !== undefined) {
    let bytes = NaN;
    try {
      bytes = parseQuantity(body.memory as string);
    } catch {
      // Reported below with the value.
    }
    if (!Number.isFinite(bytes) || bytes < 4 * 2 ** 20 || bytes > MAX_VM_MEMORY) return `memory must be a quantity from 4Mi to 24Ti (vSphere's maximum for a VM), not ${JSON.stringify(body.memory)}`;
  }
  return { action: 'resize', ...(body.cpus !== undefined ? { cpus: body.cpus as number } : {}), ...(body.memory !== undefined ? { memory: body.memory as string } : {}) };
}

/** `/status/objects` and its one-object form (`/<Kind>/<namespace>/<name>`, or `/<Kind>/<name>` cluster-wide). */
function objects(api: DaemonApi, grants: Grants, query: ObjectQuery, one: boolean): HttpResponse {
  const found = api.objects(grants, query);
  if (found.status === 403) return refusal(403, found.message);
  if (!one) return json(200, found.body);
  const [item] = (found.body as { items: unknown[] }).items;
  const what = `${query.kind}${query.namespace ? ` ${query.namespace}/` : ' '}${query.name}`;
  return item ? json(200, item) : refusal(404, `${what} not found`);
}

/** A non-negative whole number from the query, or undefined; NaN for anything else. */
function count(query: URLSearchParams, name: string): number | undefined {
  const text = query.get(name);
  if (text === null || text === '') return undefined;
  return /^\d{1,15}$/.test(text) ? Number(text) : NaN;
}

const VM = '/admin/virtualmachines/([a-z0-9-]+)/([a-z0-9.-]+)';
const HOST = '/admin/hosts/([A-Za-z0-9.-]+)';

/** Every endpoint of the daemon. */
export const ROUTES: readonly Route[] = [
  { method: 'GET', access: 'open', path: /^\/healthz$/, example: '/healthz', handle: () => text(200, 'ok\n') },
  { method: 'GET', access: 'open', path: /^\/readyz$/, example: '/readyz', handle: (api) => (api.ready() ? text(200, 'ready\n') : text(503, 'first reconcile pass not finished\n')) },
  { method: 'GET', access: 'identity', path: /^\/status$/, example: '/status', handle: (api, _p, _b, grants) => json(200, api.status(grants)) },
  { method: 'GET', access: 'identity', path: /^\/status\/summary$/, example: '/status/summary', handle: (api, _p, _b, grants) => json(200, api.summary(grants)) },
  {
    method: 'GET',
    access: 'identity',
    path: /^\/status\/objects$/,
    example: '/status/objects',
    handle: (api, _p, _b, grants, q) => objects(api, grants, { ...(q.get('kind') ? { kind: q.get('kind')! } : {}), ...(q.get('namespace') ? { namespace: q.get('namespace')! } : {}), ...(q.get('name') ? { name: q.get('name')! } : {}) }, false),
  },
  {
    method: 'GET',
    access: 'identity',
    path: /^\/status\/objects\/([A-Za-z0-9.]+)\/(?:([a-z0-9-]+)\/)?([a-z0-9.-]+)$/,
    example: '/status/objects/VirtualMachine/team-a/web-1',
    handle: (api, [kind, namespace, name], _b, grants) => objects(api, grants, { kind: kind!, ...(namespace ? { namespace } : {}), name: name! }, true),
  },
  {
    method: 'GET',
    access: 'identity',
    path: /^\/events$/,
    example: '/events',
    handle: (api, _p, _b, grants, q) => {
      const after = count(q, 'after');
      const limit = count(q, 'limit') ?? 100;
      if (Number.isNaN(after) || Number.isNaN(limit)) return refusal(400, 'after and limit must be whole numbers');
      return json(200, api.events(grants, after, q.get('namespace') || undefined, Math.min(limit, 2000)));
    },
  },
  {
    method: 'GET',
    access: 'identity',
    path: /^\/history$/,
    example: '/history',
    handle: (api, _p, _b, grants, q) => {
      const limit = count(q, 'limit') ?? 20;
      if (Number.isNaN(limit)) return refusal(400, 'limit must be a whole number');
      return json(200, api.history(grants, Math.min(limit, 1000)));
    },
  },
  { method: 'GET', access: 'identity', path: /^\/status\/version$/, example: '/status/version', handle: (api) => json(200, api.version()) },
  { method: 'GET', access: 'identity', path: /^\/inventory$/, example: '/inventory', handle: (api, _p, _b, grants) => json(200, api.inventory(grants)) },
  { method: 'GET', access: 'identity', path: /^\/inventory\/snapshot$/, example: '/inventory/snapshot', handle: (api, _p, _b, grants) => json(200, api.snapshot(grants)) },
  {
    method: 'GET',
    access: 'metrics',
    path: /^\/metrics$/,
    example: '/metrics',
    handle: async (api) => {
      const m = await api.metrics();
      return { status: 200, contentType: m.contentType, body: m.body };
    },
  },
  {
    method: 'POST',
    path: /^\/reconcile$/,
    example: '/reconcile',
    handle: (api) => {
      const result = api.reconcile();
      return result.ok ? json(202, { accepted: true }) : refusal(result.status, result.message);
    },
  },
  {
    method: 'POST',
    path: /^\/suspend$/,
    example: '/suspend',
    handle: (api, _params, body) => {
      const reason = typeof body === 'object' && body !== null ? (body as { reason?: unknown }).reason : undefined;
      if (reason !== undefined && (typeof reason !== 'string' || reason.length > 1024)) return refusal(400, 'reason must be a string of at most 1024 characters');
      api.suspend(reason);
      return json(200, { suspended: true });
    },
  },
  {
    method: 'POST',
    path: /^\/resume$/,
    example: '/resume',
    handle: (api) => {
      api.resume();
      return json(202, { suspended: false });
    },
  },
  {
    method: 'POST',
    path: /^\/prune\/confirm$/,
    example: '/prune/confirm',
    handle: (api, _params, body) => {
      const result = api.confirmPrune(typeof body === 'object' && body !== null ? (body as { revision?: unknown }).revision : undefined);
      return result.ok ? json(202, { confirmed: result.revision }) : refusal(result.status, result.message);
    },
  },
  ...(['power-off', 'power-on'] as const).map(
    (action): Route => ({ method: 'POST', path: new RegExp(`^${VM}/${action}$`), example: `/admin/virtualmachines/team-a/web-1/${action}`, handle: (api, [ns, name]) => done(api.adminVirtualMachine(ns!, name!, { action }), action) }),
  ),
  {
    method: 'POST',
    path: new RegExp(`^${VM}/resize$`),
    example: '/admin/virtualmachines/team-a/web-1/resize',
    handle: (api, [ns, name], body) => {
      const action = resize(body);
      return typeof action === 'string' ? refusal(400, action) : done(api.adminVirtualMachine(ns!, name!, action), 'resize');
    },
  },
  { method: 'DELETE', path: new RegExp(`^${VM}$`), example: '/admin/virtualmachines/team-a/web-1', handle: (api, [ns, name]) => done(api.adminVirtualMachine(ns!, name!, { action: 'delete' }), 'delete') },
  { method: 'POST', signed: true, path: /^\/hooks\/([0-9a-f]{64})$/, example: `/hooks/${'0'.repeat(64)}`, handle: (api, [id], body) => api.webhook(id!, (body as SignedBody).headers, (body as SignedBody).raw) },
  ...(['fail', 'recover', 'enter-maintenance', 'exit-maintenance'] as const).map(
    (action): Route => ({ method: 'POST', path: new RegExp(`^${HOST}/${action}$`), example: `/admin/hosts/esx-01.pacific.local/${action}`, handle: (api, [host]) => done(api.adminHost(host!, action), action) }),
  ),
];

/** The route for a method and path; `allowed` lists the methods of the path when none matches. */
export function findRoute(method: string, path: string): { route: Route; params: string[] } | { allowed: Method[] } {
  const wanted = method === 'HEAD' ? 'GET' : method;
  const allowed: Method[] = [];
  for (const route of ROUTES) {
    const m = route.path.exec(path);
    if (!m) continue;
    if (route.method === wanted) return { route, params: m.slice(1) };
    allowed.push(route.method);
  }
  return { allowed };
}

/** Who a request is: its grants, undefined without credentials, or why they are refused. */
export type Identify = (authorization: string | string[] | undefined) => Grants | undefined | { refused: string };

const CHALLENGE = { 'www-authenticate': 'Bearer realm="pacific"' };

/** A read's refusal, or undefined when its route's access lets the grants through. */
function admitRead(access: Access, grants: Grants | undefined | { refused: string }, path: string): HttpResponse | undefined {
  if (access === 'open') return undefined;
  if (!grants) return refusal(401, `${path} needs Authorization: Bearer <token>: the admin token (the token file in the state dir, or $PACIFIC_TOKEN) or one from pacific kubeconfig`, CHALLENGE);
  if ('refused' in grants) return refusal(401, `the bearer token is refused: ${grants.refused}`, { 'www-authenticate': `${CHALLENGE['www-authenticate']}, error="invalid_token"` });
  if (access === 'metrics' && !grants.admin && !grants.identity.groups.includes(MONITORING_GROUP)) {
    return refusal(403, `${path} is for the VI admin (group system:masters) and metrics scrapers (group ${MONITORING_GROUP}); ${grants.identity.user} is in neither`);
  }
  return undefined;
}

/** Answers one request: finds its route, puts a state-changing one through the write guard and reads its bounded body, runs it. */
export async function route(api: DaemonApi, guard: WriteGuard, req: HttpRequest, identify: Identify): Promise<HttpResponse> {
  const found = findRoute(req.method, req.path);
  if ('allowed' in found) {
    if (!found.allowed.length) return refusal(404, `no route for ${req.method} ${req.path}`);
    return refusal(405, `use ${found.allowed.join(' or ')} for ${req.path}`, { allow: found.allowed.join(', ') });
  }
  let body: unknown;
  let grants = undefined as Grants | undefined;
  if (!changesState(found.route.method)) {
    const who = found.route.access === 'open' ? undefined : identify(req.headers['authorization']);
    const refused = admitRead(found.route.access ?? 'identity', who, req.path);
    if (refused) return refused;
    grants = who as Grants | undefined;
  } else {
    const refused = found.route.signed ? guard.admitRate(req) : guard.admit(req);
    if (refused) return refused;
    try {
      body = found.route.signed ? ({ headers: req.headers, raw: await req.rawBody() } satisfies SignedBody) : await req.body();
    } catch (err) {
      if (err instanceof BodyError) return refusal(err.status, err.message);
      throw err;
    }
  }
  return found.route.handle(api, found.params, body, grants!, req.query ?? new URLSearchParams());
}

/** The paths the command line uses, also answered on the Kubernetes API's listener (under a kubeconfig context). */
export const CLI_PATHS = /^\/(?:status(?:\/[A-Za-z0-9.\/-]*)?|events|history|reconcile|suspend|resume|prune\/confirm)$/;
