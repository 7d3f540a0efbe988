/** Status of every desired object after a pass: kind conditions, the Ready summary, kind fields. */
import type { InventoryReader } from '../inventory/registry.js';
import type { ManifestObject } from '../manifests/types.js';
import { reconcilers } from '../reconcilers/index.js';
import type { ObservedObject, Problem } from '../plan/contract.js';
import { scopedInventory, scopeNamespace } from '../plan/scoped-inventory.js';
import type { StatusChanges } from '../store/ports.js';
import type { ObjectStatusRecord } from '../store/types.js';
import { objectReady, withTransitionTimes } from './conditions.js';

/**
 * Status records for the desired objects, given the problems of this pass; with `namespaces`, only
 * for the objects of those namespaces (a Namespace counts as its own), observing only them.
 */
export function buildObjectStatuses(
  desired: readonly ManifestObject[],
  inventory: InventoryReader,
  problems: ReadonlyMap<string, Problem>,
  previous: ReadonlyMap<string, ObjectStatusRecord>,
  now: string,
  namespaces?: ReadonlySet<string>,
): ObjectStatusRecord[] {
  const { objects, build } = statusBuilder(desired, inventory, problems, previous, now, namespaces);
  return objects.map(build);
}

/**
 * `buildObjectStatuses`, calling `pause` between objects: a namespace of 5,000 pods takes longer
 * than a probe may wait, so the daemon answers between slices (the statuses are built before any is kept).
 */
export async function buildObjectStatusesCooperatively(
  desired: readonly ManifestObject[],
  inventory: InventoryReader,
  problems: ReadonlyMap<string, Problem>,
  previous: ReadonlyMap<string, ObjectStatusRecord>,
  now: string,
  namespaces: ReadonlySet<string> | undefined,
  pause: () => Promise<void>,
): Promise<ObjectStatusRecord[]> {
  const { objects, build } = statusBuilder(desired, inventory, problems, previous, now, namespaces);
  const records: ObjectStatusRecord[] = [];
  for (const object of objects) {
    records.push(build(object));
    await pause();
  }
  return records;
}

/** The objects in scope and how to build the status of one (observing the scope's live objects once). */
function statusBuilder(
  desired: readonly ManifestObject[],
  inventory: InventoryReader,
  problems: ReadonlyMap<string, Problem>,
  previous: ReadonlyMap<string, ObjectStatusRecord>,
  now: string,
  namespaces: ReadonlySet<string> | undefined,
): { objects: readonly ManifestObject[]; build: (object: ManifestObject) => ObjectStatusRecord } {
  const inScope = (o: ObservedObject | ManifestObject) => !namespaces || namespaces.has(scopeNamespace(o) ?? '');
  const observable = namespaces ? scopedInventory(inventory, namespaces) : inventory;
  const live = new Map<string, ObservedObject>();
  for (const r of reconcilers.all) for (const o of r.observe(observable)) if (inScope(o)) live.set(o.key, o);
  const problemOf = (key: string) => problems.get(key);
  const build = (object: ManifestObject): ObjectStatusRecord => {
    const r = reconcilers.of(object.group, object.kind)!;
    const problem = problems.get(object.key);
    const status = r.status(object, live.get(object.key), inventory, problem, problemOf);
    const conditions = [objectReady(status.conditions, problem), ...status.conditions];
    return {
      key: object.key,
      apiVersion: object.apiVersion,
      kind: object.kind,
      namespace: object.namespace,
      name: object.name,
      source: object.source,
      ...(object.owner ? { owner: object.owner } : {}),
      conditions: withTransitionTimes(conditions, previous.get(object.key)?.conditions, now),
      ...(status.fields ? { fields: status.fields } : {}),
    };
  };
  return { objects: desired.filter(inScope), build };
}

/**
 * Folds statuses rebuilt for part of the desired objects into `statuses`, in place, drops those of
 * `removed` objects, and keeps the readiness counts in step; returns what changed (only what
 * differs, so an idle resync writes nothing).
 */
export function mergeStatuses(
  statuses: Map<string, ObjectStatusRecord>,
  rebuilt: readonly ObjectStatusRecord[],
  removed: readonly string[],
  readiness: Map<string, { ready: number; notReady: number }>,
  /** Those of `rebuilt` that differ from `statuses`, when the caller compared them already. */
  differing?: readonly ObjectStatusRecord[],
): StatusChanges {
  const put = differing ?? rebuilt.filter((s) => JSON.stringify(s) !== JSON.stringify(statuses.get(s.key)));
  for (const s of put) {
    count(readiness, statuses.get(s.key), -1);
    count(readiness, s, 1);
    statuses.set(s.key, s);
  }
  const gone = removed.filter((key) => statuses.has(key));
  for (const key of gone) {
    count(readiness, statuses.get(key), -1);
    statuses.delete(key);
  }
  return { put, delete: gone };
}

function count(readiness: Map<string, { ready: number; notReady: number }>, s: ObjectStatusRecord | undefined, by: 1 | -1): void {
  if (!s) return;
  const c = readiness.get(s.kind) ?? { ready: 0, notReady: 0 };
  if (s.conditions[0]?.status === 'True') c.ready += by;
  else c.notReady += by;
  if (c.ready || c.notReady) readiness.set(s.kind, c);
  else readiness.delete(s.kind);
}

/** Counts of ready and not-ready objects per kind (for metrics). */
export function readinessByKind(statuses: Iterable<ObjectStatusRecord>): Map<string, { ready: number; notReady: number }> {
  const counts = new Map<string, { ready: number; notReady: number }>();
  for (const s of statuses) {
    const c = counts.get(s.kind) ?? { ready: 0, notReady: 0 };
    if (s.conditions[0]?.status === 'True') c.ready += 1;
    else c.notReady += 1;
    counts.set(s.kind, c);
  }
  return counts;
}
