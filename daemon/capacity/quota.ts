/**
 * ResourceQuota arithmetic as the API server's quota admission does it: every quota of a namespace
 * must cover usage + request for each resource it limits; the refusal names the numbers.
 */
import { cpuMillis, formatBytes, formatCpu, parseQuantity } from '../base/quantity.js';

/** Amounts by quota resource name: CPU in millicores, memory and storage in bytes, counts as counts. */
export type ResourceAmounts = Readonly<Record<string, number>>;

export function isCpuResource(resource: string): boolean {
  return resource === 'cpu' || resource.endsWith('.cpu');
}

function isCountResource(resource: string): boolean {
  return resource.startsWith('count/') || ['pods', 'services', 'persistentvolumeclaims', 'configmaps', 'secrets'].includes(resource) || resource.endsWith('.persistentvolumeclaims');
}

/** `spec.hard` → numbers in the units above. */
export function parseHard(hard: Readonly<Record<string, string | number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [resource, value] of Object.entries(hard)) out[resource] = isCpuResource(resource) ? cpuMillis(value) : parseQuantity(value);
  return out;
}

/** A number in the unit its resource is written in (`4`, `500m`, `16Gi`, `3`). */
export function formatAmount(resource: string, value: number): string {
  if (isCpuResource(resource)) return formatCpu(value);
  if (isCountResource(resource)) return String(value);
  return formatBytes(value);
}

/** `limits.cpu=4,limits.memory=16Gi`, the API server's listing of amounts. */
export function formatAmounts(resources: readonly string[], amounts: ResourceAmounts): string {
  return resources.map((r) => `${r}=${formatAmount(r, amounts[r] ?? 0)}`).join(',');
}

export function addAmounts(a: ResourceAmounts, b: ResourceAmounts, sign = 1): Record<string, number> {
  const out: Record<string, number> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + sign * v;
  return out;
}

export interface QuotaState {
  readonly name: string;
  readonly hard: ResourceAmounts;
}

/** The name the VI admin's default storage limit goes by in refusals (`exceeded quota: namespace-default-storage, …`). */
export const DEFAULT_STORAGE_QUOTA = 'namespace-default-storage';

/** A namespace's quotas, with the admin's default storage limit when none of them limits `requests.storage`. */
export function withDefaultStorage(quotas: readonly QuotaState[], limitBytes: number | undefined): readonly QuotaState[] {
  if (limitBytes === undefined || quotas.some((q) => q.hard['requests.storage'] !== undefined)) return quotas;
  return [...quotas, { name: DEFAULT_STORAGE_QUOTA, hard: { 'requests.storage': limitBytes } }];
}

/**
 * Checks a request against every quota: undefined when it fits, else the API server's message
 * (`exceeded quota: compute, requested: limits.cpu=4, used: limits.cpu=8, limited: limits.cpu=10`).
 */
export function checkQuotas(quotas: readonly QuotaState[], used: ResourceAmounts, request: ResourceAmounts): string | undefined {
  for (const quota of [...quotas].sort((a, b) => a.name.localeCompare(b.name))) {
    const exceeded = Object.keys(quota.hard)
      .filter((r) => (request[r] ?? 0) > 0 && (used[r] ?? 0) + (request[r] ?? 0) > quota.hard[r]!)
      .sort();
    if (exceeded.length) {
      return `exceeded quota: ${quota.name}, requested: ${formatAmounts(exceeded, request)}, used: ${formatAmounts(exceeded, used)}, limited: ${formatAmounts(exceeded, quota.hard)}`;
    }
  }
  return undefined;
}

/** What is left of each quota after a change, one line per quota (`quota compute left: limits.cpu 6 of 10`). */
export function quotaLeft(quotas: readonly QuotaState[], used: ResourceAmounts, touched: readonly string[]): string[] {
  const lines: string[] = [];
  for (const quota of quotas) {
    const left = Object.keys(quota.hard)
      .sort()
      .filter((r) => touched.includes(r))
      .map((r) => `${r} ${formatAmount(r, quota.hard[r]! - (used[r] ?? 0))} of ${formatAmount(r, quota.hard[r]!)}`);
    if (left.length) lines.push(`quota ${quota.name} left: ${left.join(', ')}`);
  }
  return lines;
}
