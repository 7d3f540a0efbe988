/**
 * The light endpoints the command line reads instead of the whole `/status` (18 MiB at 10,000
 * VMs): a summary (revisions, conditions, health per namespace), objects as Kubernetes-shaped
 * documents (a list by kind and namespace, or one), and events after a sequence number. Each is cut
 * to the identity's namespaces by the same rules as `/status` (scoped-views.ts).
 */
import { missingRoleReason, type Grants } from '../access/grants.js';
import type { ObjectStatusRecord, StoredEvent } from '../store/types.js';
import { healthOf, rollUp, type Health } from './health.js';
import { scopedStatus } from './scoped-views.js';
import type { StatusInput } from './views.js';

/** A revision as every door names it: `<branch>@sha1:<commit>`; null when there is none. */
export function revisionRef(branch: string, revision: string | undefined | null): string | null {
  if (!revision) return null;
  return revision.includes('@') ? revision : `${branch}@sha1:${revision}`;
}

/** The namespace an object counts under: its own, or its name for a Namespace. */
const namespaceOf = (o: { kind: string; namespace: string; name: string }) => o.namespace || (o.kind === 'Namespace' ? o.name : '');

/** The objects an identity may see (a VI admin: all). */
export function visibleObjects(objects: readonly ObjectStatusRecord[], grants: Grants): readonly ObjectStatusRecord[] {
  return grants.admin ? objects : objects.filter((o) => grants.namespaces.has(namespaceOf(o)));
}

/** The `/status/summary` document. */
export function summaryView(input: StatusInput, grants: Grants, tenantRoot: string | undefined, extra: Record<string, unknown> = {}): unknown {
  const { state } = input;
  const branch = input.source.branch;
  const objects = visibleObjects(input.objects, grants);
  const byNamespace = new Map<string, Health[]>();
  for (const o of objects) {
    const ns = namespaceOf(o) || '(cluster)';
    let list = byNamespace.get(ns);
    if (!list) byNamespace.set(ns, (list = []));
    list.push(healthOf(o.conditions));
  }
  // A tenant's conditions and prune hold are worded for its namespaces, as in its /status.
  const cut = grants.admin ? undefined : (scopedStatus({ ...input, objects: input.objects, events: [] }, grants, tenantRoot) as { conditions: unknown; pruneHold?: unknown });
  const hold = cut ? cut.pruneHold : state.pruneHold;
  return {
    source: { repo: input.source.repo, branch, headRevision: revisionRef(branch, state.headRevision) },
    lastAppliedRevision: revisionRef(branch, state.lastAppliedRevision),
    lastAttemptedRevision: revisionRef(branch, state.lastAttemptedRevision),
    conditions: cut ? cut.conditions : state.conditions,
    ...extra,
    ...(hold ? { pruneHold: hold } : {}),
    health: rollUp([...byNamespace.values()].flat()),
    namespaces: [...byNamespace].sort(([a], [b]) => a.localeCompare(b)).map(([name, healths]) => ({ name, ...rollUp(healths) })),
  };
}

/** One object as a Kubernetes-shaped document: what `pacific get -o yaml` prints. */
export function objectDocument(o: ObjectStatusRecord, branch: string, lastApplied: string | undefined): Record<string, unknown> {
  const annotations: Record<string, string> = {};
  if (o.source) annotations['pacific.dev/source'] = `${o.source.file}:${o.source.line}`;
  if (lastApplied) annotations['pacific.dev/revision'] = revisionRef(branch, lastApplied)!;
  if (o.owner) annotations['pacific.dev/owner'] = o.owner;
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: { name: o.name, ...(o.namespace ? { namespace: o.namespace } : {}), annotations },
    status: { health: healthOf(o.conditions), conditions: o.conditions, ...(o.fields ?? {}) },
  };
}

/** Whether `kind` (as a user types it: `vm`, `VirtualMachine`, `virtualmachines`) names `o.kind`. */
export function kindMatches(kind: string, actual: string, shortNames: ReadonlyMap<string, string> = SHORT_NAMES): boolean {
  const k = kind.toLowerCase().replace(/\..*$/, '');
  const a = actual.toLowerCase();
  return k === a || k === `${a}s` || (a.endsWith('s') && k === `${a}es`) || (a.endsWith('y') && k === `${a.slice(0, -1)}ies`) || shortNames.get(k) === actual;
}

/** The short names kubectl users type (the real CRDs' and Kubernetes' own). */
const SHORT_NAMES: ReadonlyMap<string, string> = new Map([
  ['vm', 'VirtualMachine'],
  ['vmclass', 'VirtualMachineClass'],
  ['vmi', 'VirtualMachineImage'],
  ['vmsvc', 'VirtualMachineService'],
  ['tkc', 'TanzuKubernetesCluster'],
  ['cl', 'Cluster'],
  ['ns', 'Namespace'],
  ['po', 'Pod'],
  ['svc', 'Service'],
  ['pvc', 'PersistentVolumeClaim'],
  ['cm', 'ConfigMap'],
  ['deploy', 'Deployment'],
  ['rs', 'ReplicaSet'],
  ['quota', 'ResourceQuota'],
  ['limits', 'LimitRange'],
  ['ma', 'Machine'],
  ['md', 'MachineDeployment'],
  ['ms', 'MachineSet'],
  ['kcp', 'KubeadmControlPlane'],
]);

export interface ObjectQuery {
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
}

/** `/status/objects`: the visible objects a query selects; 403 naming the rule for a namespace the identity has no role in. */
export function objectsView(input: StatusInput, grants: Grants, query: ObjectQuery): { status: 200; body: unknown } | { status: 403; message: string } {
  if (query.namespace && !grants.admin && !grants.namespaces.has(query.namespace)) return { status: 403, message: missingRoleReason(grants, query.namespace, 'view') };
  const applied = input.state.lastAppliedRevision;
  const items = visibleObjects(input.objects, grants)
    .filter((o) => (query.kind ? kindMatches(query.kind, o.kind) : true) && (query.namespace ? namespaceOf(o) === query.namespace : true) && (query.name ? o.name === query.name : true))
    .map((o) => objectDocument(o, input.source.branch, applied));
  return { status: 200, body: { apiVersion: 'v1', kind: 'List', metadata: { revision: revisionRef(input.source.branch, applied) }, items } };
}

/** `/events`: the visible events after `after` (oldest first), repo events without their words for a tenant, revisions as refs. */
export function eventsView(events: readonly StoredEvent[], grants: Grants, branch: string, namespace: string | undefined): StoredEvent[] {
  const nsOf = (object: string) => {
    const parts = object.split('/');
    return parts.length === 3 ? parts[1] : parts.length === 2 && parts[0] === 'Namespace' ? parts[1] : undefined;
  };
  return events.flatMap((e) => {
    const ns = nsOf(e.object);
    if (namespace !== undefined && ns !== namespace) return [];
    const withRef = { ...e, ...(e.revision ? { revision: revisionRef(branch, e.revision)! } : {}) };
    if (grants.admin) return [withRef];
    if (ns !== undefined) return grants.namespaces.has(ns) ? [withRef] : [];
    return [{ ...withRef, message: '' }];
  });
}
