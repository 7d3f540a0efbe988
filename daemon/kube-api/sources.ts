/**
 * What the API serves, gathered from what the core computed: every object with a status (declared
 * and derived), every live object the reconcilers observe (images, released objects), ESXi hosts
 * as Nodes, the vCenter VM classes bound to each namespace, and pacific's events. The first collect
 * looks at every input; each one after it looks only at what changed since (the statuses the status
 * book says changed, the live objects a new observation replaced, hosts and bound classes when their
 * entity types moved, events newer than the last one), so a refresh costs what the pass changed and
 * a watcher hears of it without a walk over every object.
 */
import type { Host } from '../inventory/model/infrastructure.js';
import { reconcilers } from '../reconcilers/index.js';
import type { ObservedObject } from '../plan/contract.js';
import type { ObjectStatusRecord, StoredEvent } from '../store/types.js';
import type { ManifestObject } from '../manifests/types.js';
import type { StoredObject } from '../inventory/model/stored-object.js';
import type { CoreView, StatusCursor } from './core-view.js';
import type { Collected } from './collected.js';
import { LiveObjects } from './live-objects.js';
import { recordReads, stillHolds, type ReadStamp } from './inventory-reads.js';
import { lastAppliedConfiguration } from './go-json.js';
import { apiKey, type ApiObject } from './objects.js';
import type { ResourceTable, ResourceType } from './resources.js';
import { boundVmClasses, eventObject, nodeObject } from './inventory-objects.js';
import { asManifest, heldBody, heldForm, statusOf } from './held-forms.js';
import { SourceEntries } from './source-entries.js';

/** Kinds that carry no status in Kubernetes. */
const NO_STATUS = new Set(['ConfigMap', 'Secret', 'LimitRange']);

/** How many of the newest events the API serves (the store keeps more; `/status` shows 100). */
export const EVENTS_SERVED = 1000;
/** How many events a collect reads first to find the new ones (all served ones when every one is new). */
const EVENTS_PEEKED = 64;

interface BoundClass {
  readonly key: string;
  readonly id: string;
  readonly deps: readonly unknown[];
  readonly make: () => ApiObject | undefined;
}

export class ObjectSources {
  private readonly entries = new SourceEntries();
  private readonly liveObjects: LiveObjects;
  /** Keys whose live object is new, another instance or gone since the last collect. */
  private readonly touched = new Set<string>();
  private classes: { readonly value: readonly BoundClass[]; readonly stamp: ReadStamp } | undefined;
  /** Live objects compared by content (reflections observing makes anew: images), by instance. */
  private readonly liveJson = new WeakMap<object, string>();
  private readonly byKindName = new Map<string, ResourceType>();
  /** Where the last collect left the status book's changes (undefined: the next collect looks at every input). */
  private cursor: StatusCursor | undefined;
  /** Statuses with nothing live: their declaration is an input too, looked at by every collect. */
  private unheld = new Set<string>();
  /** The bound classes the last collect looked at, by the key they serve. */
  private classByKey = new Map<string, BoundClass>();
  private classesSeen: readonly BoundClass[] = [];
  private hostStamp = '';
  private nodeIds = new Set<string>();
  /** Sequence numbers of the events served, oldest first. */
  private eventSeqs: number[] = [];

  constructor(
    private readonly core: CoreView,
    private readonly table: ResourceTable,
  ) {
    for (const r of table.all) if (!this.byKindName.has(r.kind)) this.byKindName.set(r.kind, r);
    this.liveObjects = new LiveObjects(core.inventory);
  }

  /** The resource of a kind named without its group (`Kind/namespace/name` strings). */
  resourceOfKind(kind: string): ResourceType | undefined {
    return this.byKindName.get(kind);
  }

  /** What changed in what the API serves since the last collect (the first: everything). */
  collect(): Collected {
    const { keys, cursor } = this.core.statusChangesSince(this.cursor);
    this.entries.begin();
    try {
      const live = this.liveObjects.update(this.touched);
      if (keys === 'all') this.collectAll(live);
      else this.collectChanges(live, keys);
    } catch (err) {
      // Half looked at: the next collect looks at every input again.
      this.cursor = undefined;
      throw err;
    }
    this.cursor = cursor;
    this.touched.clear();
    return this.entries.end();
  }

  /** Looks at every input, and forgets the entries of inputs no longer there. */
  private collectAll(live: ReadonlyMap<string, ObservedObject>): void {
    const { core, entries } = this;
    this.unheld = new Set();
    for (const s of core.statuses()) {
      const held = live.get(s.key)?.object;
      // The declaration matters only while nothing is live (loads may hand out new instances of it).
      const wanted = held ? undefined : core.desiredObject(s.key);
      if (!held) this.unheld.add(s.key);
      // The common case, unchanged, without allocating its inputs' list.
      if (!entries.holds(s.key, s, held, wanted)) entries.put(s.key, [s, held, wanted], () => this.fromStatus(s, held, wanted));
    }
    for (const [key, o] of live) if (!entries.servesNow(key)) entries.put(key, [o.entity, this.jsonOf(o)], () => this.fromLive(o));
    this.lookAtHosts(true);
    this.lookAtClasses(true);
    this.eventSeqs = [];
    this.addEvents(core.recentEvents(EVENTS_SERVED));
    entries.sweep();
  }

  /** Looks only at what changed since the last collect. */
  private collectChanges(live: ReadonlyMap<string, ObservedObject>, statusKeys: readonly string[]): void {
    const keys = new Set([...statusKeys, ...this.touched, ...this.unheld]);
    for (const key of keys) this.revisit(key, live);
    this.lookAtHosts(false);
    this.lookAtClasses(false);
    const peeked = this.core.recentEvents(EVENTS_PEEKED);
    const newest = this.eventSeqs.at(-1) ?? -1;
    // Every event peeked is new: more may be, read as many as are served.
    const fresh = peeked.length === EVENTS_PEEKED && (peeked.at(-1)?.seq ?? 0) > newest ? this.core.recentEvents(EVENTS_SERVED) : peeked;
    this.addEvents(fresh.filter((e) => e.seq !== undefined && e.seq > newest));
    while (this.eventSeqs.length > EVENTS_SERVED) this.entries.drop(`event/${this.eventSeqs.shift()!}`);
  }

  /** The entries under `key` (its status's or its live object's) and the bound class of that key, from their inputs now. */
  private revisit(key: string, live: ReadonlyMap<string, ObservedObject>): void {
    const { core, entries } = this;
    const s = core.status(key);
    const o = live.get(key);
    let servedByStatus = false;
    this.unheld.delete(key);
    if (s) {
      const held = o?.object;
      const wanted = held ? undefined : core.desiredObject(key);
      if (!held) this.unheld.add(key);
      if (!entries.holds(key, s, held, wanted)) entries.put(key, [s, held, wanted], () => this.fromStatus(s, held, wanted));
      servedByStatus = entries.servesOwn(key);
    }
    if (!servedByStatus && o) entries.put(key, [o.entity, this.jsonOf(o)], () => this.fromLive(o));
    else if (!s) entries.drop(key);
    const c = this.classByKey.get(key);
    if (c && entries.servesOwn(key)) entries.drop(c.id);
    else if (c) entries.put(c.id, c.deps, c.make);
  }

  private jsonOf(o: ObservedObject): string {
    let json = this.liveJson.get(o.object);
    if (json === undefined) this.liveJson.set(o.object, (json = JSON.stringify(o.object)));
    return json;
  }

  /** Nodes from the hosts, when a host or host group changed (or `all`). */
  private lookAtHosts(all: boolean): void {
    const { inventory } = this.core;
    const stamp = `${inventory.typeVersion('Host')}/${inventory.typeVersion('HostGroup')}`;
    if (!all && stamp === this.hostStamp) return;
    this.hostStamp = stamp;
    const groups = inventory.list('HostGroup');
    const before = this.nodeIds;
    this.nodeIds = new Set();
    for (const h of inventory.list('Host')) {
      const id = `node/${h.id}`;
      this.nodeIds.add(id);
      this.entries.put(id, [h, ...groups], () => this.node(h));
    }
    if (!all) for (const id of before) if (!this.nodeIds.has(id)) this.entries.drop(id);
  }

  /** The bound classes a status or live object does not serve, when their derivation changed (or `all`). */
  private lookAtClasses(all: boolean): void {
    const classes = this.boundClasses();
    if (!all && classes === this.classesSeen) return;
    this.classesSeen = classes;
    const before = this.classByKey;
    this.classByKey = new Map(classes.map((c) => [c.key, c]));
    // Looking at every input, entries left from the last collect are not yet swept: ask for this round's.
    const served = (key: string) => (all ? this.entries.servesNow(key) : this.entries.servesOwn(key));
    for (const c of classes) {
      if (served(c.key)) this.entries.drop(c.id);
      else this.entries.put(c.id, c.deps, c.make);
    }
    if (!all) for (const [key, c] of before) if (!this.classByKey.has(key)) this.entries.drop(c.id);
  }

  /** Entries for `events` (newest first), remembered oldest first. */
  private addEvents(events: readonly StoredEvent[]): void {
    const added: number[] = [];
    for (const e of events) {
      if (e.seq === undefined) continue;
      added.push(e.seq);
      this.entries.put(`event/${e.seq}`, [e.seq], () => {
        const made = eventObject(e, (kind) => this.resourceOfKind(kind));
        return made && this.make('', 'Event', made);
      });
    }
    this.eventSeqs.push(...added.reverse());
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
    if (node) parts.spec = { ...(typeof parts.spec === 'object' ? parts.spec : {}), nodeName: node };
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
