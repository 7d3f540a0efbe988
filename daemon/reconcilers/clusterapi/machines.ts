/** Live Cluster API Machines and where each stands, read from the inventory (their VMs and node references). */
import { kubeObjects } from '../../inventory/kube-object.js';
import type { KubeObject } from '../../inventory/model/workloads.js';
import type { InventoryReader } from '../../inventory/registry.js';
import { displayName } from '../../manifests/types.js';
import { CLONED_FROM_ANNOTATION } from './names.js';
import { liveSpecOf, type SpecFields } from '../../manifests/typed-spec.js';

/**
 * Cluster API's Machine phases: Pending (no infrastructure yet), Provisioning (its VM is being
 * created or booted), Provisioned (VM running, no node yet), Running (its node joined).
 */
export type MachinePhase = 'Pending' | 'Provisioning' | 'Provisioned' | 'Running';

export interface LiveMachine {
  readonly name: string;
  readonly version: string;
  /** The infrastructure template it was cloned from. */
  readonly template: string;
  readonly phase: MachinePhase;
  /** When the Machine was created (simulator clock, ms); orders scale-down and replacement. */
  readonly createdAt: number;
}

export function machinePhase(inventory: InventoryReader, machine: KubeObject): MachinePhase {
  if (machine.status?.['nodeRef']) return 'Running';
  const vm = inventory.find('VirtualMachine', machine.namespace, machine.object.name);
  if (!vm) return 'Pending';
  return vm.powerState === 'PoweredOn' && vm.ip ? 'Provisioned' : 'Provisioning';
}

function liveMachine(inventory: InventoryReader, m: KubeObject): LiveMachine {
  const spec: SpecFields<'Machine'> = liveSpecOf(m.object, 'Machine') ?? {};
  return {
    name: m.object.name,
    version: spec.version ?? '',
    template: m.object.annotations?.[CLONED_FROM_ANNOTATION] ?? '',
    phase: machinePhase(inventory, m),
    createdAt: Number(m.status?.['createdAt'] ?? 0),
  };
}

/** The live Machines an object owns (a KubeadmControlPlane or a MachineSet). */
export function machinesOwnedBy(inventory: InventoryReader, namespace: string, ownerKind: string, owner: string): LiveMachine[] {
  const ownerName = displayName(ownerKind, namespace, owner);
  return kubeObjects(inventory, 'Machine', namespace)
    .filter((m) => m.object.owner === ownerName)
    .map((m) => liveMachine(inventory, m));
}

/** Oldest first (creation time, then name): the order replacement takes. */
export function byAge(a: LiveMachine, b: LiveMachine): number {
  return a.createdAt - b.createdAt || a.name.localeCompare(b.name);
}

export const isRunning = (m: LiveMachine) => m.phase === 'Running';
