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
import { patchLive, type Collected } from './collected.js';
import { recordReads, stillHolds, type ReadStamp } from './inventory-reads.js';
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

interface BoundClass {
  readonly key: string;
  readonly id: string;
  readonly deps: readonly unknown[];
  readonly make: () => ApiObject | undefined;
}

/** One input of the served objects (a status, a live object, a node, a bound class, an event) and what it made. */
interface Entry {
  readonly deps: readonly unknown[];
  readonly object: ApiObject | undefined;
  round: number;
}

const sameDeps = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((d, i) => d === b[i]);

export class ObjectSources {
  private readonly entries = new Map<string, Entry>();
  /** The entry that serves each key: an object may move between inputs (a bound class later declared). */
  private readonly owners = new Map<string, string>();
  private round = 0;
  private readonly live = new Map<string, ObservedObject>();
  private classes: { readonly value: readonly BoundClass[]; readonly stamp: ReadStamp } | undefined;
  private readonly observations: { readonly value: ObservedObject[]; readonly stamp: ReadStamp }[] = [];
  /** Live objects compared by content (reflections observing makes anew: images), by instance. */
  private readonly liveJson = new WeakMap<object, string>();
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

  /**
   * What changed in what the API serves since the last collect (the first: everything). Each
   * input is compared by identity with the last one (entities, statuses and declarations are
   * immutable values), so a collect after a one-object pass rebuilds one object, not 20,000.
   */
  collect(): Collected {
    const { core } = this;
    const round = ++this.round;
    const changed = new Map<string, ApiObject>();
    const removed = new Set<string>();
    const memo = (id: string, deps: readonly unknown[], build: () => ApiObject | undefined) => {
      const cached = this.entries.get(id);
      if (cached && sameDeps(cached.deps, deps)) {
        cached.round = round;
        return;
      }
      const object = build();
      this.entries.set(id, { deps, object, round });
      if (cached?.object && this.owners.get(cached.object.key) === id && cached.object.key !== object?.key) this.release(cached.object.key, removed);
      if (object) {
        this.owners.set(object.key, id);
        changed.set(object.key, object);
        removed.delete(object.key);
      }
    };
    const live = this.liveObjects();
    for (const s of core.statuses()) {
      const held = live.get(s.key)?.object;
      // The declaration matters only while nothing is live (loads may hand out new instances of it).
      const wanted = held ? undefined : core.desiredObject(s.key);
      const cached = this.entries.get(s.key);
      // The common case, unchanged, without allocating its inputs' list.
      if (cached && cached.deps[0] === s && cached.deps[1] === held && cached.deps[2] === wanted) cached.round = round;
      else memo(s.key, [s, held, wanted], () => this.fromStatus(s, held, wanted));
    }
    for (const [key, o] of live) {
      if (this.serves(key)) continue;
      let json = this.liveJson.get(o.object);
      if (json === undefined) this.liveJson.set(o.object, (json = JSON.stringify(o.object)));
      memo(key, [o.entity, json], () => this.fromLive(o));
    }
    const groups = core.inventory.list('HostGroup');
    for (const h of core.inventory.list('Host')) memo(`node/${h.id}`, [h, ...groups], () => this.node(h));
    for (const c of this.boundClasses()) if (!this.serves(c.key)) memo(c.id, c.deps, c.make);
    for (const e of core.recentEvents(EVENTS_SERVED)) {
      if (e.seq === undefined) continue;
      memo(`event/${e.seq}`, [e.seq], () => {
        const made = eventObject(e, (kind) => this.resourceOfKind(kind));
        return made && this.make('', 'Event', made);
      });
    }
    for (const [id, entry] of this.entries) {
      if (entry.round === round) continue;
      this.entries.delete(id);
      if (entry.object && this.owners.get(entry.object.key) === id) this.release(entry.object.key, removed);
    }
    return { changed, removed };
  }

  /** Whether an input collected this round serves `key`. */
  private serves(key: string): boolean {
    const own = this.entries.get(key);
    if (own && own.round === this.round && own.object?.key === key) return true;
    const id = this.owners.get(key);
    const entry = id === undefined ? undefined : this.entries.get(id);
    return entry !== undefined && entry.round === this.round && entry.object !== undefined;
  }

  private release(key: string, removed: Set<string>): void {
    this.owners.delete(key);
    removed.add(key);
  }

  /**
   * Every live object the reconcilers observe, by key: a reconciler is observed again only when a
   * type of entity it read changed, and only what its new list holds differently is replaced.
   */
  private liveObjects(): Map<string, ObservedObject> {
    const inventory = this.core.inventory;
    reconcilers.all.forEach((r, i) => {
      const last = this.observations[i];
      if (last && stillHolds(inventory, last.stamp)) return;
      const made = recordReads(inventory, (reader) => [...r.observe(reader)]);
      this.observations[i] = made;
      if (last) patchLive(this.live, last.value, made.value);
      else for (const o of made.value) this.live.set(o.key, o);
    });
    return this.live;
  }

  /** The vCenter classes bound to each namespace, derived again only when a type they are read from changed. */
  private boundClasses(): readonly BoundClass[] {
    const last = this.classes;
    if (last && stillHolds(this.core.inventory, last.stamp)) return last.value;
    this.classes = recordReads(this.core.inventory, (reader) =>
      [...boundVmClasses(reader)].map((c) => {
        const key = apiKey('vmoperator.vmware.com', 'VirtualMachineClass', c.namespace, c.name);
        return { key, id: `class/${key}`, deps: c.deps, make: () => this.make('vmoperator.vmware.com', 'VirtualMachineClass', c.object()) };
      }),
    );
    return this.classes.value;
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
