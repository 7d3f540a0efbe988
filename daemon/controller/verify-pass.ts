/**
 * The check behind `verifyPasses` (tests turn it on): an incremental plan must equal the full plan
 * of the same revision and inventory, and statuses merged from a partial rebuild must equal a full
 * rebuild. A difference is a bug in scoping, so it throws and fails the pass.
 */
import type { Plan } from '../plan/types.js';
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

/** Throws unless both plans make the same changes, in the same order, for the same desired objects. */
export function verifyPlan(incremental: Plan, full: Plan): void {
  if (JSON.stringify(incremental.changes) !== JSON.stringify(full.changes)) {
    throw new IncrementalDivergence(`incremental plan of ${incremental.revision} differs from the full plan: ${firstDifference(incremental.changes, full.changes, keyOf)}`);
  }
  const a = incremental.objects.map(keyOf);
  const b = full.objects.map(keyOf);
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new IncrementalDivergence(`incremental plan of ${incremental.revision} has other desired objects than the full plan: ${firstDifference(a, b, String)}`);
}

/** Throws unless the merged statuses are exactly the fully rebuilt ones. */
export function verifyStatuses(merged: ReadonlyMap<string, ObjectStatusRecord>, full: readonly ObjectStatusRecord[]): void {
  const sorted = (records: Iterable<ObjectStatusRecord>) => [...records].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  const a = sorted(merged.values());
  const b = sorted(full);
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new IncrementalDivergence(`incremental statuses differ from a full rebuild: ${firstDifference(a, b, keyOf)}`);
}
