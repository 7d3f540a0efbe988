/**
 * A served object as JSON at the version asked for: metadata with the API's bookkeeping, owner
 * references to the objects pacific derived it from, the provenance annotation (repo, branch,
 * commit, file, line) and kubectl's last-applied-configuration for declared objects, the spec with
 * the schema's defaults filled, and the status pacific computes. Secret values are base64 `data`
 * (a Secret's `stringData` is folded in, as the API server does) and left out for a reader who may
 * not see them. Each object's JSON is made once per version.
 */
import { LAST_APPLIED } from './go-json.js';
import { convert } from './convert.js';
import type { ServedObject } from './objects.js';

/** The annotation naming where an object is declared. */
export const PROVENANCE = 'pacific.dev/source';

export interface RenderContext {
  readonly source: { readonly repo: string; readonly branch: string };
  /** The served object of a key (owners, the object an event is about). */
  objectOf(key: string): ServedObject | undefined;
  normalizeSpec(apiVersion: string, kind: string, spec: unknown): unknown;
}

/** A Secret's top-level data as the API server holds it: `stringData` folded into base64 `data`. */
export function secretData(extra: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { stringData, data, ...rest } = extra as { stringData?: Record<string, string>; data?: Record<string, string> };
  const folded = { ...(data ?? {}), ...Object.fromEntries(Object.entries(stringData ?? {}).map(([k, v]) => [k, Buffer.from(String(v)).toString('base64')])) };
  return { ...rest, ...(Object.keys(folded).length ? { data: folded } : {}) };
}

/** The object at `apiVersion`; without `secrets`, a Secret's values are left out. */
export function renderObject(s: ServedObject, apiVersion: string, ctx: RenderContext, secrets = true): Record<string, unknown> {
  const { object: o, meta } = s;
  const annotations: Record<string, string> = { ...o.annotations };
  if (o.declared) annotations[PROVENANCE] = JSON.stringify({ repository: ctx.source.repo, branch: ctx.source.branch, ...(meta.commit ? { commit: meta.commit } : {}), file: o.declared.file, line: o.declared.line });
  // A Secret's declaration holds its values: a reader who may not see them does not get it either.
  if (o.lastApplied && (secrets || o.resource.kind !== 'Secret')) annotations[LAST_APPLIED] = o.lastApplied;
  const owner = o.ownerKey ? ctx.objectOf(o.ownerKey) : undefined;
  const ownerRefs = owner
    ? [{ apiVersion: owner.object.apiVersion, kind: owner.object.resource.kind, name: owner.object.name, uid: owner.meta.uid, controller: true, blockOwnerDeletion: true }]
    : undefined;
  const metadata = {
    name: o.name,
    ...(o.namespace ? { namespace: o.namespace } : {}),
    uid: meta.uid,
    resourceVersion: String(meta.resourceVersion),
    ...(o.resource.kind === 'Event' ? {} : { generation: meta.generation }),
    creationTimestamp: meta.creationTimestamp,
    ...(o.labels && Object.keys(o.labels).length ? { labels: o.labels } : {}),
    ...(Object.keys(annotations).length ? { annotations } : {}),
    ...(ownerRefs ? { ownerReferences: ownerRefs } : {}),
  };
  const converted = convert(o.resource.kind, o.apiVersion, apiVersion, o.spec, o.status as Record<string, unknown> | undefined);
  const { status } = converted;
  const spec = apiVersion !== o.apiVersion && converted.spec !== undefined ? ctx.normalizeSpec(apiVersion, o.resource.kind, converted.spec) : converted.spec;
  let extra = o.extra ?? {};
  if (o.resource.kind === 'Secret') extra = secrets ? secretData(extra) : Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'data' && k !== 'stringData'));
  if (o.involvedKey) {
    const about = ctx.objectOf(o.involvedKey);
    if (about) extra = { ...extra, involvedObject: { ...(extra['involvedObject'] as object), uid: about.meta.uid } };
  }
  if (apiVersion === 'events.k8s.io/v1') return { apiVersion, kind: 'Event', metadata, ...eventsV1(extra) };
  return { apiVersion, kind: o.resource.kind, metadata, ...(spec !== undefined ? { spec } : {}), ...extra, ...(status !== undefined ? { status } : {}) };
}

/** A core Event's fields as events.k8s.io/v1 names them. */
function eventsV1(e: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return {
    regarding: e['involvedObject'],
    reason: e['reason'],
    note: e['message'],
    type: e['type'],
    eventTime: null,
    action: e['reason'],
    reportingController: e['reportingComponent'],
    reportingInstance: e['reportingInstance'],
    deprecatedFirstTimestamp: e['firstTimestamp'],
    deprecatedLastTimestamp: e['lastTimestamp'],
    deprecatedCount: e['count'],
    deprecatedSource: e['source'],
  };
}

/**
 * The object's JSON at `apiVersion` as UTF-8, made once and kept as bytes: a LIST of 10,000 objects
 * copies them into its pieces instead of joining 31 MiB of strings and encoding them again (a
 * Secret without its values is made each time: rare).
 */
export function renderJsonBytes(s: ServedObject, apiVersion: string, ctx: RenderContext, secrets = true): Buffer {
  if (!secrets && s.object.resource.kind === 'Secret') return Buffer.from(JSON.stringify(renderObject(s, apiVersion, ctx, false)));
  let bytes = s.json.get(apiVersion);
  if (bytes === undefined) s.json.set(apiVersion, (bytes = Buffer.from(JSON.stringify(renderObject(s, apiVersion, ctx)))));
  return bytes;
}

/** The object's JSON at `apiVersion` as text (see `renderJsonBytes`). */
export function renderJson(s: ServedObject, apiVersion: string, ctx: RenderContext, secrets = true): string {
  return renderJsonBytes(s, apiVersion, ctx, secrets).toString('utf8');
}
