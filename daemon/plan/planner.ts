/**
 * The one planner, shared by the daemon and `pacific diff`: desired objects of a revision against
 * the observed inventory → ordered creates, updates and deletes with field changes and admission.
 * Pure: it reads the inventory and ownership it is given and changes nothing.
 */
import type { InventoryReader } from '../inventory/registry.js';
import type { ManifestObject } from '../manifests/types.js';
import { storedObject, type Change, type ObservedObject, type PlanContext } from './contract.js';
import { diffValues } from './diff-fields.js';
import { maskSecretValues, type SecretHash } from './secret-values.js';
import { PlanLedger } from './ledger.js';
import type { ReconcilerSet } from './reconciler-set.js';
import { scopedInventory, scopeNamespace, type ObjectIdentity } from './scoped-inventory.js';
import type { Plan, PlanSummary } from './types.js';

/** How pacific came to manage an object: it created it, or it found it and took it over. */
export type Ownership = 'created' | 'adopted';

export interface PlanInput {
  readonly revision: string;
  /** The kinds pacific reconciles and their apply order (the composition root's `reconcilers`). */
  readonly reconcilers: ReconcilerSet;
  readonly desired: readonly ManifestObject[];
  readonly inventory: InventoryReader;
  /** Objects pacific manages, by key (from the store). Only these may be pruned. */
  readonly ownership: ReadonlyMap<string, Ownership>;
  readonly normalizeSpec: PlanContext['normalizeSpec'];
  /**
   * An incremental plan: only objects of these namespaces (a Namespace counts as its own) can
   * differ from the inventory; the others are known unchanged and neither compared nor observed.
   * The caller guarantees it (see `controller/namespace-scope.ts`); absent, everything is planned.
   */
  readonly namespaces?: ReadonlySet<string>;
  /** What stands for a Secret's values in the plan (the store's salted hash); absent, this run's. */
  readonly secretHash?: SecretHash;
}

/** The annotation that keeps an object when the repo stops declaring it. */
export const PRUNE_ANNOTATION = 'pacific.dev/prune';

function byPlace(a: { namespace: string; name: string }, b: { namespace: string; name: string }): number {
  return a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);
}

/**
 * Drift: the object as written did not change since it was applied, yet it needs a change (the
 * inventory was changed out of band), or pacific created it and it is gone.
 */
function isDrift(object: ManifestObject, live: ObservedObject | undefined, ownership: ReadonlyMap<string, Ownership>): boolean {
  if (!live) return ownership.get(object.key) === 'created';
  return diffValues(live.object, storedObject(object)).length === 0;
}

function isPruneDisabled(live: ObservedObject): boolean {
  return live.object.annotations?.[PRUNE_ANNOTATION] === 'disabled';
}

/**
 * Declared objects plus everything their kinds derive from them (transitively), parents first.
 * A declared object wins over a derived one with the same identity.
 */
export function expandDesired(declared: readonly ManifestObject[], inventory: InventoryReader, reconcilers: ReconcilerSet): ManifestObject[] {
  const all = new Map(declared.map((d) => [d.key, d]));
  const queue = [...declared];
  for (let i = 0; i < queue.length; i++) {
    const parent = queue[i]!;
    for (const child of reconcilers.of(parent.group, parent.kind)?.derive?.(parent, { inventory, desired: all }) ?? []) {
      if (all.has(child.key)) continue;
      all.set(child.key, child);
      queue.push(child);
    }
  }
  return queue;
}

/** Plans a revision: creates and updates in wave order, then prunes in reverse wave order. */
export function plan(input: PlanInput): Plan {
  const steps = planning(input);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same plan, letting the event loop run whenever `pause` says a time slice is spent: a cold
 * plan of 10,000 objects takes seconds, and `/status` must keep answering meanwhile. What changes
 * in the inventory during a pause (a task completing, an admin operation) is the next pass's to
 * plan, as during the apply.
 */
export async function planCooperatively(input: PlanInput, pause: () => Promise<void>): Promise<Plan> {
  const steps = planning(input);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await pause();
  }
}

/** The planner, yielding after each object it compares, admits or prunes. */
function* planning(input: PlanInput): Generator<void, Plan> {
  const scope = input.namespaces;
  // Observing and seeding see the namespaces in scope only; the ledger is then exact for them, and
  // the others are not compared. Deriving and comparing read the whole inventory.
  const observable = scope ? scopedInventory(input.inventory, scope) : input.inventory;
  const inScope = (o: ObjectIdentity) => !scope || scope.has(scopeNamespace(o) ?? '');
  const ledger = new PlanLedger(observable);
  const { reconcilers } = input;
  const expanded = expandDesired(input.desired, input.inventory, reconcilers);
  const ctx: PlanContext = { inventory: input.inventory, ledger, desired: new Map(expanded.map((o) => [o.key, o])), normalizeSpec: input.normalizeSpec };
  const live = new Map<string, ObservedObject>();
  for (const r of reconcilers.all) {
    for (const o of r.observe(observable)) {
      if (!inScope(o)) continue;
      live.set(o.key, o);
      r.seed(o, ledger);
    }
  }

  const changes: Change[] = [];
  const unchanged: string[] = [];
  const desired = (scope ? expanded.filter(inScope) : [...expanded]).sort((a, b) => reconcilers.waveOf(a.group, a.kind) - reconcilers.waveOf(b.group, b.kind) || byPlace(a, b));
  const desiredKeys = new Set(desired.map((d) => d.key));
  for (const object of desired) {
    const r = reconcilers.of(object.group, object.kind);
    if (!r) continue;
    const current = live.get(object.key);
    const fields = maskSecretValues(object.group, object.kind, r.compare(object, current, ctx), input.secretHash);
    if (current && fields.length === 0) {
      unchanged.push(object.key);
      yield;
      continue;
    }
    changes.push({
      action: current ? 'update' : 'create',
      key: object.key,
      apiVersion: object.apiVersion,
      group: object.group,
      kind: object.kind,
      namespace: object.namespace,
      name: object.name,
      source: object.source,
      fields,
      admission: r.admit(object, current, fields, ctx),
      wave: reconcilers.waveOf(object.group, object.kind),
      desired: object,
      ...(object.owner ? { owner: object.owner } : {}),
      ...(isDrift(object, current, input.ownership) ? { drift: true } : {}),
    });
    yield;
  }

  const prunable = [...live.values()]
    .filter((o) => !desiredKeys.has(o.key) && input.ownership.has(o.key) && !isPruneDisabled(o))
    .sort((a, b) => reconcilers.waveOf(b.group, b.kind) - reconcilers.waveOf(a.group, a.kind) || byPlace(a, b));
  for (const o of prunable) {
    const r = reconcilers.of(o.group, o.kind)!;
    const release = input.ownership.get(o.key) === 'adopted';
    changes.push({
      action: 'delete',
      key: o.key,
      apiVersion: o.object.apiVersion,
      group: o.group,
      kind: o.kind,
      namespace: o.namespace,
      name: o.name,
      fields: [],
      admission: release ? { allowed: true, notes: ['pacific did not create this object: it is released, not deleted'] } : r.admitDelete(o, ctx),
      wave: reconcilers.waveOf(o.group, o.kind),
      ...(o.object.owner ? { owner: o.object.owner } : {}),
      ...(release ? { release } : {}),
    });
    yield;
  }

  // Objects out of scope are unchanged by the caller's guarantee.
  const summary: PlanSummary = { create: 0, update: 0, delete: 0, unchanged: unchanged.length + expanded.length - desired.length };
  for (const c of changes) summary[c.action] += 1;
  return { revision: input.revision, objects: expanded, changes, unchanged, summary };
}
