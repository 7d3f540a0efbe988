/** Kubernetes-only objects of the Supervisor: stored as they were written, found by kind and name. */
import type { KubeObject } from './model/workloads.js';
import type { StoredObject } from './model/stored-object.js';
import type { InventoryReader, InventoryRegistry } from './registry.js';
import { fail, ok, type TaskResult } from './model/faults.js';

/** The registry name of a Kubernetes-only object: `Kind/name`. */
export function kubeObjectName(kind: string, name: string): string {
  return `${kind}/${name}`;
}

export function findKubeObject(inventory: InventoryReader, kind: string, namespace: string, name: string): KubeObject | undefined {
  return inventory.find('KubeObject', namespace, kubeObjectName(kind, name));
}

/** Objects of one kind in a namespace (or every namespace when `namespace` is undefined). */
export function kubeObjects(inventory: InventoryReader, kind: string, namespace?: string): KubeObject[] {
  const all = namespace === undefined ? inventory.list('KubeObject') : inventory.inNamespace('KubeObject', namespace);
  return all.filter((o) => o.object.kind === kind);
}

/** Creates or replaces a Kubernetes-only object; its namespace must exist. */
export function putKubeObject(registry: InventoryRegistry, object: StoredObject): TaskResult<KubeObject> {
  if (object.namespace && !registry.find('Namespace', '', object.namespace)) return fail('NotFound', `namespace ${object.namespace} not found`);
  const existing = findKubeObject(registry, object.kind, object.namespace, object.name);
  const entity: KubeObject = {
    type: 'KubeObject',
    id: existing?.id ?? `${object.kind.toLowerCase()}-${object.namespace}-${object.name}`,
    name: kubeObjectName(object.kind, object.name),
    namespace: object.namespace,
    object,
    // Status is the system's: a new spec keeps what has happened so far.
    ...(existing?.status ? { status: existing.status } : {}),
  };
  registry.put(entity);
  return ok(entity);
}

export function removeKubeObject(registry: InventoryRegistry, kind: string, namespace: string, name: string): TaskResult<void> {
  const existing = findKubeObject(registry, kind, namespace, name);
  if (existing) registry.remove(existing.id);
  return ok(undefined);
}
