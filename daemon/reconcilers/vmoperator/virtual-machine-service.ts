/**
 * VirtualMachineService (vm-operator) → a Service for VMs: a cluster IP, and for a LoadBalancer an
 * external IP assigned by the load balancer a little later. Endpoints are the powered-on VMs whose
 * labels its selector matches, so they follow label changes. NodePort and ExternalName are refused,
 * as vm-operator's webhook refuses them on the Supervisor.
 */
import { ok } from '../../inventory/model/faults.js';
import type { ServiceEntity } from '../../inventory/model/workloads.js';
import type { InventoryReader } from '../../inventory/registry.js';
import { deleteService, putService } from '../../inventory/service.js';
import { diffValues } from '../../plan/diff-fields.js';
import { serviceNameTaken, serviceReady } from '../supervisor/service.js';
import { ALLOWED, comparableObject, observed, refused, storedObject, type KindReconciler } from '../../plan/contract.js';
import { objectCountAdmission } from '../shared/namespace-rules.js';
import { liveSpecOf, specOf, type SpecFields } from '../../manifests/typed-spec.js';

const GROUP = 'vmoperator.vmware.com';

/** Powered-on VMs with an IP whose labels the selector matches. */
export function vmEndpoints(inventory: InventoryReader, namespace: string, selector: Record<string, string> | undefined): { ip: string; name: string }[] {
  if (!selector || !Object.keys(selector).length) return [];
  return inventory
    .inNamespace('VirtualMachine', namespace)
    .filter((vm) => vm.powerState === 'PoweredOn' && vm.ip && Object.entries(selector).every(([k, v]) => vm.object.labels?.[k] === v))
    .map((vm) => ({ ip: vm.ip!, name: vm.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export const virtualMachineServiceReconciler: KindReconciler = {
  group: GROUP,
  kind: 'VirtualMachineService',

  observe: (inventory) => inventory.list('Service').filter((s) => s.object.kind === 'VirtualMachineService').map((s) => observed(GROUP, s)),

  seed: (live, ledger) => ledger.addMember(live.namespace, live.key),

  compare: (desired, live, ctx) => diffValues(live && comparableObject(live.object, ctx), comparableObject(storedObject(desired), ctx)),

  admit(desired, live, _fields, { ledger, inventory, desired: all }) {
    if (!ledger.hasNamespace(desired.namespace)) return refused('NamespaceNotFound', `namespace ${desired.namespace} not found`);
    const spec: SpecFields<'VirtualMachineService'> = specOf(desired, 'VirtualMachineService') ?? {};
    if (spec.type !== 'ClusterIP' && spec.type !== 'LoadBalancer') {
      return refused('Invalid', `spec.type: Unsupported value: "${spec.type ?? ''}": supported values: "ClusterIP", "LoadBalancer"`);
    }
    const taken = serviceNameTaken(desired, all, inventory);
    if (taken) return taken;
    const overCount = live ? undefined : objectCountAdmission(desired, { ledger });
    if (overCount) return overCount;
    if (!live) ledger.addMember(desired.namespace, desired.key);
    return ALLOWED;
  },

  admitDelete(live, { ledger }) {
    ledger.removeMember(live.namespace, live.key);
    return ALLOWED;
  },

  apply(change, registry, ctx) {
    const service = registry.find('Service', change.namespace, change.name);
    if (change.action === 'delete') return service ? deleteService(registry, service) : ok(undefined);
    const object = storedObject(change.desired!);
    const spec: SpecFields<'VirtualMachineService'> = liveSpecOf(object, 'VirtualMachineService') ?? {};
    return putService(registry, { object, type: spec.type === 'LoadBalancer' ? 'LoadBalancer' : 'ClusterIP', headless: spec.clusterIp === 'None', ...(spec.loadBalancerIP ? { requestedIP: spec.loadBalancerIP } : {}) }, ctx.now);
  },

  status(desired, live, inventory, problem) {
    const spec: SpecFields<'VirtualMachineService'> = specOf(desired, 'VirtualMachineService') ?? {};
    if (!live) return { conditions: [serviceReady(spec.type, undefined, problem)] };
    const service = live.entity as ServiceEntity;
    return {
      conditions: [serviceReady(spec.type, service, problem)],
      fields: {
        clusterIP: service.clusterIP ?? null,
        loadBalancer: { ingress: service.loadBalancerIP ? [{ ip: service.loadBalancerIP }] : [] },
        endpoints: vmEndpoints(inventory, desired.namespace, spec.selector).map((e) => ({ ip: e.ip, targetRef: { kind: 'VirtualMachine', name: e.name } })),
        ports: spec.ports ?? [],
      },
    };
  },
};
