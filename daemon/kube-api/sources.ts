/**
 * What the API serves, gathered from what the core computed: every object with a status (declared
 * and derived), every live object the reconcilers observe (images, released objects), ESXi hosts
 * as Nodes, the vCenter VM classes bound to each namespace, and pacific's events. An object is
 * rebuilt only when one of its inputs changed (compared by identity: entities and statuses are
 * immutable values), so a refresh costs what changed.
 */
import type { Host } from '../inventory/model/infrastructure.js';
import type { StoredObject } from '../inventory/model/stored-object.js';
import type { ManifestObject } from '../manifests/types.js';
import { reconcilers } from '../reconcilers/index.js';
import type { ObservedObject } from '../plan/contract.js';
import type { ObjectStatusRecord } from '../store/types.js';
import type { CoreView } from './core-view.js';
import { lastAppliedConfiguration } from './go-json.js';
import { apiKey, type ApiObject } from './objects.js';
import type { ResourceTable, ResourceType } from './resources.js';
import { boundVmClasses, eventObject, nodeObject } from './inventory-objects.js';

/** Kinds that carry no status in Kubernetes. */
const NO_STATUS = new Set(['ConfigMap', 'Secret', 'LimitRange']);

/** The ManifestObject shape of a held object, for a reconciler's status of an undeclared live object. */
function asManifest(key: string, group: string, object: StoredObject): ManifestObject {
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

function statusOf(record: Pick<ObjectStatusRecord, 'conditions' | 'fields'>): Record<string, unknown> {
  return { ...record.fields, conditions: record.conditions };
}

export class ObjectSources {
  private cache = new Map<string, { readonly deps: readonly unknown[]; readonly object: ApiObject | undefined }>();
  private readonly byKindName = new Map<string, ResourceType>();

  constructor(
    private readonly core: CoreView,
    private readonly table: ResourceTable,
  ) {
    for (const r of table.all) if (!this.byKindName.has(r.kind)) this.byKindName.set(r.kind, r);
  }

  /** The resource of a kind named without its group (`Kind/namespace/name` strings). */
  resourceOfKind(kind: string): ResourceType | undefined {
    return this.byKindName.get(kind);
  }

  /** Every object the API serves now, by key. */
  collect(): Map<string, ApiObject> {
    const { core } = this;
    const out = new Map<string, ApiObject>();
    const next = new Map<string, { deps: readonly unknown[]; object: ApiObject | undefined }>();
    const memo = (key: string, deps: readonly unknown[], build: () => ApiObject | undefined) => {
      const cached = this.cache.get(key);
      const object = cached && cached.deps.length === deps.length && cached.deps.every((d, i) => d === deps[i]) ? cached.object : build();
      next.set(key, { deps, object });
      if (object) out.set(object.key, object);
    };
    const live = new Map<string, ObservedObject>();
    for (const r of reconcilers.all) for (const o of r.observe(core.inventory)) live.set(o.key, o);
    const desired = new Map(core.desiredObjects().map((o) => [o.key, o]));
    for (const s of core.statuses()) {
      const observed = live.get(s.key);
      const wanted = desired.get(s.key);
      // The declaration matters only while nothing is live (loads may hand out new instances of it).
      memo(s.key, [s, observed?.object, observed ? undefined : wanted], () => this.fromStatus(s, observed?.object, wanted));
    }
    for (const [key, o] of live) {
      if (out.has(key)) continue;
      // Observing makes a new object each time for reflections (images): compare what it says.
      memo(key, [o.entity, JSON.stringify(o.object)], () => this.fromLive(o));
    }
    const hosts = core.inventory.list('Host');
    const groups = core.inventory.list('HostGroup');
    for (const h of hosts) memo(`node/${h.id}`, [h, ...groups], () => this.node(h));
    for (const c of boundVmClasses(core.inventory)) {
      const key = apiKey('vmoperator.vmware.com', 'VirtualMachineClass', c.namespace, c.name);
      if (!out.has(key)) memo(`class/${key}`, c.deps, () => this.make('vmoperator.vmware.com', 'VirtualMachineClass', c.object()));
    }
    for (const e of core.recentEvents(EVENTS_SERVED)) {
      if (e.seq === undefined) continue;
      memo(`event/${e.seq}`, [e.seq], () => {
        const made = eventObject(e, (kind) => this.resourceOfKind(kind));
        return made && this.make('', 'Event', made);
      });
    }
    this.cache = next;
    return out;
  }

  private make(group: string, kind: string, parts: Omit<ApiObject, 'resource' | 'key'>): ApiObject | undefined {
    const resource = this.table.ofKind(group, kind);
    return resource && { resource, key: apiKey(group, kind, parts.namespace, parts.name), ...parts };
  }

  private fromStatus(s: ObjectStatusRecord, held: StoredObject | undefined, wanted: ManifestObject | undefined): ApiObject | undefined {
    const group = s.key.slice(0, s.key.indexOf('/'));
    const resource = this.table.ofKind(group, s.kind);
    if (!resource) return undefined;
    const object = held ?? (wanted ? heldForm(wanted) : undefined);
    // kubectl's last-applied-configuration of a declared object: the declaration pacific holds (the
    // inventory keeps it across restarts), else the one waiting to be applied.
    const declaration = s.owner ? undefined : held ? { body: heldBody(held), namespace: held.namespace } : wanted && !wanted.owner ? wanted : undefined;
    const owner = s.owner ? this.ownerKey(s.owner) : undefined;
    const parts = this.heldParts(object);
    // A pod VM runs on a host: its spec.nodeName, as the scheduler binds a pod to a node.
    const node = s.kind === 'Pod' ? s.fields?.['nodeName'] : undefined;
    if (node) parts.spec = { ...(parts.spec as object), nodeName: node };
    return {
      resource,
      key: s.key,
      namespace: s.namespace,
      name: s.name,
      apiVersion: object?.apiVersion ?? s.apiVersion,
      ...parts,
      ...(NO_STATUS.has(s.kind) ? {} : { status: statusOf(s) }),
      ...(owner ? { ownerKey: owner } : {}),
      ...(s.source && !s.owner ? { declared: { file: s.source.file, line: s.source.line } } : {}),
      ...(declaration ? { lastApplied: lastAppliedConfiguration(declaration.body, declaration.namespace) } : {}),
    };
  }

  private fromLive(o: ObservedObject): ApiObject | undefined {
    const resource = this.table.ofKind(o.group, o.kind);
    const r = reconcilers.of(o.group, o.kind);
    if (!resource || !r) return undefined;
    const status = NO_STATUS.has(o.kind) ? undefined : statusOf(r.status(asManifest(o.key, o.group, o.object), o, this.core.inventory));
    const owner = o.object.owner ? this.ownerKey(o.object.owner) : undefined;
    return { resource, key: o.key, namespace: o.namespace, name: o.name, apiVersion: o.object.apiVersion, ...this.heldParts(o.object), ...(status ? { status } : {}), ...(owner ? { ownerKey: owner } : {}) };
  }

  private heldParts(object: StoredObject | undefined): { -readonly [K in keyof ApiObject]?: ApiObject[K] } {
    if (!object) return {};
    const spec = object.spec === undefined ? undefined : this.core.schemas.normalizeSpec(object.apiVersion, object.kind, object.spec);
    return {
      ...(object.labels ? { labels: object.labels } : {}),
      ...(object.annotations ? { annotations: object.annotations } : {}),
      ...(spec !== undefined ? { spec } : {}),
      ...(object.extra ? { extra: object.extra } : {}),
    };
  }

  private node(host: Host): ApiObject | undefined {
    return this.make('', 'Node', nodeObject(host, this.core.inventory));
  }

  /** `Kind/namespace/name` of an owner → its key. */
  private ownerKey(owner: string): string | undefined {
    const [kind, namespace, name] = owner.split('/');
    const r = kind ? this.resourceOfKind(kind) : undefined;
    return r && namespace !== undefined && name !== undefined ? apiKey(r.group, r.kind, namespace, name) : undefined;
  }
}

/** How many of the newest events the API serves (the store keeps more; `/status` shows 100). */
export const EVENTS_SERVED = 1000;

/** A held object as the manifest that declared it. */
function heldBody(o: StoredObject): Record<string, unknown> {
  const metadata = { name: o.name, ...(o.namespace ? { namespace: o.namespace } : {}), ...(o.labels ? { labels: o.labels } : {}), ...(o.annotations ? { annotations: o.annotations } : {}) };
  return { apiVersion: o.apiVersion, kind: o.kind, metadata, ...(o.spec !== undefined ? { spec: o.spec } : {}), ...o.extra };
}

function heldForm(o: ManifestObject): StoredObject {
  const meta = (o.body['metadata'] ?? {}) as { labels?: Record<string, string>; annotations?: Record<string, string> };
  const { apiVersion: _a, kind: _k, metadata: _m, spec, status: _s, ...extra } = o.body as Record<string, unknown>;
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    namespace: o.namespace,
    name: o.name,
    ...(meta.labels ? { labels: meta.labels } : {}),
    ...(meta.annotations ? { annotations: meta.annotations } : {}),
    ...(spec !== undefined ? { spec: spec as Record<string, unknown> } : {}),
    ...(Object.keys(extra).length ? { extra } : {}),
  };
}
