/**
 * The shape of the simulated vCenter: what exists before any manifest is applied. The default is
 * a Supervisor cluster of four ESXi hosts on vSAN; `--topology <file>` replaces it with a YAML
 * document of the same shape, validated before use.
 */
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { Ajv } from 'ajv';
import { obj, str, int, list, quantity, enumOf, type Schema } from '../manifests/definitions/dsl/builders.js';
import { QUANTITY } from '../manifests/schema-registry.js';
import { parseQuantity, GiB } from '../base/quantity.js';
import { DEFAULT_VM_CLASSES, type VmClassSize } from '../catalog/vm-classes.js';
import type { SimulatorDelays } from './model/entity.js';

export interface HostSpec {
  readonly name: string;
  readonly cpuCores: number;
  readonly cpuMhzPerCore: number;
  readonly memoryBytes: number;
  readonly maxVms: number;
  readonly maxPods: number;
}

export interface Topology {
  readonly datacenter: string;
  readonly cluster: string;
  readonly hosts: readonly HostSpec[];
  /** DRS host groups (named sets of hosts). */
  readonly hostGroups: readonly { name: string; hosts: readonly string[] }[];
  readonly datastores: readonly { name: string; kind: 'vsan' | 'vmfs' | 'nfs'; capacityBytes: number }[];
  readonly storagePolicies: readonly { name: string; datastores: readonly string[] }[];
  readonly networks: readonly { name: string; cidr: string }[];
  /** Service cluster IPs and load balancer addresses (NSX / the Supervisor's load balancer). */
  readonly serviceCidr: string;
  readonly loadBalancerCidr: string;
  readonly contentLibraries: readonly {
    name: string;
    /** `imageName` pins an item's VirtualMachineImage name (an inventory imported from a real vCenter); else it derives from the UUID. */
    items: readonly { name: string; uuid: string; osType: string; diskCapacityBytes: number; imageName?: string }[];
  }[];
  readonly vmClasses: readonly VmClassSize[];
  readonly simulator: { readonly delays: SimulatorDelays; readonly hostFailuresToTolerate: number; readonly seed: string };
  /** What the VI admin gives every namespace that does not say otherwise: a storage limit, so no namespace without a storage quota can fill a shared datastore. */
  readonly namespaceDefaults: { readonly storageLimitBytes?: number };
}

/** ESXi 8 configuration maximum: 1024 registered VMs per host (configmax.broadcom.com). */
export const MAX_VMS_PER_HOST = 1024;

/** vSphere with Tanzu: at most 1000 vSphere Pods per ESXi host (configuration maximums). */
export const MAX_PODS_PER_HOST = 1000;

/**
 * Simulated durations. Pod start is the "a few hundred milliseconds"; the others are
 * pacific's assumptions, short enough for demos and tests (real vMotions take seconds to minutes).
 */
export const DEFAULT_DELAYS: SimulatorDelays = { podStartMs: 300, loadBalancerIpMs: 1000, vmotionMs: 2000, haRestartMs: 1500, publishMs: 5000, nodeJoinMs: 3000 };

/**
 * The embedded default. Host size is the reference host (48 cores at 2.6 GHz, 512 GiB);
 * the vSAN capacity (16 TiB usable) and the image disk sizes are pacific's assumptions, chosen to
 * match the published OVAs (ubuntu cloud image 10 GiB, Photon OS 5 16 GiB).
 */
export const DEFAULT_TOPOLOGY: Topology = {
  datacenter: 'pacific-dc',
  cluster: 'supervisor-cluster',
  hosts: [1, 2, 3, 4].map((n) => ({
    name: `esx-0${n}.pacific.local`,
    cpuCores: 48,
    cpuMhzPerCore: 2600,
    memoryBytes: 512 * GiB,
    maxVms: MAX_VMS_PER_HOST,
    maxPods: MAX_PODS_PER_HOST,
  })),
  hostGroups: [
    { name: 'rack-a', hosts: ['esx-01.pacific.local', 'esx-02.pacific.local'] },
    { name: 'rack-b', hosts: ['esx-03.pacific.local', 'esx-04.pacific.local'] },
  ],
  datastores: [{ name: 'vsanDatastore', kind: 'vsan', capacityBytes: 16 * 1024 * GiB }],
  storagePolicies: [{ name: 'vsan-default-storage-policy', datastores: ['vsanDatastore'] }],
  networks: [{ name: 'workload-primary', cidr: '10.244.0.0/16' }],
  // Kubernetes' default service range; a /24 of ingress addresses as a Supervisor load balancer is given.
  serviceCidr: '10.96.0.0/12',
  loadBalancerCidr: '192.168.100.0/24',
  contentLibraries: [
    {
      name: 'pacific-images',
      items: [
        { name: 'ubuntu-22.04-cloudimg', uuid: '8f2d6c1e-3b4a-4e5f-9a7b-2c1d0e9f8a7b', osType: 'ubuntu64Guest', diskCapacityBytes: 10 * GiB },
        { name: 'ubuntu-24.04-cloudimg', uuid: '5e9a3d7c-1f2b-4c6d-8e0a-4b3c2d1e0f9a', osType: 'ubuntu64Guest', diskCapacityBytes: 10 * GiB },
        { name: 'photon-5', uuid: 'c7d8e9f0-a1b2-4c3d-8e4f-5a6b7c8d9e0f', osType: 'vmwarePhoton64Guest', diskCapacityBytes: 16 * GiB },
      ],
    },
  ],
  vmClasses: DEFAULT_VM_CLASSES,
  // A Supervisor cluster requires vSphere HA; admission control tolerates one host failure by default.
  simulator: { delays: DEFAULT_DELAYS, hostFailuresToTolerate: 1, seed: 'pacific' },
  // vCenter sets no storage limit on a new namespace either; the admin opts in (README, Quota).
  namespaceDefaults: {},
};

const CIDR = '^\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+$';

const hostGroup = obj(
  {
    name: str(),
    count: int({ minimum: 1, maximum: 512 }),
    cpuCores: int({ minimum: 1 }),
    cpuMhz: int({ minimum: 1 }),
    memory: quantity(),
    maxVms: int({ minimum: 1 }),
    maxPods: int({ minimum: 0 }),
  },
  { required: ['cpuCores', 'cpuMhz', 'memory'] },
);

/** The topology file's schema (not a manifest kind: it never comes from the GitOps repo). */
export const topologyFileSchema: Schema = obj(
  {
    apiVersion: { type: 'string', const: 'pacific.dev/v1alpha1' },
    kind: { type: 'string', const: 'Topology' },
    datacenter: str(),
    cluster: obj(
      { name: str(), hosts: list(hostGroup, { minItems: 1 }), hostGroups: list(obj({ name: str(), hosts: list(str(), { minItems: 1 }) }, { required: ['name', 'hosts'] })) },
      { required: ['hosts'] },
    ),
    datastores: list(obj({ name: str(), type: enumOf('vsan', 'vmfs', 'nfs'), capacity: quantity() }, { required: ['name', 'capacity'] }), { minItems: 1 }),
    storagePolicies: list(obj({ name: str(), datastores: list(str(), { minItems: 1 }) }, { required: ['name', 'datastores'] }), { minItems: 1 }),
    networks: list(obj({ name: str(), cidr: str({ pattern: CIDR }) }, { required: ['name', 'cidr'] }), { minItems: 1 }),
    serviceCidr: str({ pattern: CIDR }),
    loadBalancerCidr: str({ pattern: CIDR }),
    contentLibraries: list(
      obj(
        {
          name: str(),
          items: list(
            obj({ name: str(), uuid: str({ format: 'uuid' }), osType: str(), diskCapacity: quantity(), imageName: str({ pattern: '^c?vmi-[0-9a-z]+$' }) }, { required: ['name', 'uuid', 'diskCapacity'] }),
          ),
        },
        { required: ['name', 'items'] },
      ),
    ),
    vmClasses: list(
      obj({ name: str(), cpus: int({ minimum: 1 }), memory: quantity(), reservedCpu: quantity(), reservedMemory: quantity() }, { required: ['name', 'cpus', 'memory'] }),
    ),
    namespaceDefaults: obj({ storageLimit: quantity() }),
    simulator: obj({
      delays: obj({ podStartMs: int({ minimum: 0 }), loadBalancerIpMs: int({ minimum: 0 }), vmotionMs: int({ minimum: 0 }), haRestartMs: int({ minimum: 0 }), publishMs: int({ minimum: 0 }), nodeJoinMs: int({ minimum: 0 }) }),
      hostFailuresToTolerate: int({ minimum: 0 }),
      seed: str(),
    }),
  },
  { required: ['apiVersion', 'kind'] },
);

interface TopologyFile {
  datacenter?: string;
  cluster?: {
    name?: string;
    hosts: { name?: string; count?: number; cpuCores: number; cpuMhz: number; memory: string | number; maxVms?: number; maxPods?: number }[];
    hostGroups?: { name: string; hosts: string[] }[];
  };
  datastores?: { name: string; type?: 'vsan' | 'vmfs' | 'nfs'; capacity: string | number }[];
  storagePolicies?: { name: string; datastores: string[] }[];
  networks?: { name: string; cidr: string }[];
  serviceCidr?: string;
  loadBalancerCidr?: string;
  contentLibraries?: { name: string; items: { name: string; uuid: string; osType?: string; diskCapacity: string | number; imageName?: string }[] }[];
  vmClasses?: { name: string; cpus: number; memory: string | number; reservedCpu?: string | number; reservedMemory?: string | number }[];
  simulator?: { delays?: Partial<SimulatorDelays>; hostFailuresToTolerate?: number; seed?: string };
  namespaceDefaults?: { storageLimit?: string | number };
}

/** Parses and validates a topology document; sections it leaves out keep their defaults. */
export function parseTopology(text: string, file = 'topology.yaml'): Topology {
  const doc = yaml.load(text, { schema: yaml.CORE_SCHEMA, filename: file });
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('quantity', QUANTITY);
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  const validate = ajv.compile(topologyFileSchema);
  if (!validate(doc)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
    throw new Error(`${file}: invalid topology: ${problems.join('; ')}`);
  }
  const t = doc as TopologyFile;
  const bytes = (q: string | number) => parseQuantity(q);
  let hostNumber = 0;
  const hosts: HostSpec[] = t.cluster
    ? t.cluster.hosts.flatMap((g) =>
        Array.from({ length: g.count ?? 1 }, () => {
          hostNumber += 1;
          const name = g.name && (g.count ?? 1) === 1 ? g.name : `esx-${String(hostNumber).padStart(2, '0')}.pacific.local`;
          return { name, cpuCores: g.cpuCores, cpuMhzPerCore: g.cpuMhz, memoryBytes: bytes(g.memory), maxVms: g.maxVms ?? MAX_VMS_PER_HOST, maxPods: g.maxPods ?? MAX_PODS_PER_HOST };
        }),
      )
    : [...DEFAULT_TOPOLOGY.hosts];
  return {
    datacenter: t.datacenter ?? DEFAULT_TOPOLOGY.datacenter,
    cluster: t.cluster?.name ?? DEFAULT_TOPOLOGY.cluster,
    hosts,
    hostGroups: t.cluster ? (t.cluster.hostGroups ?? []) : DEFAULT_TOPOLOGY.hostGroups,
    datastores: t.datastores?.map((d) => ({ name: d.name, kind: d.type ?? 'vsan', capacityBytes: bytes(d.capacity) })) ?? DEFAULT_TOPOLOGY.datastores,
    storagePolicies: t.storagePolicies ?? DEFAULT_TOPOLOGY.storagePolicies,
    networks: t.networks ?? DEFAULT_TOPOLOGY.networks,
    serviceCidr: t.serviceCidr ?? DEFAULT_TOPOLOGY.serviceCidr,
    loadBalancerCidr: t.loadBalancerCidr ?? DEFAULT_TOPOLOGY.loadBalancerCidr,
    contentLibraries:
      t.contentLibraries?.map((l) => ({
        name: l.name,
        items: l.items.map((i) => ({ name: i.name, uuid: i.uuid.toLowerCase(), osType: i.osType ?? 'otherGuest64', diskCapacityBytes: bytes(i.diskCapacity), ...(i.imageName ? { imageName: i.imageName } : {}) })),
      })) ?? DEFAULT_TOPOLOGY.contentLibraries,
    vmClasses:
      t.vmClasses?.map((c) => ({
        name: c.name,
        cpus: c.cpus,
        memoryBytes: bytes(c.memory),
        cpuReservationMillis: c.reservedCpu === undefined ? 0 : Math.round(parseQuantity(c.reservedCpu) * 1000),
        memoryReservationBytes: c.reservedMemory === undefined ? 0 : bytes(c.reservedMemory),
      })) ?? DEFAULT_TOPOLOGY.vmClasses,
    simulator: {
      delays: { ...DEFAULT_DELAYS, ...t.simulator?.delays },
      hostFailuresToTolerate: t.simulator?.hostFailuresToTolerate ?? DEFAULT_TOPOLOGY.simulator.hostFailuresToTolerate,
      seed: t.simulator?.seed ?? DEFAULT_TOPOLOGY.simulator.seed,
    },
    namespaceDefaults: t.namespaceDefaults?.storageLimit === undefined ? {} : { storageLimitBytes: bytes(t.namespaceDefaults.storageLimit) },
  };
}

/** Reads a topology file (`--topology`). */
export function loadTopologyFile(path: string): Topology {
  return parseTopology(readFileSync(path, 'utf8'), path);
}
