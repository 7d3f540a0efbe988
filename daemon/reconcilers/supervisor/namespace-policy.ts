/**
 * NamespacePolicy (pacific.dev/v1alpha1): the VI admin's policy of a vSphere Namespace. Admission
 * of every workload in the namespace consults it (classes, images, storage, host placement); the
 * namespace-wide operations it turns on (encryption, snapshots, registry, HA priority, placement)
 * act on every member.
 */
import type { InventoryReader } from '../../inventory/registry.js';
import type { Crypto, StoredObject } from '../../inventory/model.js';
import { kubeObjects } from '../../inventory/kube-object.js';
import { parseQuantity } from '../../quantity.js';
import type { Admission } from '../../plan/types.js';
import { kubeObjectReconciler } from '../kube-object.js';
import { condition, refused, storedObject } from '../types.js';
import { displayName, objectKey, type ManifestObject } from '../../manifests/types.js';
import { formatBytes } from '../../quantity.js';
import { nextSnapshotAt, scheduleSnapshots } from '../../inventory/snapshot-schedule.js';

export type Role = 'view' | 'edit' | 'owner';
export type RestartPriority = 'disabled' | 'lowest' | 'low' | 'medium' | 'high' | 'highest';

/** A parsed policy. A list left out of the manifest is `undefined`: no restriction. */
export interface NamespacePolicyView {
  readonly vmClasses?: readonly string[];
  readonly contentLibraries?: readonly string[];
  readonly storagePolicies?: readonly string[];
  readonly permissions: readonly { readonly subject: { readonly kind: 'User' | 'Group'; readonly name: string }; readonly role: Role }[];
  readonly registry?: { readonly enabled: boolean; readonly storageQuotaBytes?: number };
  readonly encryption?: { readonly required: boolean; readonly keyProvider: string };
  readonly snapshots?: { readonly schedule: string; readonly retention: number };
  readonly restartPriority: RestartPriority;
  readonly placement?: { readonly hosts?: readonly string[]; readonly hostGroup?: string };
}

/** vSphere HA's default VM restart priority. */
export const DEFAULT_RESTART_PRIORITY: RestartPriority = 'medium';
/** The key provider a namespace uses when its policy names none (vSphere Native Key Provider). */
export const DEFAULT_KEY_PROVIDER = 'pacific-native-key-provider';

interface PolicySpec {
  vmClasses?: string[];
  contentLibraries?: string[];
  storagePolicies?: string[];
  permissions?: NamespacePolicyView['permissions'];
  registry?: { enabled: boolean; storageQuota?: string | number };
  encryption?: { required: boolean; keyProvider?: string };
  snapshots?: { schedule: string; retention: number };
  ha?: { restartPriority?: RestartPriority };
  placement?: { hosts?: string[]; hostGroup?: string };
}

export function policyView(object: StoredObject): NamespacePolicyView {
  const spec = (object.spec ?? {}) as PolicySpec;
  return {
    ...(spec.vmClasses ? { vmClasses: spec.vmClasses } : {}),
    ...(spec.contentLibraries ? { contentLibraries: spec.contentLibraries } : {}),
    ...(spec.storagePolicies ? { storagePolicies: spec.storagePolicies } : {}),
    permissions: spec.permissions ?? [],
    ...(spec.registry
      ? { registry: { enabled: spec.registry.enabled, ...(spec.registry.storageQuota !== undefined ? { storageQuotaBytes: parseQuantity(spec.registry.storageQuota) } : {}) } }
      : {}),
    ...(spec.encryption ? { encryption: { required: spec.encryption.required, keyProvider: spec.encryption.keyProvider ?? DEFAULT_KEY_PROVIDER } } : {}),
    ...(spec.snapshots ? { snapshots: spec.snapshots } : {}),
    restartPriority: spec.ha?.restartPriority ?? DEFAULT_RESTART_PRIORITY,
    ...(spec.placement ? { placement: spec.placement } : {}),
  };
}

/** The live policy of a namespace, or undefined when it has none. */
export function namespacePolicy(inventory: InventoryReader, namespace: string): NamespacePolicyView | undefined {
  const [first] = kubeObjects(inventory, 'NamespacePolicy', namespace);
  return first ? policyView(first.object) : undefined;
}

/** The encryption the live policy of a namespace requires (what an apply step gives new members). */
export function requiredCryptoOf(inventory: InventoryReader, namespace: string): Crypto | undefined {
  const e = namespacePolicy(inventory, namespace)?.encryption;
  return e?.required ? { encrypted: true, keyProvider: e.keyProvider } : undefined;
}

/** Host names a policy's placement allows, or undefined when placement is free. */
export function allowedHosts(inventory: InventoryReader, policy: NamespacePolicyView | undefined): ReadonlySet<string> | undefined {
  const p = policy?.placement;
  if (!p) return undefined;
  if (p.hosts) return new Set(p.hosts);
  const group = inventory.list('HostGroup').find((g) => g.name === p.hostGroup);
  return new Set(group?.hosts ?? []);
}

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
  return (
    unknown('vmClasses', view.vmClasses, inventory.list('VmClass').filter((c) => !c.namespace).map((c) => c.name)) ??
    unknown('contentLibraries', view.contentLibraries, inventory.list('ContentLibrary').map((l) => l.name)) ??
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
  return [
    {
      key: objectKey('pacific.dev', 'RegistryProject', policy.namespace, name),
      apiVersion: 'pacific.dev/v1alpha1',
      group: 'pacific.dev',
      version: 'v1alpha1',
      kind: 'RegistryProject',
      namespace: policy.namespace,
      name,
      namespaced: true,
      body: { apiVersion: 'pacific.dev/v1alpha1', kind: 'RegistryProject', metadata: { name, namespace: policy.namespace }, spec },
      source: policy.source,
      owner: displayName(policy.kind, policy.namespace, policy.name),
    },
  ];
}

/** The embedded registry's project of a namespace (derived from its policy; gone with it). */
export const registryProjectReconciler = kubeObjectReconciler({
  group: 'pacific.dev',
  kind: 'RegistryProject',
  wave: 2,
  status(desired) {
    const spec = desired.body['spec'] as { members: unknown[]; storageQuota?: string };
    return {
      conditions: [condition('ProjectReady', 'True', 'Created', `project ${desired.name} in the Supervisor's registry`)],
      fields: { project: desired.name, members: spec.members, storageQuota: spec.storageQuota ?? 'unlimited', storageUsed: '0' },
    };
  },
});

export const namespacePolicyReconciler = kubeObjectReconciler({
  group: 'pacific.dev',
  kind: 'NamespacePolicy',
  wave: 1,
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
