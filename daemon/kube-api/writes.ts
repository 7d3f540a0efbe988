/**
 * Writes. Git is the only writer: a dry run (`?dryRun=All`: kubectl diff, apply --dry-run=server)
 * answers with pacific's plan for the object (see dry-run.ts); any other write is refused with
 * 405 MethodNotAllowed naming where the object is declared (repo, branch, file, line) or where a
 * new one belongs, so a kubectl user learns the GitOps way from the one message.
 */
import { load } from 'js-yaml';
import type { Verb } from './authorize.js';
import type { ApiContext, ApiRequest, Target } from './context.js';
import { apiVersionOf } from './context.js';
import { dryRun, homeOf } from './dry-run.js';
import { apiKey } from './objects.js';
import { mergePatch, patchTypeOf, strategicMergePatch } from './patch.js';
import { renderObject } from './render.js';
import { badRequest, failure, notFound, type Reply } from './status.js';

type Obj = Record<string, unknown>;

const ADMIN_KINDS = new Set(['/ResourceQuota', '/LimitRange', 'pacific.dev/NamespacePolicy', '/Namespace']);

function parseBody(body: Buffer, yaml: boolean): Obj | undefined {
  try {
    const value = yaml ? load(body.toString('utf8')) : JSON.parse(body.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : undefined;
  } catch {
    return undefined;
  }
}

export class Writes {
  constructor(private readonly ctx: ApiContext) {}

  async handle(req: ApiRequest, target: Target, verb: Verb): Promise<Reply> {
    const r = target.resource;
    const dry = req.query.getAll('dryRun').includes('All');
    const patchType = verb === 'patch' ? patchTypeOf(req.headers['content-type']) : undefined;
    const body = verb === 'delete' || verb === 'deletecollection' ? undefined : parseBody(await req.body(), patchType === 'apply');
    const name = target.name ?? String(((body?.['metadata'] ?? {}) as Obj)['name'] ?? '');
    const key = apiKey(r.group, r.kind, target.namespace ?? '', name);
    const live = this.ctx.catalog.get(key);
    if (!dry) return this.refusal(target, verb, name, live);
    if (!r.declarable) return failure(405, 'MethodNotAllowed', `${r.kind} is ${r.kind === 'Node' || r.kind === 'Event' ? 'pacific\'s own view of the inventory' : 'derived by pacific'}: it is never written, not even in a dry run`);
    if (verb === 'delete' || verb === 'deletecollection') {
      if (!live) return notFound(r, name);
      return { status: 200, body: JSON.stringify(renderObject(live, apiVersionOf(r, target.version), this.ctx.render)), contentType: 'application/json' };
    }
    if (!body) return badRequest(`the request body is not a ${patchType === 'apply' ? 'YAML or JSON' : 'JSON'} object`);
    let object: Obj;
    if (verb === 'patch') {
      if (!patchType || patchType === 'json') return failure(415, 'UnsupportedMediaType', `the patch type ${req.headers['content-type'] ?? '(none)'} is not supported: use merge, strategic merge or apply patches`);
      if (patchType === 'apply') object = body;
      else {
        if (!live) return notFound(r, name);
        const current = renderObject(live, apiVersionOf(r, target.version), this.ctx.render);
        object = (patchType === 'merge' ? mergePatch(current, body) : strategicMergePatch(current, body)) as Obj;
      }
    } else {
      if (verb === 'create' && live) return failure(409, 'AlreadyExists', `${r.plural}${r.group ? `.${r.group}` : ''} "${name}" already exists`, { name, group: r.group, kind: r.plural });
      if (verb === 'update' && !live) return notFound(r, name);
      object = body;
    }
    if (target.namespace !== undefined) object = { ...object, metadata: { namespace: target.namespace, ...((object['metadata'] ?? {}) as Obj) } };
    return dryRun(this.ctx, { target, grants: req.grants, object, live });
  }

  /** 405 naming the file that declares the object, what it is derived from, or where a new one belongs. */
  private refusal(target: Target, verb: Verb, name: string, live: ReturnType<ApiContext['catalog']['get']>): Reply {
    const r = target.resource;
    const { repo, branch } = this.ctx.core.source;
    const where = `${repo} (branch ${branch})`;
    const what = `${r.kind} ${target.namespace ? `${target.namespace}/` : ''}${name}`;
    const dryRunHint = 'kubectl diff or --dry-run=server shows what pacific would do with a change before you push it';
    let message: string;
    if (live?.object.declared) {
      const change = verb === 'delete' ? 'remove its declaration' : 'change it';
      message = `${what} is declared in ${where}, ${live.object.declared.file} line ${live.object.declared.line}: pacific applies only what Git holds; ${change} there, commit and push (${dryRunHint})`;
    } else if (live?.object.ownerKey) {
      const owner = this.ctx.catalog.get(live.object.ownerKey);
      const declared = owner?.object.declared ? `, declared in ${where}, ${owner.object.declared.file} line ${owner.object.declared.line}` : '';
      message = `${what} is derived by pacific from ${owner ? `${owner.object.resource.kind} ${owner.object.namespace ? `${owner.object.namespace}/` : ''}${owner.object.name}` : 'another object'}${declared}: change that object in Git instead`;
    } else if (live || !r.declarable) {
      message = `${what} is held by pacific's simulated vCenter and its controllers, not declared in Git: it cannot be written through the API`;
    } else {
      const home = homeOf(this.ctx, target.namespace ?? '', r.namespaced, ADMIN_KINDS.has(`${r.group}/${r.kind}`));
      message = `${what} does not exist: pacific applies only what Git holds; declare it in ${where}, in ${home}, commit and push (${dryRunHint})`;
    }
    return failure(405, 'MethodNotAllowed', message, { name, group: r.group, kind: r.plural, causes: [{ reason: 'GitOps', message: `writes go through ${where}` }] });
  }
}
