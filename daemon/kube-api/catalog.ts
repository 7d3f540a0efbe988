/**
 * The objects the API serves, each with the metadata the API keeps for it. `refresh` gathers what
 * the core computed, gives every new or changed object the next resourceVersion (a new uid to a
 * new object, generation + 1 when its spec changed), writes that bookkeeping, and only then
 * publishes the changes to watchers: nothing is served that a crash could take back.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ChangeFeed, Change } from './change-feed.js';
import type { MetaSnapshot, ObjectMetaStore } from './meta-store.js';
import type { ApiObject, ObjectMeta, ServedObject } from './objects.js';
import type { ResourceType } from './resources.js';

const hash = (value: unknown) => createHash('sha1').update(JSON.stringify(value)).digest('base64url');

/** What changes generation: spec and top-level data (labels, annotations and status do not). */
function specHashOf(o: ApiObject): string {
  return hash([o.spec ?? null, o.extra ?? null]);
}

function contentHashOf(o: ApiObject): string {
  const { resource: _r, ...rest } = o;
  return hash(rest);
}

export class Catalog {
  private readonly served = new Map<string, ServedObject>();
  /** Objects by resource, then by namespace (cluster-scoped objects under ''). */
  private readonly byResource = new Map<ResourceType, Map<string, Map<string, ServedObject>>>();
  private rows: Map<string, ObjectMeta>;

  constructor(
    private readonly store: ObjectMetaStore,
    readonly feed: ChangeFeed,
    saved: MetaSnapshot,
    private readonly now: () => number,
    /** The applied revision (the commit a changed declaration is attributed to). */
    private readonly revision: () => string | undefined,
  ) {
    this.rows = saved.rows;
  }

  get(key: string): ServedObject | undefined {
    return this.served.get(key);
  }

  /** Objects of a resource, in one namespace or all; in namespace/name order. */
  list(resource: ResourceType, namespace?: string): ServedObject[] {
    const byNs = this.byResource.get(resource);
    if (!byNs) return [];
    const spaces = namespace === undefined ? [...byNs.keys()].sort() : [namespace];
    const out: ServedObject[] = [];
    for (const ns of spaces) {
      const members = byNs.get(ns);
      if (members) out.push(...[...members.values()].sort((a, b) => (a.object.name < b.object.name ? -1 : a.object.name > b.object.name ? 1 : 0)));
    }
    return out;
  }

  /** Brings the served objects to `current` (every object served now); returns the changes published. */
  refresh(current: ReadonlyMap<string, ApiObject>): readonly Change[] {
    const removed: string[] = [];
    for (const key of this.served.keys()) if (!current.has(key)) removed.push(key);
    for (const key of this.rows.keys()) if (!current.has(key) && !this.served.has(key)) removed.push(key);
    return this.update(current, removed);
  }

  /**
   * Applies what changed since the last update: objects new or different, and keys no longer
   * served (a key kept from before a restart and not served again is forgotten without an event).
   * The bookkeeping is written first: when it cannot be (a full disk), nothing is served
   * differently and nothing is published, and the next refresh tries again. `causedAtMs`: when the
   * apply that caused these changes happened, handed to the watchers with them.
   */
  update(changed: ReadonlyMap<string, ApiObject>, removedKeys: Iterable<string>, causedAtMs?: number): readonly Change[] {
    const changes: Change[] = [];
    const put = new Map<string, ObjectMeta>();
    const served: ServedObject[] = [];
    for (const [key, object] of changed) {
      const before = this.served.get(key);
      if (before?.object === object) continue;
      const contentHash = contentHashOf(object);
      if (before && before.meta.contentHash === contentHash) {
        served.push({ object, meta: before.meta, json: before.json });
        continue;
      }
      const row = this.rows.get(key);
      if (!before && row?.contentHash === contentHash) {
        // As served before a restart: the same version, no event.
        served.push({ object, meta: row, json: new Map() });
        continue;
      }
      const specHash = specHashOf(object);
      const declarationChanged = !row || row.specHash !== specHash || !row.commit;
      const commit = object.declared ? (declarationChanged ? this.revision() : row?.commit) : undefined;
      const meta: ObjectMeta = {
        uid: row?.uid ?? randomUUID(),
        resourceVersion: this.feed.next(),
        generation: row ? (row.specHash === specHash ? row.generation : row.generation + 1) : 1,
        creationTimestamp: row?.creationTimestamp ?? object.created ?? new Date(this.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
        ...(commit ? { commit } : {}),
        specHash,
        contentHash,
      };
      put.set(key, meta);
      const made: ServedObject = { object, meta, json: new Map() };
      served.push(made);
      changes.push({ type: before || row ? 'MODIFIED' : 'ADDED', object: made });
    }
    const gone: string[] = [];
    const removed: ServedObject[] = [];
    for (const key of removedKeys) {
      if (changed.has(key) || !(this.served.has(key) || this.rows.has(key))) continue;
      gone.push(key);
      const before = this.served.get(key);
      if (!before) continue;
      removed.push(before);
      changes.push({ type: 'DELETED', object: { object: before.object, meta: { ...before.meta, resourceVersion: this.feed.next() }, json: new Map() } });
    }
    if (put.size || gone.length) this.store.save(this.feed.revision(), put, gone);
    for (const s of removed) this.unindex(s);
    for (const s of served) this.index(s);
    for (const key of gone) this.rows.delete(key);
    for (const [key, meta] of put) this.rows.set(key, meta);
    this.feed.publish(changes, causedAtMs);
    return changes;
  }

  /** Keys served differently from `full`, every object as computed from scratch (tests check incremental refreshes with it). */
  differences(full: ReadonlyMap<string, ApiObject>): string[] {
    const out: string[] = [];
    for (const [key, object] of full) if (this.served.get(key)?.meta.contentHash !== contentHashOf(object)) out.push(key);
    for (const key of this.served.keys()) if (!full.has(key)) out.push(key);
    return out;
  }

  private index(s: ServedObject): void {
    const before = this.served.get(s.object.key);
    if (before) this.unindex(before);
    this.served.set(s.object.key, s);
    let byNs = this.byResource.get(s.object.resource);
    if (!byNs) this.byResource.set(s.object.resource, (byNs = new Map()));
    let members = byNs.get(s.object.namespace);
    if (!members) byNs.set(s.object.namespace, (members = new Map()));
    members.set(s.object.name, s);
  }

  private unindex(s: ServedObject): void {
    this.served.delete(s.object.key);
    this.byResource.get(s.object.resource)?.get(s.object.namespace)?.delete(s.object.name);
  }
}
