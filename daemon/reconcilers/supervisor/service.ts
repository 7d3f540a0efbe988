/**
 * Service → a cluster IP, and for a LoadBalancer an external IP assigned by the load balancer a
 * little later. Endpoints are the running pods its selector matches. The Supervisor has no
 * NodePorts: a NodePort service is served as ClusterIP, with a warning.
 */
import { deleteService, putService, type ServiceRequest } from '../../inventory/service.js';
import { networkFor } from '../../inventory/network.js';
import { ok } from '../../inventory/model/faults.js';
import type { InventoryReader } from '../../inventory/registry.js';
import type { ServiceEntity } from '../../inventory/model/workloads.js';
import type { StoredObject } from '../../inventory/model/stored-object.js';
import { diffValues } from '../../plan/diff-fields.js';
import { ALLOWED, comparableObject, condition, observed, refused, storedObject } from '../../plan/contract.js';
import { objectCountAdmission } from '../shared/namespace-rules.js';
import { objectKey, type ManifestObject } from '../../manifests/types.js';
import type { Admission, Condition, KindReconciler, Problem } from '../../plan/contract.js';
import { liveSpecOf, specOf } from '../../manifests/typed-spec.js';

function inCidr(ip: string, cidr: string): boolean {
  const toInt = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toInt(ip) / size) === Math.floor(toInt(base!) / size);
}

/**
 * A VirtualMachineService owns the Service of its name (the Supervisor creates one for it): a
 * Service and a VirtualMachineService of the same name in a namespace cannot both exist.
 */
export function serviceNameTaken(desired: ManifestObject, all: ReadonlyMap<string, ManifestObject>, inventory: InventoryReader): Admission | undefined {
  const other = desired.kind === 'Service' ? { group: 'vmoperator.vmware.com', kind: 'VirtualMachineService' } : { group: '', kind: 'Service' };
  const live = inventory.find('Service', desired.namespace, desired.name);
  if (all.has(objectKey(other.group, other.kind, desired.namespace, desired.name)) || (live && live.object.kind === other.kind)) {
    return refused('Invalid', `a ${other.kind} named ${desired.name} already exists in namespace ${desired.namespace}: a VirtualMachineService owns the Service of its name`);
  }
  return undefined;
}

/** What the simulator is asked for: NodePort becomes ClusterIP (the Supervisor has no node ports). */
function serviceRequest(object: StoredObject): ServiceRequest {
  const spec = liveSpecOf(object, 'Service') ?? {};
  const type = spec.type === 'LoadBalancer' || spec.type === 'ExternalName' ? spec.type : 'ClusterIP';
  return { object, type, headless: spec.clusterIP === 'None', ...(spec.loadBalancerIP ? { requestedIP: spec.loadBalancerIP } : {}) };
}

/** Running pods whose labels the selector matches: the service's endpoints. */
export function endpoints(inventory: InventoryReader, namespace: string, selector: Record<string, string> | undefined): string[] {
  if (!selector || !Object.keys(selector).length) return [];
  return inventory
    .inNamespace('Pod', namespace)
    .filter((p) => p.phase === 'Running' && Object.entries(selector).every(([k, v]) => p.object.labels?.[k] === v))
    .map((p) => p.ip!)
    .sort();
}

/**
 * ServiceReady as both Service kinds report it: pending (or the problem) until the service exists,
 * then, for a LoadBalancer, until the load balancer has assigned its external IP.
 */
export function serviceReady(type: string | undefined, service: ServiceEntity | undefined, problem: Problem | undefined): Condition {
  if (!service) return condition('ServiceReady', 'False', problem?.reason ?? 'Pending', problem?.message ?? '');
  if (type === 'LoadBalancer' && !service.loadBalancerIP) return condition('ServiceReady', 'False', 'LoadBalancerPending', 'waiting for the load balancer to assign an external IP');
  return condition('ServiceReady', 'True', 'Ready', service.loadBalancerIP ? `external IP ${service.loadBalancerIP}` : '');
}

export const serviceReconciler: KindReconciler = {
  group: '',
  kind: 'Service',

  observe: (inventory) => inventory.list('Service').filter((s) => s.object.kind === 'Service').map((s) => observed('', s)),

  seed: (live, ledger) => ledger.addMember(live.namespace, live.key),

  compare: (desired, live, ctx) => diffValues(live && comparableObject(live.object, ctx), comparableObject(storedObject(desired), ctx)),

  admit(desired, live, _fields, { ledger, inventory, desired: all }) {
    if (!ledger.hasNamespace(desired.namespace)) return refused('NamespaceNotFound', `namespace ${desired.namespace} not found`);
    const taken = serviceNameTaken(desired, all, inventory);
    if (taken) return taken;
    const spec = specOf(desired, 'Service') ?? {};
    if (spec.type === 'LoadBalancer' && spec.clusterIP === 'None') return refused('Invalid', 'spec.clusterIP: Invalid value: "None": may not be set to \'None\' for LoadBalancer services');
    const pool = networkFor(inventory, 'load-balancer');
    if (spec.loadBalancerIP && pool && !inCidr(spec.loadBalancerIP, pool.cidr)) {
      return refused('Invalid', `spec.loadBalancerIP: ${spec.loadBalancerIP} is outside the load balancer's address pool ${pool.cidr}`);
    }
    const overCount = live ? undefined : objectCountAdmission(desired, { ledger });
    if (overCount) return overCount;
    if (!live) ledger.addMember(desired.namespace, desired.key);
    return spec.type === 'NodePort' ? { ...ALLOWED, warnings: ['spec.type NodePort is not supported by the Supervisor: the service is served as ClusterIP, without node ports'] } : ALLOWED;
  },

  admitDelete(live, { ledger }) {
    ledger.removeMember(live.namespace, live.key);
    return ALLOWED;
  },

  apply(change, registry, ctx) {
    const service = registry.find('Service', change.namespace, change.name);
    if (change.action === 'delete') return service ? deleteService(registry, service) : ok(undefined);
    return putService(registry, serviceRequest(storedObject(change.desired!)), ctx.now);
  },

  status(desired, live, inventory, problem) {
    const spec = specOf(desired, 'Service') ?? {};
    if (!live) return { conditions: [serviceReady(spec.type, undefined, problem)] };
    const service = live.entity as ServiceEntity;
    return {
      conditions: [serviceReady(spec.type, service, problem)],
      fields: {
        clusterIP: service.clusterIP ?? null,
        ...(spec.type === 'LoadBalancer' ? { loadBalancer: { ingress: service.loadBalancerIP ? [{ ip: service.loadBalancerIP }] : [] } } : {}),
        endpoints: endpoints(inventory, desired.namespace, spec.selector),
      },
    };
  },
};
