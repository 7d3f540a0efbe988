/**
 * VirtualMachineImage and ClusterVirtualMachineImage: read-only reflections of content library
 * items, named `vmi-…` from the item UUID. vm-operator creates them; a repo may declare one to
 * assert that the image exists (it is then unchanged), never to make one: an image comes from a
 * content library (or a VirtualMachinePublishRequest).
 */
import { ok } from '../../inventory/model/faults.js';
import type { LibraryItem } from '../../inventory/model/infrastructure.js';
import type { StoredObject } from '../../inventory/model/stored-object.js';
import { namespacePolicies } from '../../inventory/namespace-policy.js';
import type { InventoryReader } from '../../inventory/registry.js';
import { formatBytes } from '../../base/quantity.js';
import { KUBERNETES_RELEASES_LIBRARY } from '../../catalog/kubernetes-releases.js';
import { ALLOWED, condition, refused, type KindReconciler, type ObservedObject } from '../../plan/contract.js';
import { libraryAdmission } from './virtual-machine-admission.js';

const GROUP = 'vmoperator.vmware.com';

function imageObject(kind: string, namespace: string, item: LibraryItem, library: string): StoredObject {
  return {
    apiVersion: `${GROUP}/v1alpha3`,
    kind,
    namespace,
    name: item.imageName,
    spec: { providerRef: { apiVersion: 'imageregistry.vmware.com/v1alpha1', kind: 'ContentLibraryItem', name: item.name }, library },
  };
}

const reflections = new WeakMap<LibraryItem, Map<string, ObservedObject>>();

/** An item's image in a namespace: one instance per item (entities are immutable values) and place. */
function imageObserved(kind: string, namespace: string, item: LibraryItem, library: string): ObservedObject {
  let made = reflections.get(item);
  if (!made) reflections.set(item, (made = new Map()));
  const id = `${kind}/${namespace}/${library}`;
  let o = made.get(id);
  if (!o) made.set(id, (o = { key: `${GROUP}/${kind}/${namespace}/${item.imageName}`, group: GROUP, kind, namespace, name: item.imageName, object: imageObject(kind, namespace, item, library), entity: item }));
  return o;
}

function libraryName(inventory: InventoryReader, item: LibraryItem): string {
  return inventory.get('ContentLibrary', item.library)?.name ?? item.library;
}

function imageReconciler(kind: 'VirtualMachineImage' | 'ClusterVirtualMachineImage'): KindReconciler {
  const namespaced = kind === 'VirtualMachineImage';
  return {
    group: GROUP,
    kind,
    *observe(inventory) {
      const items = inventory.list('LibraryItem');
      // Namespaced images: the items of the libraries each namespace may use; cluster images: all.
      const scopes = namespaced ? inventory.list('Namespace').map((ns) => ns.name) : [''];
      const policies = namespaced ? namespacePolicies(inventory) : undefined;
      for (const namespace of scopes) {
        const allowed = policies?.get(namespace)?.contentLibraries;
        for (const item of items) {
          const library = libraryName(inventory, item);
          // Node images of Kubernetes releases are the guest clusters', not VM Service images.
          if (library === KUBERNETES_RELEASES_LIBRARY || (allowed && !allowed.includes(library))) continue;
          yield imageObserved(kind, namespace, item, library);
        }
      }
    },
    seed: () => {},
    // The declaration asserts the image; its content is the library's.
    compare: () => [],
    // Not observed yet: fine when a library item backs it and its namespace (new in this plan) may use it.
    admit(desired, _live, _fields, ctx) {
      const item = ctx.inventory.list('LibraryItem').find((i) => i.imageName === desired.name);
      if (!item) {
        return refused(
          'ImageNotFound',
          `no content library item backs ${kind} ${desired.name}${namespaced ? ` in namespace ${desired.namespace}` : ''}: images come from content libraries (or a VirtualMachinePublishRequest)`,
        );
      }
      if (!namespaced) return ALLOWED;
      if (!ctx.ledger.hasNamespace(desired.namespace)) return refused('NamespaceNotFound', `namespace ${desired.namespace} not found`);
      return libraryAdmission(desired.namespace, libraryName(ctx.inventory, item), ctx) ?? ALLOWED;
    },
    admitDelete: () => ALLOWED,
    apply: () => ok(undefined),
    status(_desired, live, inventory, problem) {
      if (!live) return { conditions: [condition('Ready', 'False', problem?.reason ?? 'NotFound', problem?.message ?? '')] };
      const item = live.entity as LibraryItem;
      return {
        conditions: [condition('Ready', 'True', 'True', `item ${item.name} of content library ${libraryName(inventory, item)}`)],
        fields: {
          name: item.name,
          providerRef: { kind: 'ContentLibraryItem', name: item.name },
          type: 'OVF',
          osInfo: { type: item.osType },
          disks: [{ capacity: formatBytes(item.diskCapacityBytes) }],
          contentLibraryRef: { name: libraryName(inventory, item) },
        },
      };
    },
  };
}

export const virtualMachineImageReconciler = imageReconciler('VirtualMachineImage');
export const clusterVirtualMachineImageReconciler = imageReconciler('ClusterVirtualMachineImage');
