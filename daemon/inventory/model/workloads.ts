/** The workloads and Kubernetes objects the Supervisor holds in the simulated inventory. */
import type { EntityBase, PowerState } from './infrastructure.js';
import type { StoredObject } from './stored-object.js';

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
