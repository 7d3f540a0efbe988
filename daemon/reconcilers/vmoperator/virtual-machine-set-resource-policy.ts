/**
 * VirtualMachineSetResourcePolicy: a resource pool (with reservations and limits) and a folder
 * under the namespace's, and cluster modules: VM anti-affinity groups whose members DRS keeps on
 * different hosts (Cluster API's control planes use them). VMs join through
 * `spec.reserved.resourcePolicyName` (v1alpha1: `spec.resourcePolicyName`) and the annotation
 * `vsphere-cluster-module-group`.
 */
import { findKubeObject } from '../../inventory/kube-object.js';
import { nameUuid } from '../../base/ids.js';
import type { InventoryReader } from '../../inventory/registry.js';
import type { StoredObject } from '../../inventory/model/stored-object.js';
import { objectKey, type ManifestObject } from '../../manifests/types.js';
import type { Admission } from '../../plan/contract.js';
import { cpuMillis, parseQuantity } from '../../base/quantity.js';
import { kubeObjectReconciler } from '../shared/kube-object.js';
import { condition, refused, storedObject } from '../../plan/contract.js';
import type { VirtualMachineSetResourcePolicySpecV1alpha1, VirtualMachineSetResourcePolicySpecV1alpha2 } from '../../manifests/kinds.generated.js';
import { versionedSpecOf } from '../../manifests/typed-spec.js';

const GROUP = 'vmoperator.vmware.com';
/** The annotation naming a VM's cluster module group (vm-operator's `ClusterModuleNameKey`). */
export const CLUSTER_MODULE_ANNOTATION = 'vsphere-cluster-module-group';

type PoolSpec = NonNullable<VirtualMachineSetResourcePolicySpecV1alpha2['resourcePool']>;

/** A policy in one shape whatever its version (v1alpha1 spells fields in lower case). */
export interface ResourcePolicyView {
  readonly resourcePool?: PoolSpec;
  readonly folder?: string;
  readonly clusterModuleGroups: readonly string[];
}

export function resourcePolicyView(object: Pick<StoredObject, 'kind' | 'apiVersion' | 'spec'>): ResourcePolicyView {
  const written = versionedSpecOf(object, 'VirtualMachineSetResourcePolicy');
  if (written.version === 'v1alpha1') {
    const spec: VirtualMachineSetResourcePolicySpecV1alpha1 = written.spec ?? {};
    return {
      ...(spec.resourcepool ? { resourcePool: spec.resourcepool } : {}),
      ...(spec.folder?.name ? { folder: spec.folder.name } : {}),
      clusterModuleGroups: (spec.clustermodules ?? []).map((m) => m.groupname),
    };
  }
  const spec: VirtualMachineSetResourcePolicySpecV1alpha2 = written.spec ?? {};
  return {
    ...(spec.resourcePool ? { resourcePool: spec.resourcePool } : {}),
    ...(typeof spec.folder === 'string' ? { folder: spec.folder } : {}),
    clusterModuleGroups: spec.clusterModuleGroups ?? [],
  };
}

/** The policy a VM names, desired in this plan or live; undefined when neither exists. */
export function findResourcePolicy(namespace: string, name: string, inventory: InventoryReader, desired: ReadonlyMap<string, ManifestObject>): ResourcePolicyView | undefined {
  const planned = desired.get(objectKey(GROUP, 'VirtualMachineSetResourcePolicy', namespace, name));
  if (planned) return resourcePolicyView(storedObject(planned));
  const live = findKubeObject(inventory, 'VirtualMachineSetResourcePolicy', namespace, name);
  return live ? resourcePolicyView(live.object) : undefined;
}

/** The cluster module a VM joins: its annotation's group, when its resource policy declares it. */
export function clusterModuleOf(namespace: string, policyName: string | undefined, policy: ResourcePolicyView | undefined, annotations: Readonly<Record<string, string>> | undefined): string | undefined {
  const group = annotations?.[CLUSTER_MODULE_ANNOTATION];
  return policyName && group && policy?.clusterModuleGroups.includes(group) ? `${namespace}/${policyName}/${group}` : undefined;
}

/** The VM's resource policy must exist; undefined when it does or the VM names none. */
export function resourcePolicyAdmission(namespace: string, name: string | undefined, inventory: InventoryReader, desired: ReadonlyMap<string, ManifestObject>): Admission | undefined {
  if (!name || findResourcePolicy(namespace, name, inventory, desired)) return undefined;
  return refused('ResourcePolicyNotFound', `virtualmachinesetresourcepolicies.vmoperator.vmware.com "${name}" not found`);
}

function checkPool(view: ResourcePolicyView): Admission | undefined {
  const pool = view.resourcePool;
  for (const r of ['cpu', 'memory'] as const) {
    const limit = pool?.limits?.[r];
    const reservation = pool?.reservations?.[r];
    if (limit === undefined || reservation === undefined) continue;
    const amount = (q: string | number) => (r === 'cpu' ? cpuMillis(q) : parseQuantity(q));
    if (amount(reservation) > amount(limit)) return refused('Invalid', `spec.resourcePool.reservations.${r}: must be less than or equal to spec.resourcePool.limits.${r}`);
  }
  return undefined;
}

export const virtualMachineSetResourcePolicyReconciler = kubeObjectReconciler({
  group: GROUP,
  kind: 'VirtualMachineSetResourcePolicy',
  check: (desired) => checkPool(resourcePolicyView(storedObject(desired))),
  status(desired, live) {
    const view = resourcePolicyView(live.object);
    return {
      conditions: [condition('Ready', 'True', 'Created', `resource pool ${desired.namespace}/${view.resourcePool?.name ?? desired.name}`)],
      fields: {
        resourcePool: `${desired.namespace}/${view.resourcePool?.name ?? desired.name}`,
        ...(view.folder ? { folder: `${desired.namespace}/${view.folder}` } : {}),
        clusterModules: view.clusterModuleGroups.map((g) => ({ groupName: g, moduleUUID: nameUuid(`cluster-module/${desired.namespace}/${desired.name}/${g}`) })),
      },
    };
  },
});
