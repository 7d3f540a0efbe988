/**
 * The simulated vSphere inventory, modelled on govmomi's simulator: managed objects with
 * vCenter-style ids (`host-12`, `vm-1001`), held by one registry. Entities are immutable values;
 * a change replaces an entity in the registry, which is what makes undo and persistence simple.
 * This file: the infrastructure a VI admin sets up (datacenter, cluster, hosts, storage, networks,
 * content libraries, VM classes).
 */

import type { StoredObject } from './stored-object.js';

export type PowerState = 'PoweredOn' | 'PoweredOff' | 'Suspended';

/** Host connection state as vSphere reports it (a failed host is `notResponding`). */
export type HostState = 'connected' | 'notResponding' | 'maintenance';

export interface EntityBase {
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
