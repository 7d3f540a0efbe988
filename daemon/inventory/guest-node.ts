/**
 * A guest cluster node joining its cluster: the VM of a Cluster API Machine boots, cloud-init runs
 * kubeadm, and the Machine controller sees the Node (`status.nodeRef`). pacific simulates the boot
 * and join as one task after the VM is created (`delays.nodeJoinMs`; a real join takes minutes).
 */
import { ok } from './model/faults.js';
import { findKubeObject } from './kube-object.js';
import type { VirtualMachine } from './model/workloads.js';
import type { InventoryRegistry } from './registry.js';
import { simulatorSettings } from './settings.js';
import { scheduleTask, type TaskCompletion } from './tasks.js';

export const NODE_JOINED = 'KubernetesNodeJoined';

/** Cluster API's label on every object of a cluster, VMs included. */
export const CLUSTER_NAME_LABEL = 'cluster.x-k8s.io/cluster-name';

/** Starts the join of a new cluster node VM; other VMs are left alone. */
export function startNodeJoin(registry: InventoryRegistry, vm: VirtualMachine, now: number): void {
  if (vm.object.labels?.[CLUSTER_NAME_LABEL] === undefined) return;
  scheduleTask(registry, NODE_JOINED, vm.id, now + simulatorSettings(registry).delays.nodeJoinMs);
}

/** The node is up: its Machine gets the node reference (if the VM still runs and the Machine is still there). */
export const completeNodeJoin: TaskCompletion = (registry, task, now) => {
  const vm = registry.get('VirtualMachine', task.target);
  const machine = vm && vm.powerState === 'PoweredOn' ? findKubeObject(registry, 'Machine', vm.namespace, vm.name) : undefined;
  if (vm && machine) registry.put({ ...machine, status: { ...machine.status, nodeRef: { kind: 'Node', name: vm.name }, nodeReadyTime: new Date(now).toISOString() } });
  return ok({ events: [] });
};
