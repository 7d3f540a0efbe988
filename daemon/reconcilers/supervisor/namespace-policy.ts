/**
 * NamespacePolicy (pacific.dev/v1alpha1): the VI admin's policy of a vSphere Namespace. Admission
 * of every workload in the namespace consults it (classes, images, storage, host placement); the
 * namespace-wide operations it turns on (encryption, snapshots, registry, HA priority, placement)
 * act on every member.
 */
import type { InventoryReader } from '../../inventory/registry.js';
import { policyView, type NamespacePolicyView, type Role } from '../../inventory/namespace-policy.js';
import type { Admission } from '../../plan/contract.js';
import { derivedObject } from '../shared/derived.js';
import { kubeObjectReconciler } from '../shared/kube-object.js';
import { condition, refused, storedObject } from '../../plan/contract.js';
import type { ManifestObject } from '../../manifests/types.js';
import { formatBytes } from '../../base/quantity.js';
import { nextSnapshotAt, scheduleSnapshots } from '../../inventory/snapshot-schedule.js';
import { specOf } from '../../manifests/typed-spec.js';

/** A policy must name what exists, once per namespace. */
function checkPolicy(view: NamespacePolicyView, inventory: InventoryReader): Admission | undefined {
  const unknown = (what: string, names: readonly string[] | undefined, known: Iterable<string>) => {
    const have = new Set(known);
    const missing = (names ?? []).filter((n) => !have.has(n));
    return missing.length ? refused('Invalid', `spec.${what}: ${missing.join(', ')} not found in vCenter`) : undefined;
  };
  const p = view.placement;
  if (p?.hosts && p.hostGroup) return refused('Invalid', 'spec.placement: set either hosts or hostGroup, not both');
  if (view.snapshots) {
    try {
      nextSnapshotAt(view.snapshots.schedule, 0);
    } catch (err) {
      return refused('Invalid', `spec.snapshots.schedule: ${(err as Error).message}`);
    }
  }
  if (p?.hostGroup && !inventory.list('HostGroup').some((g) => g.name === p.hostGroup)) return refused('Invalid', `spec.placement.hostGroup: ${p.hostGroup} not found in vCenter`);
  const defaultLibrary = view.defaultContentLibrary;
  if (defaultLibrary && view.contentLibraries && !view.contentLibraries.includes(defaultLibrary)) {
    return refused('Invalid', `spec.defaultContentLibrary: ${defaultLibrary} is not one of spec.contentLibraries (${view.contentLibraries.join(', ') || 'none'})`);
  }
  return (
    unknown('vmClasses', view.vmClasses, inventory.list('VmClass').filter((c) => !c.namespace).map((c) => c.name)) ??
    unknown('contentLibraries', view.contentLibraries, inventory.list('ContentLibrary').map((l) => l.name)) ??
    unknown('defaultContentLibrary', defaultLibrary ? [defaultLibrary] : undefined, inventory.list('ContentLibrary').map((l) => l.name)) ??
    unknown('writableContentLibraries', view.writableContentLibraries, inventory.list('ContentLibrary').map((l) => l.name)) ??
    unknown('storagePolicies', view.storagePolicies, inventory.list('StoragePolicy').map((s) => s.name)) ??
    unknown('placement.hosts', p?.hosts, inventory.list('Host').map((h) => h.name))
  );
}

/**
 * Harbor project roles for the namespace's permissions (pacific's mapping of vSphere roles:
 * owner administers the project, edit pushes and pulls, view pulls).
 */
const REGISTRY_ROLE: Record<Role, string> = { owner: 'projectAdmin', edit: 'developer', view: 'guest' };

/** The registry project a policy with the registry enabled derives: named after the namespace. */
function registryProject(policy: ManifestObject): ManifestObject[] {
  const view = policyView(storedObject(policy));
  if (!view.registry?.enabled) return [];
  const name = policy.namespace;
  const spec = {
    members: view.permissions.map((p) => ({ subject: p.subject, role: REGISTRY_ROLE[p.role] })),
    ...(view.registry.storageQuotaBytes !== undefined ? { storageQuota: formatBytes(view.registry.storageQuotaBytes) } : {}),
  };
  return [derivedObject(policy, 'pacific.dev/v1alpha1', 'RegistryProject', name, { spec })];
}

/** The embedded registry's project of a namespace (derived from its policy; gone with it). */
export const registryProjectReconciler = kubeObjectReconciler({
  group: 'pacific.dev',
  kind: 'RegistryProject',
  status(desired) {
    const spec = specOf(desired, 'RegistryProject');
    return {
      conditions: [condition('ProjectReady', 'True', 'Created', `project ${desired.name} in the Supervisor's registry`)],
      fields: { project: desired.name, members: spec.members, storageQuota: spec.storageQuota ?? 'unlimited', storageUsed: '0' },
    };
  },
});

export const namespacePolicyReconciler = kubeObjectReconciler({
  group: 'pacific.dev',
  kind: 'NamespacePolicy',
  derive: registryProject,
  afterApply: (object, change, registry, ctx) => scheduleSnapshots(registry, change.namespace, object ? policyView(object).snapshots : undefined, ctx.now),
  check(desired, live, { ledger, inventory }) {
    const other = ledger.policyName(desired.namespace);
    if (other && other !== desired.name) return refused('Invalid', `namespace ${desired.namespace} already has NamespacePolicy ${other}; a namespace has one policy`);
    return checkPolicy(policyView(storedObject(desired)), inventory);
  },
  record: (object, ledger) => ledger.setPolicy(object.namespace, object.name, policyView(object)),
  forget: (live, ledger) => ledger.removePolicy(live.namespace),
});

