/** Supervisor namespace tasks: a vSphere Namespace (resource pool + folder), its quotas and classes. */
import type { InventoryRegistry } from './registry.js';
import type { Namespace, ResourceQuota } from './model/workloads.js';
import type { StoredObject } from './model/stored-object.js';
import type { VmClass } from './model/infrastructure.js';
import { fail, ok, type TaskResult } from './model/faults.js';

/** Creates a vSphere Namespace: one resource pool and one VM folder under the Supervisor cluster. */
export function createNamespace(registry: InventoryRegistry, object: StoredObject): TaskResult<Namespace> {
  if (registry.find('Namespace', '', object.name)) return fail('AlreadyExists', `namespace ${object.name} already exists`);
  const ns: Namespace = {
    type: 'Namespace',
    id: `namespace-${object.name}`,
    name: object.name,
    resourcePool: registry.allocateId('resgroup-'),
    folder: registry.allocateId('group-v'),
    object,
  };
  registry.put(ns);
  return ok(ns);
}

/** Records a namespace's new labels and annotations. */
export function updateNamespace(registry: InventoryRegistry, ns: Namespace, object: StoredObject): Namespace {
  const updated = { ...ns, object };
  registry.put(updated);
  return updated;
}

/** What still lives in a namespace (anything but its quotas blocks deletion). */
export function namespaceContents(registry: Pick<InventoryRegistry, 'inNamespace'>, name: string): string[] {
  return [
    ...registry.inNamespace('VirtualMachine', name).map((vm) => `VirtualMachine/${vm.name}`),
    ...registry.inNamespace('VmClass', name).map((c) => `VirtualMachineClass/${c.name}`),
    ...registry.inNamespace('Pod', name).map((p) => `Pod/${p.name}`),
    ...registry.inNamespace('KubeObject', name).map((o) => o.name),
  ];
}

/** Deletes a vSphere Namespace; refused while workloads remain in it. Its quotas go with it. */
export function deleteNamespace(registry: InventoryRegistry, ns: Namespace): TaskResult<void> {
  const contents = namespaceContents(registry, ns.name);
  if (contents.length) return fail('ResourceInUse', `namespace ${ns.name} still contains ${contents.join(', ')}`);
  for (const quota of registry.inNamespace('ResourceQuota', ns.name)) registry.remove(quota.id);
  registry.remove(ns.id);
  return ok(undefined);
}

/** Creates or replaces a ResourceQuota's hard limits (bytes, millicores and counts as numbers). */
export function putResourceQuota(registry: InventoryRegistry, object: StoredObject, hard: Readonly<Record<string, number>>): TaskResult<ResourceQuota> {
  if (!registry.find('Namespace', '', object.namespace)) return fail('NotFound', `namespace ${object.namespace} not found`);
  const existing = registry.find('ResourceQuota', object.namespace, object.name);
  const quota: ResourceQuota = {
    type: 'ResourceQuota',
    id: existing?.id ?? registry.allocateId('quota-'),
    name: object.name,
    namespace: object.namespace,
    hard,
    object,
  };
  registry.put(quota);
  return ok(quota);
}

/** Creates or replaces a VirtualMachineClass declared in a namespace. */
export function putNamespaceVmClass(registry: InventoryRegistry, vmClass: Omit<VmClass, 'id' | 'type'> & { object: StoredObject }): TaskResult<VmClass> {
  if (!registry.find('Namespace', '', vmClass.object.namespace)) return fail('NotFound', `namespace ${vmClass.object.namespace} not found`);
  const existing = registry.find('VmClass', vmClass.object.namespace, vmClass.name);
  const entity: VmClass = { ...vmClass, type: 'VmClass', id: existing?.id ?? registry.allocateId('vmclass-'), namespace: vmClass.object.namespace };
  registry.put(entity);
  return ok(entity);
}

/** Removes an entity of a namespace (a quota or a class). */
export function removeEntity(registry: InventoryRegistry, id: string): TaskResult<void> {
  registry.remove(id);
  return ok(undefined);
}
