/**
 * Namespaces held for capacity: the last plan of the namespace was refused whole by quota or
 * placement (a tenant's `replicas: 100000` grown to the hosts' pod maximum) and applied nothing.
 * Planning it again finds the same refusals until capacity is freed, and costs as much as the
 * namespace is large; so, as Kubernetes controllers back off a refused ReplicaSet, a held namespace
 * is not planned again by passes that other namespaces cause. It is planned again when its own
 * declared objects or inventory change (the incremental scope has it then), when capacity may have
 * been freed (an entity removed anywhere), on the periodic full pass, at a manual reconcile, and
 * every `CAPACITY_RETRY_MS` (a VM powered off or resized elsewhere). Meanwhile its refusals are
 * still the pass's problems: Ready stays WaitingForCapacity and its statuses stay as they were.
 */
import type { StepProblem, StepResult } from '../apply/executor.js';
import type { EntityType } from '../inventory/model/entity.js';
import type { InventoryRegistry, TouchedEntity } from '../inventory/registry.js';
import { scopeNamespace } from '../plan/scoped-inventory.js';
import { READINESS_REASONS, REQUEUE_WAITING_MS } from './readiness-reasons.js';

/** How often a held namespace is planned again when nothing says capacity was freed: the requeue delay of a capacity wait. */
export const CAPACITY_RETRY_MS = REQUEUE_WAITING_MS;

/** Removals that free nothing: a finished task, the id counter, an IP pool's bookkeeping. */
const FREES_NOTHING: ReadonlySet<EntityType> = new Set<EntityType>(['Task', 'Meta', 'Network']);

interface Hold {
  /** The refusals of its last plan, by object key. */
  readonly problems: ReadonlyMap<string, StepProblem>;
  /** When that plan was made (ms since the epoch). */
  readonly since: number;
}

export class CapacityHolds {
  private held = new Map<string, Hold>();
  /** Set when capacity may have been freed since the holds, or a person asked: every held namespace is planned again. */
  private retryAll = false;

  /** A manual reconcile looks at everything again. */
  begin(manual: boolean): void {
    if (manual) this.retryAll = true;
  }

  /** Takes in inventory changes: a removed entity may have freed what a held namespace waits for. */
  noteTouched(touched: ReadonlyMap<string, TouchedEntity>, registry: InventoryRegistry): void {
    for (const [id, { type, before }] of touched) if (before && !FREES_NOTHING.has(type) && !registry.entity(id)) this.retryAll = true;
  }

  /** The held namespaces to plan again now. */
  due(now: number): string[] {
    return [...this.held].filter(([, hold]) => this.retryAll || now - hold.since >= CAPACITY_RETRY_MS).map(([ns]) => ns);
  }

  /** The held namespaces a plan of `planned` (undefined: all) leaves out. */
  deferred(planned: ReadonlySet<string> | undefined): ReadonlySet<string> {
    return new Set(planned ? [...this.held.keys()].filter((ns) => !planned.has(ns)) : []);
  }

  /** The refusals of the namespaces a pass deferred, which are still its problems. */
  problemsOf(deferred: ReadonlySet<string>): Iterable<[string, StepProblem]> {
    return [...deferred].flatMap((ns) => [...(this.held.get(ns)?.problems ?? [])]);
  }

  /**
   * Takes in what a pass applied: a namespace it planned whose every step was refused for capacity,
   * and whose inventory the apply left unchanged (`changed`), is held from `now`; one deferred stays
   * held; any other is not. Returns whether `namespace` is held (its problems are not "waiting").
   */
  applied(results: readonly StepResult[], deferred: ReadonlySet<string>, changed: (ns: string) => boolean, now: number): (namespace: string | undefined) => boolean {
    const outcomes = new Map<string, { problems: Map<string, StepProblem>; capacityOnly: boolean }>();
    for (const r of results) {
      const ns = scopeNamespace(r.change);
      if (ns === undefined) continue;
      let o = outcomes.get(ns);
      if (!o) outcomes.set(ns, (o = { problems: new Map(), capacityOnly: true }));
      if (r.problem) o.problems.set(r.change.key, r.problem);
      if (r.outcome !== 'refused' || !r.problem || READINESS_REASONS[r.problem.reason] !== 'capacity') o.capacityOnly = false;
    }
    const held = new Map<string, Hold>();
    for (const ns of deferred) held.set(ns, this.held.get(ns)!);
    for (const [ns, o] of outcomes) if (o.capacityOnly && o.problems.size && !changed(ns)) held.set(ns, { problems: o.problems, since: now });
    this.held = held;
    this.retryAll = false;
    return (namespace) => namespace !== undefined && held.has(namespace);
  }

  /** Nothing is held (a full plan finds the holds again). */
  clear(): void {
    this.held = new Map();
    this.retryAll = false;
  }
}
