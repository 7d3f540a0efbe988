/** Topology → a fresh inventory: the vCenter objects that exist before any manifest is applied. */
import { InventoryRegistry } from './registry.js';
import { vmiName } from './content-library.js';
import { ipAt } from './network.js';
import { nameUuid } from '../base/ids.js';
import type { Topology } from './topology.js';
import { KUBERNETES_RELEASES, KUBERNETES_RELEASES_LIBRARY, nodeImageItem } from '../catalog/kubernetes-releases.js';

/** The id of the one SimulatorSettings entity. */
export const SETTINGS_ID = 'simulator-settings';

/** Builds the inventory a topology describes, with deterministic ids. */
export function buildInventory(topology: Topology): InventoryRegistry {
  const registry = new InventoryRegistry();
  registry.transaction(() => {
    const dc = registry.allocateId('datacenter-');
    registry.put({ type: 'Datacenter', id: dc, name: topology.datacenter });
    const cluster = registry.allocateId('domain-c');
    registry.put({ type: 'Cluster', id: cluster, name: topology.cluster, datacenter: dc });
    for (const h of topology.hosts) {
      registry.put({
        type: 'Host',
        id: registry.allocateId('host-'),
        name: h.name,
        cluster,
        cpuCores: h.cpuCores,
        cpuMhzPerCore: h.cpuMhzPerCore,
        memoryBytes: h.memoryBytes,
        maxVms: h.maxVms,
        maxPods: h.maxPods,
        state: 'connected',
      });
    }
    const hostNames = new Set(topology.hosts.map((h) => h.name));
    for (const g of topology.hostGroups) {
      const unknown = g.hosts.filter((h) => !hostNames.has(h));
      if (unknown.length) throw new Error(`topology: host group ${g.name} names unknown hosts ${unknown.join(', ')}`);
      registry.put({ type: 'HostGroup', id: `hostgroup-${g.name}`, name: g.name, cluster, hosts: g.hosts });
    }
    const datastoreIds = new Map<string, string>();
    for (const d of topology.datastores) {
      const id = registry.allocateId('datastore-');
      datastoreIds.set(d.name, id);
      registry.put({ type: 'Datastore', id, name: d.name, kind: d.kind, capacityBytes: d.capacityBytes });
    }
    for (const p of topology.storagePolicies) {
      const datastores = p.datastores.map((name) => {
        const id = datastoreIds.get(name);
        if (!id) throw new Error(`topology: storage policy ${p.name} names unknown datastore ${name}`);
        return id;
      });
      registry.put({ type: 'StoragePolicy', id: nameUuid(`storage-policy/${p.name}`), name: p.name, datastores });
    }
    for (const n of topology.networks) {
      registry.put({ type: 'Network', id: registry.allocateId('network-'), name: n.name, purpose: 'workload', cidr: n.cidr, gateway: ipAt(n.cidr, 1), nextOffset: 2 });
    }
    registry.put({ type: 'Network', id: registry.allocateId('network-'), name: 'service-cidr', purpose: 'services', cidr: topology.serviceCidr, gateway: ipAt(topology.serviceCidr, 1), nextOffset: 11 }); // .1 and .10 are Kubernetes' API and DNS services
    registry.put({ type: 'Network', id: registry.allocateId('network-'), name: 'load-balancer', purpose: 'load-balancer', cidr: topology.loadBalancerCidr, gateway: ipAt(topology.loadBalancerCidr, 1), nextOffset: 2 });
    const releaseLibrary: Topology['contentLibraries'][number] = { name: KUBERNETES_RELEASES_LIBRARY, items: KUBERNETES_RELEASES.map(nodeImageItem) };
    for (const lib of [...topology.contentLibraries, releaseLibrary]) {
      const libraryId = nameUuid(`content-library/${lib.name}`);
      registry.put({ type: 'ContentLibrary', id: libraryId, name: lib.name });
      for (const item of lib.items) {
        registry.put({
          type: 'LibraryItem',
          id: item.uuid,
          name: item.name,
          library: libraryId,
          uuid: item.uuid,
          imageName: item.imageName ?? vmiName(item.uuid),
          osType: item.osType,
          diskCapacityBytes: item.diskCapacityBytes,
        });
      }
    }
    for (const c of topology.vmClasses) {
      registry.put({ type: 'VmClass', id: `vmclass-${c.name}`, ...c });
    }
    const storageLimit = topology.namespaceDefaults.storageLimitBytes;
    registry.put({ type: 'SimulatorSettings', id: SETTINGS_ID, name: 'settings', ...topology.simulator, ...(storageLimit === undefined ? {} : { defaultNamespaceStorageBytes: storageLimit }) });
  });
  return registry;
}
