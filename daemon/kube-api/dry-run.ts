/**
 * A dry-run write answers with what pacific would hold once that manifest is committed: the object
 * is validated as `pacific validate` validates it (422 with the same messages), put in place of its
 * declaration (or beside the others when new) and planned with pacific's planner against the live
 * inventory (403 with the admission message when refused: quota, class, placement, tenancy), then
 * rendered as a GET would render it, defaults filled as the planner fills them.
 */
import { dump } from 'js-yaml';
import { randomUUID } from 'node:crypto';
import type { Grants } from '../access/grants.js';
import { tenancyViolations, tenantOf } from '../manifests/tenancy.js';
import { validateDocument } from '../manifests/validate.js';
import type { ManifestObject } from '../manifests/types.js';
import { plan } from '../plan/planner.js';
import { reconcilers } from '../reconcilers/index.js';
import { scopeNamespace } from '../plan/scoped-inventory.js';
import type { ApiContext, Target } from './context.js';
import { LAST_APPLIED } from './go-json.js';
import type { ApiObject, ServedObject } from './objects.js';
import { PROVENANCE, renderObject, secretData } from './render.js';
import { failure, invalid, type Reply } from './status.js';

type Obj = Record<string, unknown>;

/** Fields the server owns: a manifest never carries them into Git. */
function asManifest(object: Obj): Obj {
  const { status: _s, ...rest } = object;
  const meta = { ...((rest['metadata'] ?? {}) as Obj) };
  for (const k of ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'ownerReferences', 'deletionTimestamp', 'deletionGracePeriodSeconds']) delete meta[k];
  const annotations = { ...((meta['annotations'] ?? {}) as Record<string, string>) };
  delete annotations[PROVENANCE];
  delete annotations[LAST_APPLIED];
  if (Object.keys(annotations).length) meta['annotations'] = annotations;
  else delete meta['annotations'];
  return { ...rest, metadata: meta };
}

/** The file a new object of a namespace belongs in (the tenant folder, or the VI admin's area). */
export function homeOf(ctx: ApiContext, namespace: string, namespaced: boolean, adminKind: boolean): string {
  const root = ctx.core.source.tenantRoot;
  return root && namespaced && !adminKind && namespace ? `${root}/${namespace}/` : 'a folder outside the tenant folders (the VI admin\'s, e.g. platform/)';
}

export interface DryRunInput {
  readonly target: Target;
  readonly grants: Grants;
  /** The object as it would be after the write (a merged patch, or the body sent). */
  readonly object: Obj;
  /** The served object the write changes; undefined for a new one. */
  readonly live: ServedObject | undefined;
}

/** Validates and plans the object; returns the object pacific would hold, or the refusal. */
export function dryRun(ctx: ApiContext, input: DryRunInput): Reply {
  const { target, live } = input;
  const r = target.resource;
  const name = String(((input.object['metadata'] ?? {}) as Obj)['name'] ?? target.name ?? '');
  const manifest = asManifest({ ...input.object, apiVersion: input.object['apiVersion'] ?? (r.group ? `${r.group}/${target.version}` : target.version), kind: input.object['kind'] ?? r.kind });
  const file = live?.object.declared?.file ?? `${homeOf(ctx, target.namespace ?? '', r.namespaced, false)}${name}.yaml`;
  const text = dump(manifest, { noRefs: true, lineWidth: -1 });
  const result = validateDocument({ file, index: 0, line: live?.object.declared?.line ?? 1, firstLine: live?.object.declared?.line ?? 1, text, value: manifest }, ctx.core.schemas, target.namespace ?? 'default');
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length || !result.object) return invalid(r, name, errors.map((d) => ({ reason: d.code, message: d.message, ...(d.path ? { field: d.path } : {}) })));
  const root = ctx.core.source.tenantRoot;
  // Judged as the loader judges the file it would live in: a tenant folder's objects are the tenant's.
  const object: ManifestObject = root && tenantOf(file, { root }) !== undefined ? { ...result.object, tenant: true } : result.object;
  if (target.namespace !== undefined && object.namespace !== target.namespace) return failure(400, 'BadRequest', `the namespace of the provided object (${object.namespace}) does not match the namespace sent on the request (${target.namespace})`);
  if (target.name && object.name !== target.name) return failure(400, 'BadRequest', `the name of the object (${object.name}) does not match the name on the URL (${target.name})`);
  if (root && !input.grants.admin) {
    const tenancy = tenancyViolations({ ...object, source: { file: `${root}/${object.namespace}/${object.name}.yaml`, line: 1, column: 1 } }, object.namespace, { root });
    if (tenancy.length) return failure(403, 'Forbidden', `${r.kind} ${object.namespace}/${object.name}: ${tenancy[0]!.message} (tenancy)`);
  }
  const applied = ctx.core.applied();
  const namespace = scopeNamespace(object);
  const scope = namespace === undefined ? undefined : new Set([namespace]);
  const declared = (applied?.objects ?? []).filter((o) => o.key !== object.key && (!scope || scopeNamespace(o) === undefined || scope.has(scopeNamespace(o)!)));
  const thePlan = plan({
    revision: applied?.revision ?? 'dry-run',
    reconcilers,
    desired: [...declared, object],
    inventory: ctx.core.inventory,
    ownership: ctx.core.ownership(),
    normalizeSpec: (a, k, s) => ctx.core.schemas.normalizeSpec(a, k, s),
    ...(scope ? { namespaces: scope } : {}),
  });
  const change = thePlan.changes.find((c) => c.key === object.key);
  if (change && !change.admission.allowed) {
    return failure(403, 'Forbidden', `${r.kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name} would be refused by pacific's admission (${change.admission.reason ?? 'Forbidden'}): ${change.admission.message ?? ''}`, { name: object.name, group: r.group, kind: r.plural, causes: [{ reason: change.admission.reason ?? 'Forbidden', message: change.admission.message ?? '' }] });
  }
  return { status: live ? 200 : 201, body: JSON.stringify(rendered(ctx, input, object)), contentType: 'application/json' };
}

/** The object as a GET would show it after the commit: live metadata, generation bumped when the spec changes. */
function rendered(ctx: ApiContext, input: DryRunInput, object: ManifestObject): Obj {
  const { live, target } = input;
  const meta = (object.body['metadata'] ?? {}) as { labels?: Record<string, string>; annotations?: Record<string, string> };
  const { apiVersion: _a, kind: _k, metadata: _m, spec, status: _s, ...extra } = object.body as Obj;
  const sent = (((input.object['metadata'] ?? {}) as Obj)['annotations'] ?? {}) as Record<string, string>;
  const normalized = spec === undefined ? undefined : ctx.core.schemas.normalizeSpec(object.apiVersion, object.kind, spec);
  const apiObject: ApiObject = {
    ...(live?.object ?? { resource: target.resource, key: object.key, namespace: object.namespace, name: object.name }),
    apiVersion: object.apiVersion,
    labels: meta.labels ?? {},
    annotations: meta.annotations ?? {},
    ...(normalized !== undefined ? { spec: normalized } : {}),
    extra,
    ...(sent[LAST_APPLIED] !== undefined ? { lastApplied: sent[LAST_APPLIED] } : {}),
    ...(live?.object.declared ? { declared: live.object.declared } : {}),
  } as ApiObject;
  if (sent[LAST_APPLIED] === undefined) delete (apiObject as { lastApplied?: string }).lastApplied;
  const served = (e: Readonly<Obj> | undefined) => (object.kind === 'Secret' ? secretData(e ?? {}) : e && Object.keys(e).length ? e : null);
  const specChanged = live ? JSON.stringify([live.object.spec ?? null, served(live.object.extra)]) !== JSON.stringify([apiObject.spec ?? null, served(extra)]) : false;
  const now = new Date(ctx.core.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  const metaOut = live
    ? { ...live.meta, generation: live.meta.generation + (specChanged ? 1 : 0) }
    : { uid: randomUUID(), resourceVersion: 0, generation: 1, creationTimestamp: now, specHash: '', contentHash: '' };
  const out = renderObject({ object: apiObject, meta: metaOut, json: new Map() }, object.apiVersion, ctx.render);
  if (!live) delete (out['metadata'] as Obj)['resourceVersion'];
  return out;
}
