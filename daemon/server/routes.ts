/**
 * The HTTP API as a pure function of a request: read-only views for anyone who can reach the
 * port, and state-changing endpoints (reconcile now, simulator admin) only with the bearer token.
 */
import { timingSafeEqual } from 'node:crypto';
import type { AdminVmAction } from '../inventory/admin.js';
import type { AdminHostAction, AdminResult } from '../simulator-admin.js';

export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body?: unknown;
}

export interface HttpResponse {
  readonly status: number;
  readonly contentType?: string;
  readonly body: unknown;
}

/** What the routes can read and do; the daemon implements it. */
export interface DaemonApi {
  ready(): boolean;
  status(): unknown;
  inventory(): unknown;
  /** Every inventory entity and ownership record, for `pacific diff --server`. */
  snapshot(): unknown;
  metrics(): Promise<{ contentType: string; body: string }>;
  /** Asks for a reconcile pass now. */
  reconcile(): void;
  /** Confirms the revision the prune bound holds (its full commit id); a pass follows. */
  confirmPrune(revision: unknown): { ok: true; revision: string } | { ok: false; status: number; message: string };
  adminVirtualMachine(namespace: string, name: string, action: AdminVmAction): AdminResult;
  adminHost(name: string, action: AdminHostAction): AdminResult;
}

const json = (status: number, body: unknown): HttpResponse => ({ status, contentType: 'application/json', body });
const error = (status: number, message: string): HttpResponse => json(status, { error: message });

function authorized(req: HttpRequest, token: string): boolean {
  const header = req.headers['authorization'] ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const VM_ADMIN = /^\/admin\/virtualmachines\/([a-z0-9-]+)\/([a-z0-9.-]+)(?:\/(power-off|power-on|resize))?$/;
const HOST_ADMIN = /^\/admin\/hosts\/([A-Za-z0-9.-]+)\/(fail|recover|enter-maintenance|exit-maintenance)$/;

function adminAction(req: HttpRequest, verb: string | undefined): AdminVmAction | string {
  if (req.method === 'DELETE' && !verb) return { action: 'delete' };
  if (req.method !== 'POST' || !verb) return 'use POST …/power-off, …/power-on, …/resize or DELETE';
  if (verb !== 'resize') return { action: verb as 'power-off' | 'power-on' };
  const body = (req.body ?? {}) as { cpus?: unknown; memory?: unknown };
  if (body.cpus !== undefined && typeof body.cpus !== 'number') return 'cpus must be a number';
  if (body.memory !== undefined && typeof body.memory !== 'string') return 'memory must be a quantity string such as "8Gi"';
  return { action: 'resize', ...(body.cpus !== undefined ? { cpus: body.cpus as number } : {}), ...(body.memory !== undefined ? { memory: body.memory as string } : {}) };
}

/** Answers one request. */
export async function route(api: DaemonApi, token: string, req: HttpRequest): Promise<HttpResponse> {
  const { method, path } = req;
  if (method === 'GET' || method === 'HEAD') {
    switch (path) {
      case '/healthz':
        return { status: 200, contentType: 'text/plain', body: 'ok\n' };
      case '/readyz':
        return api.ready() ? { status: 200, contentType: 'text/plain', body: 'ready\n' } : { status: 503, contentType: 'text/plain', body: 'first reconcile pass not finished\n' };
      case '/status':
        return json(200, api.status());
      case '/inventory':
        return json(200, api.inventory());
      case '/inventory/snapshot':
        return json(200, api.snapshot());
      case '/metrics': {
        const m = await api.metrics();
        return { status: 200, contentType: m.contentType, body: m.body };
      }
    }
  }
  const admin = VM_ADMIN.exec(path);
  const hostAdmin = HOST_ADMIN.exec(path);
  if (path === '/reconcile' || path === '/prune/confirm' || admin || hostAdmin) {
    if (!authorized(req, token)) return error(401, 'this endpoint changes state: send Authorization: Bearer <token> (see the token file in the state dir)');
    if (path === '/reconcile') {
      if (method !== 'POST') return error(405, 'use POST');
      api.reconcile();
      return json(202, { accepted: true });
    }
    if (path === '/prune/confirm') {
      if (method !== 'POST') return error(405, 'use POST');
      const body = req.body;
      const result = api.confirmPrune(typeof body === 'object' && body !== null ? (body as { revision?: unknown }).revision : undefined);
      return result.ok ? json(202, { confirmed: result.revision }) : error(result.status, result.message);
    }
    if (hostAdmin) {
      if (method !== 'POST') return error(405, 'use POST');
      const result = api.adminHost(hostAdmin[1]!, hostAdmin[2] as AdminHostAction);
      return result.ok ? json(200, { done: hostAdmin[2] }) : error(result.status, result.message);
    }
    const action = adminAction(req, admin![3]);
    if (typeof action === 'string') return error(400, action);
    const result = api.adminVirtualMachine(admin![1]!, admin![2]!, action);
    return result.ok ? json(200, { done: action.action }) : error(result.status, result.message);
  }
  return error(404, `no route for ${method} ${path}`);
}
