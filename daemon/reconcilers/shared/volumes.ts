/**
 * Workloads using claims: a VM (`spec.volumes[].persistentVolumeClaim`) or a pod
 * (`spec.volumes[].persistentVolumeClaim`) may only use a claim of its namespace, and a
 * ReadWriteOnce claim by one workload at a time (Kubernetes' Multi-Attach error otherwise).
 */
import { attachClaims, detachDisks } from '../../inventory/disk.js';
import type { InventoryRegistry } from '../../inventory/registry.js';
import type { TaskResult } from '../../inventory/model/faults.js';
import type { PlanLedger } from '../../plan/ledger.js';
import type { Admission } from '../../plan/contract.js';
import { refused } from '../../plan/contract.js';

/** What a VM's or a pod's spec (any version) has in common: volumes that may name a claim. */
interface MountsClaims {
  readonly volumes?: readonly { readonly persistentVolumeClaim?: { readonly claimName?: string } }[];
}

/** The claims a VM or pod spec mounts. */
export function claimNames(spec: MountsClaims | undefined): string[] {
  return (spec?.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName).filter((c): c is string => !!c);
}

const SHARED = ['ReadWriteMany', 'ReadOnlyMany'];

/** Refusal when a claim is missing or attached to another workload; undefined when all can be used. */
export function admitClaims(namespace: string, consumer: string, claims: readonly string[], ledger: PlanLedger): Admission | undefined {
  for (const claim of claims) {
    const state = ledger.claim(namespace, claim);
    if (!state) return refused('ClaimNotFound', `persistentvolumeclaim "${claim}" not found`);
    const others = [...state.consumers].filter((c) => c !== consumer);
    if (others.length && !state.accessModes.some((m) => SHARED.includes(m))) {
      return refused('InUse', `Multi-Attach error for volume "${claim}": the ReadWriteOnce claim is already used by ${others.join(', ')}`);
    }
  }
  return undefined;
}

/** Records a workload as the consumer of its claims (and no longer of the ones it dropped). */
export function recordClaims(namespace: string, consumer: string, claims: readonly string[], ledger: PlanLedger, previous: readonly string[] = []): void {
  for (const c of previous) if (!claims.includes(c)) ledger.removeConsumer(namespace, c, consumer);
  for (const c of claims) ledger.addConsumer(namespace, c, consumer);
}

/** Attaches a workload's claims on the simulator, detaching the ones it no longer mounts. */
export function syncAttachments(registry: InventoryRegistry, namespace: string, consumerId: string, claims: readonly string[]): TaskResult<void> {
  detachDisks(registry, namespace, consumerId, claims);
  return attachClaims(registry, namespace, claims, consumerId);
}
