/**
 * Publishing a VM as a content library item (VirtualMachinePublishRequest): an OVF export that
 * takes a while (a task), then an item whose VirtualMachineImage name derives from its new UUID.
 */
import { vmiName } from './content-library.js';
import { nameUuid } from '../base/ids.js';
import { ok, type TaskResult } from './model/faults.js';
import type { KubeObject } from './model/workloads.js';
import type { InventoryRegistry } from './registry.js';
import { simulatorSettings } from './settings.js';
import { scheduleTask, type TaskCompletion } from './tasks.js';

export const PUBLISH_VM = 'PublishVirtualMachine';

export interface PublishTarget {
  readonly vmName: string;
  readonly library: string;
  readonly itemName: string;
  readonly description?: string;
}

/** Starts the export once: a request already published (or publishing) is left alone. */
export function startPublish(registry: InventoryRegistry, request: KubeObject, target: PublishTarget, now: number): TaskResult<void> {
  if (request.status?.['completionTime'] || request.status?.['startTime']) return ok(undefined);
  registry.put({ ...request, status: { ...request.status, startTime: new Date(now).toISOString(), target } });
  scheduleTask(registry, PUBLISH_VM, request.id, now + simulatorSettings(registry).delays.publishMs);
  return ok(undefined);
}

/** The export finished: the library gets the item, the request its result. */
export const completePublish: TaskCompletion = (registry, task, now) => {
  const request = registry.get('KubeObject', task.target);
  if (!request) return ok({ events: [] });
  const target = request.status?.['target'] as PublishTarget;
  const object = `VirtualMachinePublishRequest/${request.namespace}/${request.object.name}`;
  const vm = registry.find('VirtualMachine', request.namespace, target.vmName);
  const library = registry.list('ContentLibrary').find((l) => l.name === target.library);
  const failed = (reason: string, message: string) => {
    registry.put({ ...request, status: { ...request.status, ready: false, completionTime: new Date(now).toISOString(), conditions: [{ type: 'Complete', status: 'False', reason, message }] } });
    return ok({ events: [{ type: 'Warning' as const, reason, object, message }] });
  };
  if (!vm) return failed('SourceNotFound', `virtualmachines.vmoperator.vmware.com "${target.vmName}" not found`);
  if (!library) return failed('TargetNotFound', `content library ${target.library} not found`);
  if (registry.list('LibraryItem').some((i) => i.library === library.id && i.name === target.itemName)) return failed('ItemExists', `an item named ${target.itemName} already exists in content library ${library.name}`);
  const uuid = nameUuid(`published/${request.namespace}/${request.object.name}/${now}`);
  const source = registry.list('LibraryItem').find((i) => i.imageName === vm.imageName);
  registry.put({ type: 'LibraryItem', id: uuid, name: target.itemName, library: library.id, uuid, imageName: vmiName(uuid), osType: source?.osType ?? 'otherGuest64', diskCapacityBytes: vm.diskBytes });
  registry.put({
    ...request,
    status: {
      ...request.status,
      ready: true,
      imageName: vmiName(uuid),
      completionTime: new Date(now).toISOString(),
      conditions: [{ type: 'Complete', status: 'True', reason: 'Published', message: `item ${target.itemName} in content library ${library.name}` }],
    },
  });
  return ok({ events: [{ type: 'Normal', reason: 'Published', object, message: `VM ${vm.name} published as ${target.itemName} (${vmiName(uuid)}) in content library ${library.name}` }] });
};
