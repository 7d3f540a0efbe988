/**
 * What counts against a namespace's ResourceQuota. pacific treats the quota as the
 * vSphere Namespace limits: a VM counts its vCPUs against `limits.cpu`, its memory against
 * `limits.memory`, and the full capacity of its image disks against `requests.storage` and its
 * storage class's `<class>.storageclass.storage.k8s.io/requests.storage` (vm-operator's storage
 * quota admission counts the image disks' capacity).
 */
import type { ResourceAmounts } from './quota.js';

export const VM_COUNT_RESOURCE = 'count/virtualmachines.vmoperator.vmware.com';

export function storageClassResource(storageClass: string): string {
  return `${storageClass}.storageclass.storage.k8s.io/requests.storage`;
}

/** The quota amounts one VM consumes. */
export function vmConsumption(vm: { cpus: number; memoryBytes: number; diskBytes: number; storageClass: string }): ResourceAmounts {
  return {
    'limits.cpu': vm.cpus * 1000,
    'limits.memory': vm.memoryBytes,
    'requests.storage': vm.diskBytes,
    [storageClassResource(vm.storageClass)]: vm.diskBytes,
    [VM_COUNT_RESOURCE]: 1,
  };
}

/** The quota amounts one vSphere Pod consumes: its limits, its requests and a pod count. */
export function podConsumption(size: { cpuLimitMillis: number; memoryBytes: number; cpuReservationMillis: number; memoryReservationBytes: number }): ResourceAmounts {
  return {
    'limits.cpu': size.cpuLimitMillis,
    'limits.memory': size.memoryBytes,
    'requests.cpu': size.cpuReservationMillis,
    'requests.memory': size.memoryReservationBytes,
    pods: 1,
    'count/pods': 1,
  };
}

/** The quota amounts a claim consumes (storage and a claim count, overall and for its class). */
export function claimConsumption(storageClass: string, bytes: number): ResourceAmounts {
  return {
    'requests.storage': bytes,
    [storageClassResource(storageClass)]: bytes,
    persistentvolumeclaims: 1,
    [`${storageClass}.storageclass.storage.k8s.io/persistentvolumeclaims`]: 1,
  };
}

/** The quota amounts a snapshot consumes (its delta disks, overall and for its VM's storage class). */
export function snapshotConsumption(s: { sizeBytes: number; storagePolicy: string }): ResourceAmounts {
  return { 'requests.storage': s.sizeBytes, [storageClassResource(s.storagePolicy)]: s.sizeBytes };
}
