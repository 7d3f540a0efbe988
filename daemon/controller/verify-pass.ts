/**
 * The check behind `verifyPasses` (tests turn it on): an incremental plan must equal the full plan
 * of the same revision and inventory, and statuses merged from a partial rebuild must equal a full
 * rebuild. A difference is a bug in scoping, so it throws and fails the pass.
 */
import { scopeNamespace, type ObjectIdentity } from '../plan/scoped-inventory.js';
import type { Plan } from '../plan/types.js';
import { readinessByKind } from './object-status.js';
import type { ObjectStatusRecord } from '../store/types.js';

/** Thrown when an incremental pass would have done something a full pass would not. */
export class IncrementalDivergence extends Error {}

function firstDifference(a: readonly unknown[], b: readonly unknown[], name: (x: unknown) => string): string {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = JSON.stringify(a[i]);
    const y = JSON.stringify(b[i]);
    if (x !== y) return `at #${i}: incremental ${a[i] === undefined ? '(none)' : name(a[i])} ${x?.slice(0, 400)}, full ${b[i] === undefined ? '(none)' : name(b[i])} ${y?.slice(0, 400)}`;
  }
  return 'none';
}

const keyOf = (x: unknown) => (x as { key: string }).key;

/**
 * Throws unless both plans make the same changes (but in `deferred` namespaces), in the same order, and the incremental one has
 * the desired objects the full one has in its namespaces (and every cluster-scoped one).
 */
export function verifyPlan(incremental: Plan, full: Plan, namespaces: ReadonlySet<string>, deferred: ReadonlySet<string> = new Set()): void {
  // A namespace held for capacity is left out on purpose (capacity-holds.ts): the full plan's retries there are not compared.
  const fullChanges = deferred.size ? full.changes.filter((c) => !deferred.has(scopeNamespace(c) ?? '')) : full.changes;
  if (JSON.stringify(incremental.changes) !== JSON.stringify(fullChanges)) {
    throw new IncrementalDivergence(`incremental plan of ${incremental.revision} differs from the full plan: ${firstDifference(incremental.changes, fullChanges, keyOf)}`);
  }
  const inScope = (o: ObjectIdentity) => {
    const ns = scopeNamespace(o);
    return ns === undefined || namespaces.has(ns);
  };
  const a = incremental.objects.map(keyOf).sort();
  const b = full.objects.filter(inScope).map(keyOf).sort();
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new IncrementalDivergence(`incremental plan of ${incremental.revision} has other desired objects than the full plan: ${firstDifference(a, b, String)}`);
}

/**
 * Throws unless the merged statuses (and their readiness counts) are exactly the fully rebuilt ones,
 * but in the namespaces a pass left for the next one (`later`: their statuses are rebuilt then).
 */
export function verifyStatuses(merged: ReadonlyMap<string, ObjectStatusRecord>, full: readonly ObjectStatusRecord[], readiness: ReadonlyMap<string, { ready: number; notReady: number }>, later?: ReadonlySet<string>): void {
  const sorted = (records: Iterable<ObjectStatusRecord>) => [...records].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  const now = (s: ObjectStatusRecord) => !later?.has(s.namespace || (s.kind === 'Namespace' && s.apiVersion === 'v1' ? s.name : ''));
  if (later) {
    // The running counts are over every status; the comparison below is over the current ones.
    const counts = (m: ReadonlyMap<string, unknown>) => JSON.stringify([...m.entries()].sort(([x], [y]) => (x < y ? -1 : 1)));
    if (counts(readiness) !== counts(readinessByKind(merged.values()))) throw new IncrementalDivergence(`readiness counts ${counts(readiness)} differ from the statuses' ${counts(readinessByKind(merged.values()))}`);
    return verifyStatuses(new Map([...merged].filter(([, s]) => now(s))), full.filter(now), readinessByKind([...merged.values()].filter(now)));
  }
  const a = sorted(merged.values());
  const b = sorted(full);
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new IncrementalDivergence(`incremental statuses differ from a full rebuild: ${firstDifference(a, b, keyOf)}`);
  const counts = (m: ReadonlyMap<string, unknown>) => JSON.stringify([...m.entries()].sort(([x], [y]) => (x < y ? -1 : 1)));
  if (counts(readiness) !== counts(readinessByKind(full))) throw new IncrementalDivergence(`incremental readiness counts ${counts(readiness)} differ from a full count ${counts(readinessByKind(full))}`);
}
