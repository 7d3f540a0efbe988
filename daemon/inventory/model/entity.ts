/** Every entity the registry holds, and the simulator's own: its settings, tasks in flight and bookkeeping. */
import type { Cluster, ContentLibrary, Datacenter, Datastore, EntityBase, Host, HostGroup, LibraryItem, Network, StoragePolicy, VmClass } from './infrastructure.js';
import type { Disk, KubeObject, Namespace, Pod, ResourceQuota, ServiceEntity, Snapshot, VirtualMachine } from './workloads.js';

/** Simulated durations of asynchronous operations, in milliseconds. */
export interface SimulatorDelays {
  /** A vSphere Pod goes from Pending to Running ("a few hundred milliseconds"). */
  readonly podStartMs: number;
  /** The load balancer hands a LoadBalancer service its external IP. */
  readonly loadBalancerIpMs: number;
  /** One vMotion of a workload to another host. */
  readonly vmotionMs: number;
  /** A VM or pod restarted by vSphere HA boots on its new host. */
  readonly haRestartMs: number;
  /** A VM is exported into a content library item (VirtualMachinePublishRequest). */
  readonly publishMs: number;
  /** A guest cluster node VM boots and joins its cluster (a real kubeadm join takes minutes). */
  readonly nodeJoinMs: number;
}

/** How the simulator behaves: delays, vSphere HA admission control, the placement seed. */
export interface SimulatorSettings extends EntityBase {
  readonly type: 'SimulatorSettings';
  readonly delays: SimulatorDelays;
  /** vSphere HA admission control: capacity of this many hosts is kept free for failover. */
  readonly hostFailuresToTolerate: number;
  /** Seed of placement tie-breaks and generated names. */
  readonly seed: string;
  /** The VI admin's storage limit (`requests.storage`) for a namespace whose quotas set none (topology `namespaceDefaults`). */
  readonly defaultNamespaceStorageBytes?: number;
}

/** An operation in flight: it completes when the simulator's clock passes `dueAt`. */
export interface SimTask extends EntityBase {
  readonly type: 'Task';
  readonly kind: string;
  /** The entity the task acts on. */
  readonly target: string;
  readonly dueAt: number;
  readonly args?: Readonly<Record<string, unknown>>;
}

/** Registry bookkeeping persisted with the entities: the next vCenter id counter. */
export interface RegistryMeta extends EntityBase {
  readonly type: 'Meta';
  readonly nextId: number;
}

export type Entity =
  | Datacenter
  | Cluster
  | Host
  | HostGroup
  | Datastore
  | StoragePolicy
  | Network
  | ContentLibrary
  | LibraryItem
  | VmClass
  | Namespace
  | ResourceQuota
  | VirtualMachine
  | Pod
  | KubeObject
  | ServiceEntity
  | Disk
  | Snapshot
  | SimulatorSettings
  | SimTask
  | RegistryMeta;

export type EntityType = Entity['type'];
export type EntityOf<T extends EntityType> = Extract<Entity, { type: T }>;
