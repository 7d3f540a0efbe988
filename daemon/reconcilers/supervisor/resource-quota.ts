/**
 * ResourceQuota → the vSphere Namespace's limits. Admission of every workload in the namespace is
 * checked against them; lowering a limit below current usage is allowed (as Kubernetes allows it)
 * and only blocks new consumption.
 */
import { putResourceQuota, removeEntity } from '../../inventory/namespace.js';
import { ok } from '../../inventory/model/faults.js';
import type { ResourceQuota } from '../../inventory/model/workloads.js';
import { diffValues } from '../../plan/diff-fields.js';
import { formatAmount, parseHard } from '../../capacity/quota.js';
import { namespaceUsage } from '../../inventory/namespace-usage.js';
import { ALLOWED, comparableObject, condition, observed, refused, storedObject, type KindReconciler } from '../../plan/contract.js';
import type { StoredObject } from '../../inventory/model/stored-object.js';
import { liveSpecOf } from '../../manifests/typed-spec.js';

function hardOf(object: StoredObject): Readonly<Record<string, string | number>> {
  return liveSpecOf(object, 'ResourceQuota')?.hard ?? {};
}

export const resourceQuotaReconciler: KindReconciler = {
  group: '',
  kind: 'ResourceQuota',

  observe: (inventory) => inventory.list('ResourceQuota').map((q) => observed('', q)),

  seed: () => {},

  compare: (desired, live, ctx) => diffValues(live && comparableObject(live.object, ctx), comparableObject(storedObject(desired), ctx)),

  admit(desired, _live, _fields, { ledger }) {
    if (!ledger.hasNamespace(desired.namespace)) return refused('NamespaceNotFound', `namespace ${desired.namespace} not found`);
    ledger.setQuota(desired.namespace, desired.name, parseHard(hardOf(storedObject(desired))));
    return ALLOWED;
  },

  admitDelete(live, { ledger }) {
    ledger.removeQuota(live.namespace, live.name);
    return ALLOWED;
  },

  apply(change, registry) {
    if (change.action === 'delete') {
      const quota = registry.find('ResourceQuota', change.namespace, change.name);
      return quota ? removeEntity(registry, quota.id) : ok(undefined);
    }
    const object = storedObject(change.desired!);
    return putResourceQuota(registry, object, parseHard(hardOf(object)));
  },

  status(_desired, live, inventory, problem) {
    if (!live) return { conditions: [condition('QuotaEnforced', 'False', problem?.reason ?? 'Pending', problem?.message ?? 'quota not applied yet')] };
    const quota = live.entity as ResourceQuota;
    const used = namespaceUsage(inventory, quota.namespace);
    const show = (amounts: Readonly<Record<string, number>>) =>
      Object.fromEntries(Object.keys(quota.hard).sort().map((r) => [r, formatAmount(r, amounts[r] ?? 0)]));
    const over = Object.keys(quota.hard).filter((r) => (used[r] ?? 0) > quota.hard[r]!);
    return {
      conditions: [
        over.length
          ? condition('QuotaEnforced', 'True', 'UsageOverLimit', `usage exceeds the limit for ${over.join(', ')}: no new consumption is admitted`)
          : condition('QuotaEnforced', 'True', 'Enforced', ''),
      ],
      fields: { hard: show(quota.hard), used: show(used) },
    };
  },
};
