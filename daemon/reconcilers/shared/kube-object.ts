/**
 * A reconciler for Kubernetes-only kinds (no vCenter object of their own): stored as written,
 * compared field by field. Kinds add admission rules, ledger bookkeeping, derivation and status.
 */
import { findKubeObject, putKubeObject, kubeObjects, removeKubeObject } from '../../inventory/kube-object.js';
import type { KubeObject } from '../../inventory/model/workloads.js';
import type { StoredObject } from '../../inventory/model/stored-object.js';
import type { InventoryReader, InventoryRegistry } from '../../inventory/registry.js';
import type { ManifestObject } from '../../manifests/types.js';
import type { PlanLedger } from '../../plan/ledger.js';
import { diffValues } from '../../plan/diff-fields.js';
import type { Admission, Change, FieldChange, ApplyContext, KindReconciler, ObjectStatus, ObservedObject, PlanContext, Problem, ProblemLookup } from '../../plan/contract.js';
import { objectCountAdmission } from './namespace-rules.js';
import type { TaskResult } from '../../inventory/model/faults.js';
import { ALLOWED, comparableObject, condition, observed, refused, storedObject } from '../../plan/contract.js';

export interface KubeKindOptions {
  readonly group: string;
  readonly kind: string;
  /** Checks beyond "the namespace exists"; a refusal, or undefined when allowed. */
  readonly check?: (desired: ManifestObject, live: ObservedObject | undefined, ctx: PlanContext) => Admission | undefined;
  /** Records a live or admitted object in the ledger (its limits or policy bind later objects). */
  readonly record?: (object: StoredObject, ledger: PlanLedger) => void;
  /** Removes a deleted object from the ledger. */
  readonly forget?: (live: ObservedObject, ledger: PlanLedger) => void;
  readonly derive?: KindReconciler['derive'];
  /** Status beyond "stored". */
  readonly status?: (desired: ManifestObject, live: KubeObject, inventory: InventoryReader, problemOf: ProblemLookup) => ObjectStatus;
  /** Whether it joins its namespace's members (which block the namespace's deletion); default true. */
  readonly member?: boolean;
  /** Differences beyond the object's own fields (what it governs: a group's members' power). */
  readonly extraFields?: (desired: ManifestObject, live: ObservedObject, ctx: PlanContext) => FieldChange[];
  /** Simulator effects of the object once stored or deleted (the stored object, undefined when deleted). */
  readonly afterApply?: (object: StoredObject | undefined, change: Change, registry: InventoryRegistry, ctx: ApplyContext) => TaskResult<unknown>;
  /** Simulator effects of deleting the object, while it is still there to read (what it made goes with it). */
  readonly beforeDelete?: (live: KubeObject, registry: InventoryRegistry) => TaskResult<unknown>;
}

export function kubeObjectReconciler(options: KubeKindOptions): KindReconciler {
  const { group, kind } = options;
  const member = options.member ?? true;
  return {
    group,
    kind,
    observe: (inventory) => kubeObjects(inventory, kind).map((o) => observed(group, o)),
    seed(live, ledger) {
      if (member) ledger.addMember(live.namespace, live.key);
      options.record?.(live.object, ledger);
    },
    compare(desired, live, ctx) {
      const fields = diffValues(live && comparableObject(live.object, ctx), comparableObject(storedObject(desired), ctx));
      return live && options.extraFields ? [...fields, ...options.extraFields(desired, live, ctx)] : fields;
    },
    admit(desired, live, _fields, ctx) {
      if (!ctx.ledger.hasNamespace(desired.namespace)) return refused('NamespaceNotFound', `namespace ${desired.namespace} not found`);
      const verdict = options.check?.(desired, live, ctx);
      if (verdict && !verdict.allowed) return verdict;
      const overCount = member && !live ? objectCountAdmission(desired, ctx) : undefined;
      if (overCount) return overCount;
      options.record?.(storedObject(desired), ctx.ledger);
      if (member && !live) ctx.ledger.addMember(desired.namespace, desired.key);
      return verdict ?? ALLOWED;
    },
    admitDelete(live, { ledger }) {
      options.forget?.(live, ledger);
      if (member) ledger.removeMember(live.namespace, live.key);
      return ALLOWED;
    },
    apply(change, registry, ctx) {
      const object = change.action === 'delete' ? undefined : storedObject(change.desired!);
      const going = !object && options.beforeDelete ? findKubeObject(registry, kind, change.namespace, change.name) : undefined;
      const before = going ? options.beforeDelete!(going, registry) : undefined;
      if (before && !before.ok) return before;
      const stored = object ? putKubeObject(registry, object) : removeKubeObject(registry, kind, change.namespace, change.name);
      return stored.ok && options.afterApply ? options.afterApply(object, change, registry, ctx) : stored;
    },
    ...(options.derive ? { derive: options.derive } : {}),
    status(desired, live, inventory, problem?: Problem, problemOf: ProblemLookup = () => undefined) {
      if (!live) return { conditions: [condition('Stored', 'False', problem?.reason ?? 'Pending', problem?.message ?? '')] };
      return options.status?.(desired, live.entity as KubeObject, inventory, problemOf) ?? { conditions: [condition('Stored', 'True', 'Stored')] };
    },
  };
}
