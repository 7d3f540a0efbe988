/**
 * Objects the Supervisor shows that pacific's inventory holds without a manifest: ESXi hosts as
 * `v1` Nodes (as the Supervisor shows its Spherelet nodes), the vCenter VM classes bound to each
 * namespace, and pacific's events as `v1` Events about the objects they name.
 */
import type { Host, VmClass } from '../inventory/model/infrastructure.js';
import { namespacePolicies } from '../inventory/namespace-policy.js';
import type { InventoryReader } from '../inventory/registry.js';
import { formatBytes } from '../base/quantity.js';
import type { StoredEvent } from '../store/types.js';
import { apiKey, type ApiObject } from './objects.js';
import type { ResourceType } from './resources.js';

type Parts = Omit<ApiObject, 'resource' | 'key'>;

/** The Kubernetes version of the Supervisor pacific models (vSphere 8.0 U3's newest Supervisor release). */
export const SUPERVISOR_KUBERNETES = { major: '1', minor: '30', gitVersion: 'v1.30.8+vmware.pacific' } as const;

/** A host as its Spherelet node: capacity, Ready from the connection state, unschedulable in maintenance. */
export function nodeObject(host: Host, inventory: InventoryReader): Parts {
  const group = inventory.list('HostGroup').find((g) => g.hosts.includes(host.name));
  const memoryKi = `${Math.floor(host.memoryBytes / 1024)}Ki`;
  const capacity = { cpu: String(host.cpuCores), memory: memoryKi, pods: String(host.maxPods) };
  const maintenance = host.state === 'maintenance';
  const ready =
    host.state === 'notResponding'
      ? { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Spherelet stopped posting node status (host not responding)' }
      : { type: 'Ready', status: 'True', reason: 'KubeletReady', message: maintenance ? 'host in maintenance mode' : 'Spherelet is posting ready status' };
  return {
    namespace: '',
    name: host.name,
    apiVersion: 'v1',
    labels: {
      'kubernetes.io/hostname': host.name,
      'kubernetes.io/os': 'CRX',
      'node-role.kubernetes.io/agent': '',
      ...(group ? { 'pacific.dev/host-group': group.name } : {}),
    },
    spec: { providerID: `vsphere://${host.id}`, ...(maintenance ? { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] } : {}) },
    status: {
      capacity,
      allocatable: capacity,
      conditions: [ready],
      addresses: [{ type: 'Hostname', address: host.name }],
      nodeInfo: { kubeletVersion: `${SUPERVISOR_KUBERNETES.gitVersion}-sph`, osImage: 'VMware ESXi 8.0.3', operatingSystem: 'ESXi', architecture: 'amd64', machineID: host.id },
    },
  };
}

/** A vCenter class as the VirtualMachineClass object of a namespace it is bound to. */
function classObject(c: VmClass, namespace: string): Parts {
  return {
    namespace,
    name: c.name,
    apiVersion: 'vmoperator.vmware.com/v1alpha3',
    spec: {
      hardware: { cpus: c.cpus, memory: formatBytes(c.memoryBytes) },
      ...(c.cpuReservationMillis || c.memoryReservationBytes
        ? { policies: { resources: { requests: { cpu: `${c.cpuReservationMillis}m`, memory: formatBytes(c.memoryReservationBytes) } } } }
        : {}),
    },
    status: { ready: true, capabilities: [] },
  };
}

/** The vCenter classes each namespace may use (its policy's `vmClasses`, or all), unless it declares its own of that name. */
export function* boundVmClasses(inventory: InventoryReader): Generator<{ namespace: string; name: string; object: () => Parts; deps: readonly unknown[] }> {
  const vcenter = inventory.list('VmClass').filter((c) => !c.namespace);
  // One pass over the policies rather than a namespace's objects each (hundreds of namespaces).
  const policies = namespacePolicies(inventory);
  for (const ns of inventory.list('Namespace')) {
    const policy = policies.get(ns.name);
    const allowed = policy?.vmClasses;
    for (const c of vcenter) {
      if (allowed && !allowed.includes(c.name)) continue;
      yield { namespace: ns.name, name: c.name, object: () => classObject(c, ns.name), deps: [c, policy] };
    }
  }
}

/** A pacific event about an object (`Kind/namespace/name`) as a `v1` Event; events about the repo are not objects'. */
export function eventObject(e: StoredEvent, resourceOf: (kind: string) => ResourceType | undefined): Parts | undefined {
  const parts = e.object.split('/');
  const [kind, namespace, name] = parts.length === 2 ? [parts[0], '', parts[1]] : parts.length === 3 ? parts : [];
  if (!kind || namespace === undefined || !name) return undefined;
  const r = resourceOf(kind);
  if (!r) return undefined;
  const eventNamespace = r.namespaced ? namespace : 'default';
  return {
    namespace: eventNamespace,
    name: `${name}.${e.seq!.toString(16).padStart(16, '0')}`,
    apiVersion: 'v1',
    created: e.time,
    extra: {
      involvedObject: { apiVersion: r.group ? `${r.group}/${r.versions[0]}` : r.versions[0], kind, ...(r.namespaced ? { namespace } : {}), name },
      reason: e.reason,
      message: e.message,
      type: e.type,
      count: 1,
      firstTimestamp: e.time,
      lastTimestamp: e.time,
      source: { component: 'pacific' },
      reportingComponent: 'pacific',
      reportingInstance: 'pacific',
    },
    involvedKey: apiKey(r.group, kind, r.namespaced ? namespace : '', name),
  };
}
