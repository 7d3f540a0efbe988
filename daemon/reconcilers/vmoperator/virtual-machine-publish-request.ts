/**
 * VirtualMachinePublishRequest: a VM published as a new content library item, in the library the
 * request names or else the namespace's default one. The export is a task; the request's status
 * then names the new image (`vmi-…`). A request publishes once: it
 * stays declared, it is not repeated (its ttlSecondsAfterFinished is not applied to a declared
 * object).
 */
import { findKubeObject } from '../../inventory/kube-object.js';
import { namespacePolicy } from '../../inventory/namespace-policy.js';
import { writableLibraries } from '../../inventory/content-library.js';
import { removeEntity } from '../../inventory/namespace.js';
import { startPublish, type PublishTarget } from '../../inventory/publish.js';
import { ok } from '../../inventory/model/faults.js';
import type { StoredObject } from '../../inventory/model/stored-object.js';
import { objectKey, type ManifestObject } from '../../manifests/types.js';
import type { Admission, PlanContext } from '../../plan/contract.js';
import { kubeObjectReconciler } from '../shared/kube-object.js';
import { condition, refused, storedObject } from '../../plan/contract.js';
import { liveSpecOf, type SpecFields } from '../../manifests/typed-spec.js';

const GROUP = 'vmoperator.vmware.com';

/**
 * The request's target, with vm-operator's defaults: the source is the request's name, the item
 * `<vm>-image`, the library the namespace's default (`defaultLibrary`: its NamespacePolicy's
 * spec.defaultContentLibrary, where vm-operator takes the library labelled
 * imageregistry.vmware.com/default); '' when there is none.
 */
function targetOf(object: StoredObject, defaultLibrary: string | undefined): PublishTarget {
  const spec: SpecFields<'VirtualMachinePublishRequest'> = liveSpecOf(object, 'VirtualMachinePublishRequest') ?? {};
  const vmName = spec.source?.name ?? object.name;
  return {
    vmName,
    library: spec.target?.location?.name || defaultLibrary || '',
    itemName: spec.target?.item?.name ?? `${vmName}-image`,
    ...(spec.target?.item?.description ? { description: spec.target.item.description } : {}),
  };
}

function check(desired: ManifestObject, live: unknown, ctx: PlanContext): Admission | undefined {
  const target = targetOf(storedObject(desired), ctx.ledger.policy(desired.namespace)?.defaultContentLibrary);
  const vmKey = objectKey(GROUP, 'VirtualMachine', desired.namespace, target.vmName);
  if (!ctx.desired.has(vmKey) && !ctx.inventory.find('VirtualMachine', desired.namespace, target.vmName)) {
    return refused('NotFound', `spec.source: virtualmachines.vmoperator.vmware.com "${target.vmName}" not found`);
  }
  if (!target.library) {
    return refused('NotFound', `spec.target.location: namespace ${desired.namespace} has no default content library (NamespacePolicy spec.defaultContentLibrary)`);
  }
  const library = ctx.inventory.list('ContentLibrary').find((l) => l.name === target.library);
  if (!library) return refused('NotFound', `spec.target.location: content library ${target.library} not found`);
  const writable = writableLibraries(ctx.ledger.policy(desired.namespace));
  if (!writable.has(library.name)) {
    return refused(
      'NotAllowedByPolicy',
      `spec.target.location: namespace ${desired.namespace} may not publish into content library ${library.name} (NamespacePolicy spec.defaultContentLibrary and spec.writableContentLibraries: ${[...writable].join(', ') || 'none'})`,
    );
  }
  const published = findKubeObject(ctx.inventory, 'VirtualMachinePublishRequest', desired.namespace, desired.name)?.status?.['imageName'];
  if (!live && !published && ctx.inventory.list('LibraryItem').some((i) => i.library === library.id && i.name === target.itemName)) {
    return refused('Invalid', `spec.target.item.name: an item named ${target.itemName} already exists in content library ${target.library}`);
  }
  return undefined;
}

export const virtualMachinePublishRequestReconciler = kubeObjectReconciler({
  group: GROUP,
  kind: 'VirtualMachinePublishRequest',
  check,
  // A revert takes back what the publish made: the item goes with its request.
  beforeDelete(request, registry) {
    const made = request.status?.['imageName'];
    const item = made ? registry.list('LibraryItem').find((i) => i.imageName === made) : undefined;
    return item ? removeEntity(registry, item.id) : ok(undefined);
  },
  afterApply(object, _change, registry, ctx) {
    if (!object) return ok(undefined);
    const request = findKubeObject(registry, object.kind, object.namespace, object.name)!;
    return startPublish(registry, request, targetOf(object, namespacePolicy(registry, object.namespace)?.defaultContentLibrary), ctx.now);
  },
  status(_desired, live) {
    const status = live.status ?? {};
    const done = status['completionTime'];
    const conditions = (status['conditions'] as { type: string; status: 'True' | 'False'; reason: string; message: string }[] | undefined) ?? [];
    return {
      conditions: done ? conditions.map((c) => condition(c.type, c.status, c.reason, c.message)) : [condition('Complete', 'False', 'Publishing', 'the VM is being exported to the content library')],
      fields: {
        ready: status['ready'] ?? false,
        ...(status['imageName'] ? { imageName: status['imageName'] } : {}),
        ...(status['startTime'] ? { startTime: status['startTime'] } : {}),
        ...(done ? { completionTime: done } : {}),
      },
    };
  },
});
