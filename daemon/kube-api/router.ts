/**
 * The Kubernetes API's routes: open endpoints (/version, health), then authentication (401),
 * discovery, OpenAPI, the access reviews, and resource paths `/api/v1/...` and
 * `/apis/<group>/<version>/...` with their verb decided by the grants (403) before anything is read.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Identity } from '../access/identity.js';
import { grantsOf } from '../access/grants.js';
import { accessReview, rulesReview } from './access-review.js';
import { decide, type Verb } from './authorize.js';
import type { ApiContext, ApiRequest, Target } from './context.js';
import { groupVersionDiscovery, rootDiscovery, versionInfo } from './discovery.js';
import type { OpenApi } from './openapi.js';
import { getObject, listObjects, watchObjects } from './read.js';
import { failure, forbidden, ok, unauthorized, type Reply } from './status.js';
import type { Writes } from './writes.js';

/** Largest request body (the API server's default limit is 3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Resource path segments after `/api/v1` or `/apis/g/v` → namespace, plural, name, subresource. */
function resourcePath(segments: readonly string[]): { namespace?: string; plural: string; name?: string; subresource?: string } | undefined {
  if (segments[0] === 'namespaces' && segments.length >= 3) {
    const [, namespace, plural, name, subresource] = segments;
    return { namespace: namespace!, plural: plural!, ...(name ? { name } : {}), ...(subresource ? { subresource } : {}) };
  }
  const [plural, name, subresource] = segments;
  return plural ? { plural, ...(name ? { name } : {}), ...(subresource ? { subresource } : {}) } : undefined;
}

function verbOf(method: string, named: boolean, watch: boolean): Verb | undefined {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return named ? 'get' : watch ? 'watch' : 'list';
    case 'POST':
      return named ? undefined : 'create';
    case 'PUT':
      return named ? 'update' : undefined;
    case 'PATCH':
      return named ? 'patch' : undefined;
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return undefined;
  }
}

/** Who sent a request: its bearer token or, on the console's origin, its session; undefined without either. */
export type Authenticate = (req: IncomingMessage) => Identity | undefined | { refused: string };

export class Router {
  constructor(
    private readonly ctx: ApiContext,
    private readonly openapi: OpenApi,
    private readonly authenticate: Authenticate,
    private readonly writes: Writes,
    private readonly serverAddress: string,
    private readonly ready: () => boolean,
  ) {}

  /** Answers one request; a watch keeps `res` open and returns undefined. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<Reply | undefined> {
    const url = new URL(req.url ?? '/', 'https://x');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (path === '/version') return ok(versionInfo());
    if (path === '/healthz' || path === '/livez') return ok('ok', 200, 'text/plain');
    if (path === '/readyz') return this.ready() ? ok('ok', 200, 'text/plain') : ok('first reconcile pass not finished', 503, 'text/plain');
    const who = this.authenticate(req);
    if (!who) return unauthorized('send Authorization: Bearer <token> (pacific kubeconfig makes a kubeconfig with one)');
    if ('refused' in who) return unauthorized(who.refused);
    const grants = grantsOf(who, this.ctx.core.inventory);
    let body: Buffer | undefined;
    const request: ApiRequest = { method: req.method ?? 'GET', path, query: url.searchParams, headers: req.headers, grants, body: async () => (body ??= await readBody(req)) };
    const segments = path.split('/').filter(Boolean);
    const { table } = this.ctx;
    if (path === '/api' || path === '/apis') return rootDiscovery(table, path === '/api', req.headers.accept, this.serverAddress);
    if (segments[0] === 'openapi') {
      if (segments[1] !== 'v3') return failure(404, 'NotFound', 'only OpenAPI v3 is served: /openapi/v3');
      if (segments.length === 2) return ok(this.openapi.root());
      const doc = this.openapi.document(segments.slice(2).join('/'));
      return doc ? ok(doc.body) : failure(404, 'NotFound', `no OpenAPI document for ${segments.slice(2).join('/')}`);
    }
    const core = segments[0] === 'api';
    if (!core && segments[0] !== 'apis') return failure(404, 'NotFound', `the server could not find the requested resource (${path})`);
    const [group, version] = core ? ['', segments[1]] : [segments[1] ?? '', segments[2]];
    const rest = segments.slice(core ? 2 : 3);
    if (!version) return failure(404, 'NotFound', `the server could not find the requested resource (${path})`);
    if (!rest.length) return groupVersionDiscovery(table, group, version) ?? failure(404, 'NotFound', `the server could not find the requested resource (${path})`);
    if (group === 'authorization.k8s.io' && version === 'v1' && request.method === 'POST') {
      if (rest[0] === 'selfsubjectaccessreviews') return accessReview(table, grants, await request.body());
      if (rest[0] === 'selfsubjectrulesreviews') return rulesReview(table, grants, await request.body());
    }
    const place = resourcePath(rest);
    const resource = place && table.resource(group, version, place.plural);
    if (!place || !resource) return failure(404, 'NotFound', `the server could not find the requested resource (${path})`);
    const watch = ['true', '1'].includes(url.searchParams.get('watch') ?? '');
    const verb = verbOf(request.method, !!place.name, watch);
    if (!verb) return failure(405, 'MethodNotAllowed', `${request.method} is not supported on ${path}`);
    const namespace = resource.namespaced ? place.namespace : undefined;
    const target: Target = { resource, version, ...(namespace !== undefined ? { namespace } : {}), ...(place.name ? { name: place.name } : {}), ...(place.subresource ? { subresource: place.subresource } : {}) };
    const decision = decide(grants, verb, resource, namespace);
    if (!decision.allowed) return forbidden(who.user, verb, resource, namespace, place.name, decision.why);
    switch (verb) {
      case 'get':
        return getObject(this.ctx, request, target);
      case 'list':
        return listObjects(this.ctx, request, target);
      case 'watch':
        return watchObjects(this.ctx, request, target, res);
      default:
        return this.writes.handle(request, target, verb);
    }
  }
}
