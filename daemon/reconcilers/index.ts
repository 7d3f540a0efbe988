/** Every kind's reconciler, in apply order: Supervisor namespaces and quotas, then VM Operator. */
import { namespaceReconciler } from './supervisor/namespace.js';
import { resourceQuotaReconciler } from './supervisor/resource-quota.js';
import { virtualMachineClassReconciler } from './vmoperator/virtual-machine-class.js';
import { virtualMachineReconciler } from './vmoperator/virtual-machine.js';
import type { KindReconciler } from './types.js';

export const reconcilers: readonly KindReconciler[] = [namespaceReconciler, resourceQuotaReconciler, virtualMachineClassReconciler, virtualMachineReconciler];

const byKind = new Map(reconcilers.map((r) => [`${r.group}/${r.kind}`, r]));

/** The reconciler of a group+kind, or undefined when pacific has none (validation refuses such kinds). */
export function reconcilerFor(group: string, kind: string): KindReconciler | undefined {
  return byKind.get(`${group}/${kind}`);
}
