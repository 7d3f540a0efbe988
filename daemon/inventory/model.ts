/**
 * The simulated vSphere inventory, modelled on govmomi's simulator: managed objects with
 * vCenter-style ids (`host-12`, `vm-1001`), held by one registry. Entities are immutable values;
 * a change replaces an entity in the registry, which is what makes undo and persistence simple.
 */

export type PowerState = 'PoweredOn' | 'PoweredOff' | 'Suspended';

/** Host connection state as vSphere reports it (a failed host is `notResponding`). */
export type HostState = 'connected' | 'notResponding' | 'maintenance';

/** A Kubernetes object as the Supervisor stores it: the version the user wrote, without status. */
export interface StoredObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly spec?: Readonly<Record<string, unknown>>;
  /** `Kind/namespace/name` of the object this one was derived from (a ReplicaSet's Deployment). */
  readonly owner?: string;
  /** Top-level fields besides metadata and spec that the kind carries (ConfigMap data, Secret type). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

interface EntityBase {
  readonly id: string;
  readonly name: string;
}

export interface Datacenter extends EntityBase {
  readonly type: 'Datacenter';
}

export interface Cluster extends EntityBase {
  readonly type: 'Cluster';
  readonly datacenter: string;
}

export interface Host extends EntityBase {
  readonly type: 'Host';
  readonly cluster: string;
  readonly cpuCores: number;
  readonly cpuMhzPerCore: number;
  readonly memoryBytes: number;
  /** Configuration maximum: registered VMs per host. */
  readonly maxVms: number;
  /** vSphere Pods per host (the Supervisor's limit). */
  readonly maxPods: number;
  readonly state: HostState;
}

/** A DRS host group: named hosts a namespace's placement can be pinned to. */
export interface HostGroup extends EntityBase {
  readonly type: 'HostGroup';
  readonly cluster: string;
  /** Host names. */
  readonly hosts: readonly string[];
}

export interface Datastore extends EntityBase {
  readonly type: 'Datastore';
  readonly kind: 'vsan' | 'vmfs' | 'nfs';
  readonly capacityBytes: number;
}

export interface StoragePolicy extends EntityBase {
  readonly type: 'StoragePolicy';
  /** Datastores compatible with the policy. */
  readonly datastores: readonly string[];
}

/** What an IP pool serves: VMs and pods, Service cluster IPs, or load balancer addresses. */
export type NetworkPurpose = 'workload' | 'services' | 'load-balancer';

export interface Network extends EntityBase {
  readonly type: 'Network';
  readonly purpose: NetworkPurpose;
  readonly cidr: string;
  readonly gateway: string;
  /** Next host offset the IP pool hands out (a lease is kept for the VM's lifetime). */
  readonly nextOffset: number;
}

export interface ContentLibrary extends EntityBase {
  readonly type: 'ContentLibrary';
}

/** A content library item: an OVF template a VM is deployed from. */
export interface LibraryItem extends EntityBase {
  readonly type: 'LibraryItem';
  readonly library: string;
  /** The item UUID in vCenter. */
  readonly uuid: string;
  /** The VirtualMachineImage name vm-operator derives from the UUID (`vmi-…`). */
  readonly imageName: string;
  readonly osType: string;
  readonly diskCapacityBytes: number;
}

/**
 * A VM class: a vCenter-wide class (no namespace) or a VirtualMachineClass object declared in a
 * namespace (with `object`). Reservations are what the class guarantees (guaranteed-* reserve all).
 */
export interface VmClass extends EntityBase {
  readonly type: 'VmClass';
  readonly namespace?: string;
  readonly cpus: number;
  readonly memoryBytes: number;
  readonly cpuReservationMillis: number;
  readonly memoryReservationBytes: number;
  readonly object?: StoredObject;
}

/** A vSphere Namespace: one resource pool and one VM folder under the Supervisor cluster. */
export interface Namespace extends EntityBase {
  readonly type: 'Namespace';
  readonly resourcePool: string;
  readonly folder: string;
  readonly object: StoredObject;
}

/** A ResourceQuota of a namespace; its `hard` limits bound what the namespace may consume. */
export interface ResourceQuota extends EntityBase {
  readonly type: 'ResourceQuota';
  readonly namespace: string;
  readonly hard: Readonly<Record<string, number>>;
  readonly object: StoredObject;
}

export interface VirtualMachine extends EntityBase {
  readonly type: 'VirtualMachine';
  readonly namespace: string;
  readonly object: StoredObject;
  readonly className: string;
  /** Resolved VirtualMachineImage name (`vmi-…`). */
  readonly imageName: string;
  readonly storagePolicy: string;
  /** What the VM is configured with in vCenter (may drift from its class). */
  readonly cpus: number;
  readonly memoryBytes: number;
  /** The class's CPU reservation, and what it is in MHz on the VM's host. */
  readonly cpuReservationMillis: number;
  readonly cpuReservationMhz: number;
  readonly memoryReservationBytes: number;
  readonly diskBytes: number;
  readonly host: string;
  readonly datastore: string;
  readonly powerState: PowerState;
  readonly ip?: string;
  readonly biosUUID: string;
  readonly instanceUUID: string;
  /** The last `spec.nextRestartTime` honoured, so a restart request runs once. */
  readonly lastRestartTime?: string;
  readonly crypto?: Crypto;
  /** A vMotion in flight: the VM counts on its new host from the start; `from` is where it runs until done. */
  readonly migration?: Migration;
  readonly recovery?: Recovery;
  /** The snapshot the VM runs from (after a revert), and the last `spec.currentSnapshotName` honoured. */
  readonly currentSnapshot?: string;
  /** The VirtualMachineSetResourcePolicy whose resource pool and folder hold the VM. */
  readonly resourcePolicy?: string;
  /** Cluster module (VM anti-affinity group) the VM belongs to: `<namespace>/<policy>/<group>`. */
  readonly clusterModule?: string;
}

/** VM encryption (vSphere VM Encryption with a key provider). */
export interface Crypto {
  readonly encrypted: boolean;
  readonly keyProvider: string;
}

/**
 * vSphere HA's handling of a workload whose host failed or is being evacuated: restarting on a new
 * host, or waiting for a host that can take it.
 */
export interface Recovery {
  readonly state: 'restarting' | 'waiting';
  readonly reason: 'host-failure' | 'maintenance';
  /** Restart priority (from the namespace's policy). */
  readonly priority: string;
}

/** A vMotion in flight. */
export interface Migration {
  readonly from: string;
  readonly to: string;
  readonly reason: string;
}

export type PodPhase = 'Pending' | 'Running' | 'Failed';

/**
 * A vSphere Pod: a pod VM (hence a `vm-` id) placed on a host, sized from its containers' limits,
 * with their requests as reservations. It runs from creation (Pending until it has started).
 */
export interface Pod extends EntityBase {
  readonly type: 'Pod';
  readonly namespace: string;
  readonly object: StoredObject;
  readonly host: string;
  readonly phase: PodPhase;
  /** vCPUs and memory of the pod VM: the sum of its containers' limits. */
  readonly cpus: number;
  readonly cpuLimitMillis: number;
  readonly memoryBytes: number;
  readonly cpuReservationMillis: number;
  readonly cpuReservationMhz: number;
  readonly memoryReservationBytes: number;
  readonly ip?: string;
  readonly startedAt?: number;
  readonly crypto?: Crypto;
  readonly migration?: Migration;
  readonly recovery?: Recovery;
}

/**
 * A Kubernetes object of the Supervisor that has no vCenter counterpart of its own (Deployment,
 * ReplicaSet, LimitRange, NamespacePolicy, ConfigMap, Secret). Its `name` is `Kind/name`, so kinds
 * do not collide in the registry's name index.
 */
export interface KubeObject extends EntityBase {
  readonly type: 'KubeObject';
  readonly namespace: string;
  readonly object: StoredObject;
  /** What the system reports for objects that run to completion (a publish request's result). */
  readonly status?: Readonly<Record<string, unknown>>;
}

/**
 * A first-class disk (FCD, what a PersistentVolumeClaim becomes): a virtual disk on a datastore
 * chosen by storage policy, attached to at most the VMs and pods listed.
 */
export interface Disk extends EntityBase {
  readonly type: 'Disk';
  readonly namespace: string;
  readonly object: StoredObject;
  readonly capacityBytes: number;
  readonly storagePolicy: string;
  readonly datastore: string;
  /** Ids of the VMs and pod VMs it is attached to. */
  readonly attachedTo: readonly string[];
  readonly crypto?: Crypto;
}

/** A snapshot of a VM (taken by a namespace's snapshot policy), its delta disks on the VM's datastore. */
export interface Snapshot extends EntityBase {
  readonly type: 'Snapshot';
  readonly namespace: string;
  /** The VM's id. */
  readonly vm: string;
  readonly createdAt: number;
  readonly sizeBytes: number;
  readonly storagePolicy: string;
  readonly datastore: string;
  /** The VirtualMachineSnapshot it realizes (absent for a namespace policy's scheduled snapshot). */
  readonly object?: StoredObject;
  /** A memory snapshot restores the power state it was taken in. */
  readonly memory?: boolean;
  readonly powerState?: PowerState;
}

/** A Service: its cluster IP and, for a LoadBalancer, the external IP the load balancer gives it. */
export interface ServiceEntity extends EntityBase {
  readonly type: 'Service';
  readonly namespace: string;
  readonly object: StoredObject;
  /** `None` for a headless service. */
  readonly clusterIP?: string;
  readonly loadBalancerIP?: string;
}

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
