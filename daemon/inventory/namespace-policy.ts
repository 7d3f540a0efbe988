/**
 * A namespace's policy as the simulator reads it (the NamespacePolicy object stored in the
 * namespace): what it restricts, and what it asks of every member.
 */
import type { InventoryReader } from './registry.js';
import type { Crypto } from './model/workloads.js';
import type { StoredObject } from './model/stored-object.js';
import { kubeObjects } from './kube-object.js';
import { parseQuantity } from '../base/quantity.js';
import { liveSpecOf } from '../manifests/typed-spec.js';

export type Role = 'view' | 'edit' | 'owner';
export type RestartPriority = 'disabled' | 'lowest' | 'low' | 'medium' | 'high' | 'highest';

/** A parsed policy. A list left out of the manifest is `undefined`: no restriction. */
export interface NamespacePolicyView {
  readonly vmClasses?: readonly string[];
  /** The largest class a VM of the namespace may use (any class); undefined fields are unbounded. */
  readonly vmClassLimits?: { readonly cpus?: number; readonly memoryBytes?: number };
  /** Whether classes declared in the tenant folder are admitted (default false). */
  readonly tenantVmClasses: boolean;
  readonly contentLibraries?: readonly string[];
  /** Where publish requests without a location publish (vm-operator: the library labelled imageregistry.vmware.com/default). */
  readonly defaultContentLibrary?: string;
  /** Libraries the namespace may publish into besides its default one. */
  readonly writableContentLibraries?: readonly string[];
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

export function policyView(object: StoredObject): NamespacePolicyView {
  const spec = liveSpecOf(object, 'NamespacePolicy') ?? {};
  return {
    ...(spec.vmClasses ? { vmClasses: spec.vmClasses } : {}),
    ...(spec.vmClassLimits
      ? { vmClassLimits: { ...(spec.vmClassLimits.cpus !== undefined ? { cpus: spec.vmClassLimits.cpus } : {}), ...(spec.vmClassLimits.memory !== undefined ? { memoryBytes: parseQuantity(spec.vmClassLimits.memory) } : {}) } }
      : {}),
    tenantVmClasses: spec.tenantVmClasses ?? false,
    ...(spec.contentLibraries ? { contentLibraries: spec.contentLibraries } : {}),
    ...(spec.defaultContentLibrary ? { defaultContentLibrary: spec.defaultContentLibrary } : {}),
    ...(spec.writableContentLibraries ? { writableContentLibraries: spec.writableContentLibraries } : {}),
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

const views = new WeakMap<StoredObject, NamespacePolicyView>();

/** The live policy of every namespace that has one: one pass over the policies (views made once per object). */
export function namespacePolicies(inventory: InventoryReader): Map<string, NamespacePolicyView> {
  const out = new Map<string, NamespacePolicyView>();
  for (const { object } of kubeObjects(inventory, 'NamespacePolicy')) {
    if (out.has(object.namespace)) continue;
    let view = views.get(object);
    if (!view) views.set(object, (view = policyView(object)));
    out.set(object.namespace, view);
  }
  return out;
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
