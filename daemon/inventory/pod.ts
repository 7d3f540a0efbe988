/**
 * vSphere Pods: each pod is a pod VM placed on a host, sized from its containers' limits with
 * their requests as reservations. It is created Pending and runs once it has started, a simulated
 * few hundred milliseconds later (a task).
 */
import type { InventoryRegistry } from './registry.js';
import type { Pod } from './model/workloads.js';
import type { StoredObject } from './model/stored-object.js';
import { fail, ok, type TaskResult } from './model/faults.js';
import { cpuReservationMhz, haAdmission, hostRejection, type PlacementRequest } from '../capacity/placement.js';
import { leaseFrom } from './network.js';
import { cancelTasks, scheduleTask, type TaskCompletion } from './tasks.js';
import { hostUsages } from './virtual-machine.js';
import { simulatorSettings } from './settings.js';
import { detachDisks } from './disk.js';

/** A pod's size as its pod VM gets it. */
export interface PodSize {
  readonly cpus: number;
  readonly cpuLimitMillis: number;
  readonly memoryBytes: number;
  readonly cpuReservationMillis: number;
  readonly memoryReservationBytes: number;
}

export const POD_STARTED = 'PodStarted';

/** What a pod asks of a host. */
export function podRequest(key: string, size: PodSize, allowedHosts?: ReadonlySet<string>): PlacementRequest {
  return { key, workload: 'pod', ...size, poweredOn: true, ...(allowedHosts ? { allowedHosts } : {}) };
}

/** Creates a pod VM on a chosen host (checked again here, as vSphere checks at power-on) and schedules its start. */
export function createPod(registry: InventoryRegistry, object: StoredObject, size: PodSize, hostId: string, now: number): TaskResult<Pod> {
  if (registry.find('Pod', object.namespace, object.name)) return fail('AlreadyExists', `Pod ${object.namespace}/${object.name} already exists`);
  const host = registry.get('Host', hostId);
  if (!host) return fail('NotFound', `host ${hostId} not found`);
  const req = podRequest(`${object.namespace}/${object.name}`, size);
  const why = hostRejection({ host, ...registry.hostLoad(host.id) }, req) ?? haAdmission(hostUsages(registry), req, simulatorSettings(registry).hostFailuresToTolerate);
  if (why) return fail(host.state === 'connected' ? 'InsufficientResources' : 'NoAvailableHosts', why);
  const ip = leaseFrom(registry, 'workload');
  if (!ip.ok) return ip;
  const pod: Pod = {
    type: 'Pod',
    id: registry.allocateId('vm-'),
    name: object.name,
    namespace: object.namespace,
    object,
    host: host.id,
    phase: 'Pending',
    ...size,
    cpuReservationMhz: cpuReservationMhz(size.cpuReservationMillis, host.cpuMhzPerCore),
    ip: ip.value,
  };
  registry.put(pod);
  scheduleTask(registry, POD_STARTED, pod.id, now + simulatorSettings(registry).delays.podStartMs);
  return ok(pod);
}

/** Records new labels, annotations or container images on a pod (what Kubernetes lets change). */
export function recordPodObject(registry: InventoryRegistry, pod: Pod, object: StoredObject): Pod {
  const updated = { ...pod, object };
  registry.put(updated);
  return updated;
}

/** Deletes a pod VM and anything it had in flight; its disks are detached. */
export function deletePod(registry: InventoryRegistry, pod: Pod): TaskResult<void> {
  cancelTasks(registry, pod.id);
  detachDisks(registry, pod.namespace, pod.id);
  registry.remove(pod.id);
  return ok(undefined);
}

/** The pod VM has booted its containers: Pending → Running. */
export const completePodStart: TaskCompletion = (registry, task, now) => {
  const pod = registry.get('Pod', task.target);
  if (!pod) return ok({ events: [] });
  registry.put({ ...pod, phase: 'Running', startedAt: now });
  return ok({ events: [] });
};
