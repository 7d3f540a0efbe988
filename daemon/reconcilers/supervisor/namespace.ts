/**
 * Namespace → a vSphere Namespace (one resource pool and one VM folder). Deleting one is refused
 * while anything remains in it, unless the same plan prunes its contents first.
 */
import { createNamespace, deleteNamespace, updateNamespace } from '../../inventory/namespace.js';
import { ok } from '../../inventory/model/faults.js';
import { diffValues } from '../../plan/diff-fields.js';
import { ALLOWED, comparableMeta, condition, observed, refused, storedObject, type KindReconciler } from '../../plan/contract.js';

export const namespaceReconciler: KindReconciler = {
  group: '',
  kind: 'Namespace',

  observe: (inventory) => inventory.list('Namespace').map((ns) => observed('', ns)),

  seed: () => {},

  compare: (desired, live) => diffValues(live && { metadata: comparableMeta(live.object) }, { metadata: comparableMeta(storedObject(desired)) }),

  admit(desired, live, _fields, { ledger }) {
    if (!live) ledger.addNamespace(desired.name);
    return ALLOWED;
  },

  admitDelete(live, { ledger }) {
    const members = ledger.members(live.name);
    if (members.length) {
      return refused('NamespaceNotEmpty', `namespace ${live.name} still contains ${members.length} object(s) not pruned by this revision: ${members.slice(0, 5).join(', ')}${members.length > 5 ? ', …' : ''}`);
    }
    ledger.removeNamespace(live.name);
    return ALLOWED;
  },

  apply(change, registry) {
    const ns = registry.find('Namespace', '', change.name);
    switch (change.action) {
      case 'create':
        return createNamespace(registry, storedObject(change.desired!));
      case 'update':
        return ok(updateNamespace(registry, ns!, storedObject(change.desired!)));
      case 'delete':
        return ns ? deleteNamespace(registry, ns) : ok(undefined);
    }
  },

  status(_desired, live, _inventory, problem) {
    if (!live) return { conditions: [condition('NamespaceReady', 'False', problem?.reason ?? 'Pending', problem?.message ?? 'namespace not created yet')] };
    const ns = live.entity as Extract<typeof live.entity, { type: 'Namespace' }>;
    return {
      conditions: [condition('NamespaceReady', 'True', 'Created', `resource pool ${ns.resourcePool}, folder ${ns.folder}`)],
      fields: { phase: 'Active', resourcePool: ns.resourcePool, folder: ns.folder },
    };
  },
};
