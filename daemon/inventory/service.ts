/**
 * Services: a cluster IP from the service range at once, and for a LoadBalancer an external IP the
 * load balancer assigns a little later (a task), as NSX or the Supervisor's load balancer does.
 */
import { fail, ok, type TaskResult } from './model/faults.js';
import type { ServiceEntity } from './model/workloads.js';
import type { StoredObject } from './model/stored-object.js';
import { leaseFrom, networkFor } from './network.js';
import type { InventoryRegistry } from './registry.js';
import { simulatorSettings } from './settings.js';
import { cancelTasks, scheduleTask, type TaskCompletion } from './tasks.js';

export const LOAD_BALANCER_IP_ASSIGNED = 'LoadBalancerIpAssigned';

export interface ServiceRequest {
  readonly object: StoredObject;
  /** `ClusterIP` (with `None` for headless), `LoadBalancer` or `ExternalName` (no addresses). */
  readonly type: 'ClusterIP' | 'LoadBalancer' | 'ExternalName';
  readonly headless: boolean;
  /** A load balancer address the spec asks for (`spec.loadBalancerIP`). */
  readonly requestedIP?: string;
}

/** Creates or updates a service; a new LoadBalancer gets its external IP from a scheduled task. */
export function putService(registry: InventoryRegistry, req: ServiceRequest, now: number): TaskResult<ServiceEntity> {
  const { object } = req;
  const existing = registry.find('Service', object.namespace, object.name);
  let clusterIP = existing?.clusterIP;
  if (req.type === 'ExternalName') clusterIP = undefined;
  else if (req.headless) clusterIP = 'None';
  else if (!clusterIP || clusterIP === 'None') {
    const lease = leaseFrom(registry, 'services');
    if (!lease.ok) return lease;
    clusterIP = lease.value;
  }
  const keepLb = req.type === 'LoadBalancer' && existing?.loadBalancerIP && (!req.requestedIP || req.requestedIP === existing.loadBalancerIP);
  const service: ServiceEntity = {
    type: 'Service',
    id: existing?.id ?? `service-${object.namespace}-${object.name}`,
    name: object.name,
    namespace: object.namespace,
    object,
    ...(clusterIP ? { clusterIP } : {}),
    ...(keepLb ? { loadBalancerIP: existing!.loadBalancerIP! } : {}),
  };
  registry.put(service);
  if (req.type === 'LoadBalancer' && !keepLb) {
    scheduleTask(registry, LOAD_BALANCER_IP_ASSIGNED, service.id, now + simulatorSettings(registry).delays.loadBalancerIpMs, req.requestedIP ? { requestedIP: req.requestedIP } : undefined);
  } else if (req.type !== 'LoadBalancer') {
    cancelTasks(registry, service.id);
  }
  return ok(service);
}

export function deleteService(registry: InventoryRegistry, service: ServiceEntity): TaskResult<void> {
  cancelTasks(registry, service.id);
  registry.remove(service.id);
  return ok(undefined);
}

/** The load balancer has programmed a virtual server: the service gets its external IP. */
export const completeLoadBalancerIp: TaskCompletion = (registry, task) => {
  const service = registry.get('Service', task.target);
  if (!service) return ok({ events: [] });
  const requested = task.args?.['requestedIP'] as string | undefined;
  let ip: string;
  if (requested) {
    const pool = networkFor(registry, 'load-balancer');
    const taken = registry.list('Service').some((s) => s.loadBalancerIP === requested);
    if (!pool || taken) return fail('InvalidArgument', `load balancer IP ${requested} is ${taken ? 'already assigned' : 'outside the pool'}`);
    ip = requested;
  } else {
    const lease = leaseFrom(registry, 'load-balancer');
    if (!lease.ok) return lease;
    ip = lease.value;
  }
  registry.put({ ...service, loadBalancerIP: ip });
  return ok({ events: [{ type: 'Normal', reason: 'LoadBalancerReady', object: `Service/${service.namespace}/${service.name}`, message: `external IP ${ip} assigned` }] });
};
