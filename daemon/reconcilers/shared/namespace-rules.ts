/** Namespace rules every kind applies: object-count quotas, storage classes, class sizes and host placement. */
import { allowedHosts } from '../../inventory/namespace-policy.js';
import { memberCount } from '../../capacity/object-count.js';
import type { ManifestObject } from '../../manifests/types.js';
import { formatBytes } from '../../base/quantity.js';
import { refused } from '../../plan/contract.js';
import type { Admission, PlanContext } from '../../plan/contract.js';
import type { ClassSize } from '../../plan/ledger.js';

/** A class larger than the namespace policy's vmClassLimits is refused; `what` names it (`VM class x`). */
export function classLimitAdmission(namespace: string, what: string, size: Pick<ClassSize, 'cpus' | 'memoryBytes'>, ctx: Pick<PlanContext, 'ledger'>): Admission | undefined {
  const limits = ctx.ledger.policy(namespace)?.vmClassLimits;
  if (!limits) return undefined;
  const over = (limits.cpus !== undefined && size.cpus > limits.cpus) || (limits.memoryBytes !== undefined && size.memoryBytes > limits.memoryBytes);
  if (!over) return undefined;
  const bound = [limits.cpus !== undefined ? `${limits.cpus} vCPU` : undefined, limits.memoryBytes !== undefined ? formatBytes(limits.memoryBytes) : undefined].filter(Boolean).join(', ');
  return refused('NotAllowedByPolicy', `${what} (${size.cpus} vCPU, ${formatBytes(size.memoryBytes)}) exceeds NamespacePolicy spec.vmClassLimits of namespace ${namespace} (${bound})`);
}

/** One more object of the desired object's kind must fit the namespace's object-count quotas (count/configmaps, services, …); undefined when it does. */
export function objectCountAdmission(desired: ManifestObject, ctx: Pick<PlanContext, 'ledger'>): Admission | undefined {
  const over = ctx.ledger.checkQuota(desired.namespace, memberCount(desired.key));
  return over ? refused('QuotaExceeded', over) : undefined;
}

/** The storage class must exist and be allowed by the namespace's policy; undefined when it is. */
export function storageClassAdmission(namespace: string, storageClass: string, ctx: PlanContext): Admission | undefined {
  if (!ctx.inventory.list('StoragePolicy').some((p) => p.name === storageClass)) {
    return refused('StorageClassNotFound', `storageclasses.storage.k8s.io "${storageClass}" not found`);
  }
  const allowed = ctx.ledger.policy(namespace)?.storagePolicies;
  if (allowed && !allowed.includes(storageClass)) {
    return refused('NotAllowedByPolicy', `storage class ${storageClass} is not allowed in namespace ${namespace} (NamespacePolicy spec.storagePolicies: ${allowed.join(', ') || 'none'})`);
  }
  return undefined;
}

/** The hosts a namespace's workloads may run on, as a placement request option. */
export function hostsOf(namespace: string, ctx: PlanContext): { allowedHosts?: ReadonlySet<string> } {
  const hosts = allowedHosts(ctx.inventory, ctx.ledger.policy(namespace));
  return hosts ? { allowedHosts: hosts } : {};
}
