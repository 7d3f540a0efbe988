/**
 * What the console's pages show, computed from what the Kubernetes API serves (its catalog of
 * served objects) and the status the daemon keeps, cut by the same grants and visibility as every
 * other door. Each view is small and made per request: the browser never lists 10,000 objects to
 * draw a roll-up.
 */
import { createHash } from 'node:crypto';
import { hasRole, type Grants } from '../access/grants.js';
import { visible } from '../kube-api/authorize.js';
import type { Catalog } from '../kube-api/catalog.js';
import type { ServedObject } from '../kube-api/objects.js';
import type { ResourceTable, ResourceType } from '../kube-api/resources.js';
import type { InventoryReader } from '../inventory/registry.js';
import { usableScope } from '../access/grants.js';
import { scopedStatus } from '../server/scoped-views.js';
import { statusView, type StatusInput } from '../server/views.js';
import { healthOf, HEALTHS, type Health } from './health.js';

/** What the console reads: the API's catalog and resource table, the inventory, the status input. */
export interface ConsoleCore {
  readonly catalog: Catalog;
  readonly table: ResourceTable;
  readonly inventory: InventoryReader;
  statusInput(): StatusInput;
  /** Why, by whom and since when reconciling is suspended, if it is (the store's suspend switch). */
  suspension(): { readonly since: string; readonly by: string; readonly reason?: string } | undefined;
  readonly tenantRoot?: string;
}

/** One object as the console lists it, with the API path a page reads it from. */
export interface ObjectRow {
  readonly key: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** `/api/v1/...` or `/apis/<group>/<version>/...` at the preferred version. */
  readonly path: string;
  readonly resourceVersion: number;
  readonly health: Health;
  readonly reason?: string;
  readonly message?: string;
}

export function apiPath(r: ResourceType, namespace: string, name: string): string {
  const base = r.group ? `/apis/${r.group}/${r.versions[0]}` : `/api/${r.versions[0]}`;
  return `${base}${r.namespaced ? `/namespaces/${namespace}` : ''}/${r.plural}/${name}`;
}

export function rowOf(s: ServedObject): ObjectRow {
  const o = s.object;
  return { key: o.key, kind: o.resource.kind, namespace: o.namespace, name: o.name, path: apiPath(o.resource, o.namespace, o.name), resourceVersion: s.meta.resourceVersion, ...healthOf(o.status) };
}

/** Kinds vCenter serves into every namespace that may use them: the bound VM classes, the content library images. */
const REFLECTED = new Set(['VirtualMachineClass', 'VirtualMachineImage']);

/**
 * Whether a served object is the namespace's own: declared in it or derived from what is. A vCenter
 * VM class or library image served into the namespace (neither declared nor owned) is vCenter's:
 * counting it would give each namespace the same dozens of Ready objects.
 */
export function ownObject(s: ServedObject): boolean {
  const o = s.object;
  return !(REFLECTED.has(o.resource.kind) && !o.declared && !o.ownerKey);
}

/** Every served object the grants may see (events aside), optionally in one namespace. */
export function visibleObjects(core: ConsoleCore, grants: Grants, namespace?: string): ServedObject[] {
  let usable: ReturnType<typeof usableScope> | undefined;
  const scope = () => (usable ??= usableScope(grants, core.inventory));
  const out: ServedObject[] = [];
  for (const r of core.table.all) {
    if (r.kind === 'Event' || (namespace !== undefined && !r.namespaced)) continue;
    for (const s of core.catalog.list(r, namespace)) if (visible(grants, scope, s)) out.push(s);
  }
  return out;
}

type Counts = Record<Health, number>;
const zero = (): Counts => ({ Ready: 0, Progressing: 0, Waiting: 0, Degraded: 0 });

/** The source's revisions, conditions, held prune and diagnostics as the grants may see them (no objects). */
export function sourceState(core: ConsoleCore, grants: Grants): Record<string, unknown> {
  const input = core.statusInput();
  const view = (grants.admin ? statusView({ ...input, objects: [], events: [] }) : scopedStatus(input, grants, core.tenantRoot)) as Record<string, unknown>;
  const { objects: _o, events: _e, ...state } = view;
  return state;
}

/**
 * What a `status` event stands for, as a short hash: the Overview's answer carries it, and a stream
 * opened with it (`?status=`) says `status` at once if the source changed between the two.
 */
export function statusVersion(core: ConsoleCore): string {
  const s = core.statusInput().state;
  const digest = JSON.stringify([s.headRevision, s.lastAppliedRevision, s.lastAttemptedRevision, s.conditions, s.pruneHold?.revision, s.diagnostics.length, core.suspension()?.since]);
  return createHash('sha256').update(digest).digest('base64url').slice(0, 16);
}

/**
 * The Overview: the source, a health roll-up per namespace, totals, and where the live stream
 * takes over from this answer (the feed's resourceVersion and the source's status version).
 */
export function overview(core: ConsoleCore, grants: Grants): Record<string, unknown> {
  const resourceVersion = core.catalog.feed.revision();
  const byNamespace = new Map<string, Counts>();
  const totals = zero();
  for (const s of visibleObjects(core, grants)) {
    if (!ownObject(s)) continue;
    const o = s.object;
    if (o.resource.kind === 'Namespace') {
      if (!byNamespace.has(o.name)) byNamespace.set(o.name, zero());
      continue;
    }
    if (!o.namespace) continue;
    let counts = byNamespace.get(o.namespace);
    if (!counts) byNamespace.set(o.namespace, (counts = zero()));
    const { health } = healthOf(o.status);
    counts[health]++;
    totals[health]++;
  }
  const namespaces = [...byNamespace].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, counts]) => ({ name, counts, total: HEALTHS.reduce((n, h) => n + counts[h], 0) }));
  return { resourceVersion, statusVersion: statusVersion(core), source: sourceState(core, grants), suspended: core.suspension() ?? null, namespaces, totals, user: { name: grants.identity.user, admin: grants.admin } };
}

/** Events of a namespace (or about one object), newest first. */
export function eventsOf(core: ConsoleCore, namespace: string, about?: { kind: string; name: string }, limit = 50): Record<string, unknown>[] {
  const events = core.table.ofKind('', 'Event');
  if (!events) return [];
  const out: Record<string, unknown>[] = [];
  for (const s of core.catalog.list(events, namespace)) {
    const e = s.object.extra ?? {};
    const involved = (e['involvedObject'] ?? {}) as { kind?: string; name?: string };
    if (about && (involved.kind !== about.kind || involved.name !== about.name)) continue;
    out.push({ type: e['type'], reason: e['reason'], message: e['message'], object: `${involved.kind ?? ''}/${involved.name ?? ''}`, time: e['lastTimestamp'] ?? e['firstTimestamp'] ?? s.meta.creationTimestamp, count: e['count'] ?? 1 });
  }
  out.sort((a, b) => (String(a['time']) < String(b['time']) ? 1 : -1));
  return out.slice(0, limit);
}

/** May the grants read the namespace at all. */
export function mayView(grants: Grants, namespace: string): boolean {
  return hasRole(grants, namespace, 'view');
}
