/**
 * ResourceQuota object counts, as the API server's quota admission charges them: every namespaced
 * object counts against `count/<resource>.<group>` (`count/<resource>` in the core group), and the
 * core kinds with a legacy name against it too (`services`, `secrets`, `configmaps`, …). Pods,
 * VirtualMachines and PersistentVolumeClaims charge their counts with their compute and storage
 * (capacity/consumption.ts); every other kind is counted here, derived objects included.
 */
import type { ResourceAmounts } from './quota.js';

/** The resource name of a kind as Kubernetes and the CRDs spell it (ReplicaSet → replicasets, …Policy → …policies). */
export function pluralOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith('s')) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/** Core kinds the quota also counts under their legacy name (Kubernetes' `pkg/quota/v1/evaluator/core`). */
const LEGACY = new Set(['services', 'secrets', 'configmaps', 'resourcequotas', 'replicationcontrollers']);

/** Kinds whose consumption already carries their counts. */
const COUNTED_WITH_CONSUMPTION = new Set(['/Pod', 'vmoperator.vmware.com/VirtualMachine', '/PersistentVolumeClaim']);

/** The counts one object of this kind takes from its namespace's quota ({} for kinds counted elsewhere). */
export function objectCount(group: string, kind: string): ResourceAmounts {
  if (COUNTED_WITH_CONSUMPTION.has(`${group}/${kind}`)) return {};
  const plural = pluralOf(kind);
  const counts: Record<string, number> = { [group ? `count/${plural}.${group}` : `count/${plural}`]: 1 };
  if (!group && LEGACY.has(plural)) counts[plural] = 1;
  return counts;
}

/** The counts a namespace member (`group/Kind/namespace/name`, an object key) takes from its quota. */
export function memberCount(member: string): ResourceAmounts {
  const [group, kind] = member.split('/');
  return group !== undefined && kind ? objectCount(group, kind) : {};
}
