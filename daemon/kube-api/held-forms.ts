/**
 * The shapes one object takes between the core and the API: a held object as the manifest that
 * declared it and back, and a status record as a status field.
 */
import { anySpecOf } from '../manifests/typed-spec.js';
import type { StoredObject } from '../inventory/model/stored-object.js';
import type { ManifestObject } from '../manifests/types.js';
import type { ObjectStatusRecord } from '../store/types.js';

/** The ManifestObject shape of a held object, for a reconciler's status of an undeclared live object. */
export function asManifest(key: string, group: string, object: StoredObject): ManifestObject {
  const version = object.apiVersion.slice(object.apiVersion.indexOf('/') + 1);
  return {
    key,
    apiVersion: object.apiVersion,
    group,
    version,
    kind: object.kind,
    namespace: object.namespace,
    name: object.name,
    namespaced: !!object.namespace,
    body: heldBody(object),
    source: { file: '', line: 0, column: 0 },
  };
}

export function statusOf(record: Pick<ObjectStatusRecord, 'conditions' | 'fields'>): Record<string, unknown> {
  return { ...record.fields, conditions: record.conditions };
}

/** A held object as the manifest that declared it. */
export function heldBody(o: StoredObject): Record<string, unknown> {
  const metadata = { name: o.name, ...(o.namespace ? { namespace: o.namespace } : {}), ...(o.labels ? { labels: o.labels } : {}), ...(o.annotations ? { annotations: o.annotations } : {}) };
  return { apiVersion: o.apiVersion, kind: o.kind, metadata, ...(o.spec !== undefined ? { spec: o.spec } : {}), ...o.extra };
}

/** A declaration as the object it is held as. */
export function heldForm(o: ManifestObject): StoredObject {
  const meta = (o.body['metadata'] ?? {}) as { labels?: Record<string, string>; annotations?: Record<string, string> };
  const { apiVersion: _a, kind: _k, metadata: _m, spec: _spec, status: _s, ...extra } = o.body as Record<string, unknown>;
  const spec = anySpecOf(o);
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    namespace: o.namespace,
    name: o.name,
    ...(meta.labels ? { labels: meta.labels } : {}),
    ...(meta.annotations ? { annotations: meta.annotations } : {}),
    ...(spec !== undefined ? { spec } : {}),
    ...(Object.keys(extra).length ? { extra } : {}),
  };
}
