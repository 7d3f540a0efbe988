/**
 * A vSphere Pod's size from its PodSpec, as the Supervisor sizes the pod VM: container limits
 * (the namespace's LimitRange defaults when absent, else 1 CPU / 512 MiB per container) add up to
 * the pod VM's size, requests become its reservation. LimitRange bounds are checked with the
 * LimitRanger plugin's messages.
 */
import type { PodSize } from '../../inventory/pod.js';
import { cpuMillis, formatBytes, formatCpu, parseQuantity } from '../../base/quantity.js';
import type { Amounts, LimitView } from '../../capacity/limits.js';
import type { PodSpecV1 } from '../../manifests/kinds.generated.js';

/** Per-container size when neither the container nor a LimitRange says (pacific's assumption). */
export const DEFAULT_CONTAINER_LIMITS: Amounts = { cpu: 1000, memory: 512 * 2 ** 20 };

export type ContainerSpec = PodSpecV1['containers'][number];

/** The part of a PodSpec that sizes a pod and that the Supervisor may refuse (a live pod's spec may be absent: all optional). */
export type PodSpecView = Partial<Pick<PodSpecV1, 'containers' | 'initContainers' | 'volumes' | 'hostNetwork'>>;

function amounts(list: Readonly<Record<string, string | number>> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of ['cpu', 'memory']) {
    const v = list?.[r];
    if (v !== undefined) out[r] = r === 'cpu' ? cpuMillis(v) : parseQuantity(v);
  }
  return out;
}

const show = (resource: string, v: number) => (resource === 'cpu' ? formatCpu(v) : formatBytes(v));

export interface EffectiveContainer {
  readonly name: string;
  readonly limits: Amounts;
  readonly requests: Amounts;
}

/** A container's limits and requests after defaulting, as the API server and LimitRanger default them. */
export function effectiveContainer(c: ContainerSpec, limits: LimitView): EffectiveContainer {
  const declaredLimits = amounts(c.resources?.limits);
  const declaredRequests = amounts(c.resources?.requests);
  const lim: Record<string, number> = {};
  const req: Record<string, number> = {};
  for (const r of ['cpu', 'memory']) {
    lim[r] = declaredLimits[r] ?? limits.Container.default[r] ?? DEFAULT_CONTAINER_LIMITS[r]!;
    // Kubernetes defaults a missing request to the limit when the limit is declared.
    const request = declaredRequests[r] ?? (declaredLimits[r] !== undefined ? declaredLimits[r] : limits.Container.defaultRequest[r]);
    if (request !== undefined) req[r] = request;
  }
  return { name: c.name, limits: lim, requests: req };
}

function checkBounds(what: 'Container' | 'Pod', eff: { limits: Amounts; requests: Amounts }, limits: LimitView): string | undefined {
  const b = limits[what];
  for (const r of ['cpu', 'memory']) {
    const max = b.max[r];
    if (max !== undefined && (eff.limits[r] ?? 0) > max) return `maximum ${r} usage per ${what} is ${show(r, max)}, but limit is ${show(r, eff.limits[r]!)}`;
    const min = b.min[r];
    if (min !== undefined && (eff.requests[r] ?? 0) < min) return `minimum ${r} usage per ${what} is ${show(r, min)}, but request is ${show(r, eff.requests[r] ?? 0)}`;
    const ratio = b.maxLimitRequestRatio[r];
    if (ratio !== undefined && eff.requests[r] && eff.limits[r]! / eff.requests[r]! > ratio) {
      return `${r} max limit to request ratio per ${what} is ${ratio}, but provided ratio is ${(eff.limits[r]! / eff.requests[r]!).toFixed(6)}`;
    }
  }
  return undefined;
}

function sum(list: readonly EffectiveContainer[], field: 'limits' | 'requests', r: string): number {
  return list.reduce((total, c) => total + (c[field][r] ?? 0), 0);
}

function largest(list: readonly EffectiveContainer[], field: 'limits' | 'requests', r: string): number {
  return list.reduce((m, c) => Math.max(m, c[field][r] ?? 0), 0);
}

/** The pod VM's size, or the LimitRange or resource rule it breaks. */
export function podSize(spec: PodSpecView, limits: LimitView): { size: PodSize; containers: EffectiveContainer[] } | { violation: string } {
  const containers = (spec.containers ?? []).map((c) => effectiveContainer(c, limits));
  const init = (spec.initContainers ?? []).map((c) => effectiveContainer(c, limits));
  for (const c of [...containers, ...init]) {
    for (const r of ['cpu', 'memory']) {
      if ((c.requests[r] ?? 0) > c.limits[r]!) return { violation: `spec.containers[name=${c.name}].resources.requests.${r}: must be less than or equal to ${r} limit of ${show(r, c.limits[r]!)}` };
    }
    const why = checkBounds('Container', c, limits);
    if (why) return { violation: why };
  }
  // Init containers run one at a time before the app containers: the pod needs the larger of the two.
  const total = (field: 'limits' | 'requests', r: string) => Math.max(sum(containers, field, r), largest(init, field, r));
  const pod = { limits: { cpu: total('limits', 'cpu'), memory: total('limits', 'memory') }, requests: { cpu: total('requests', 'cpu'), memory: total('requests', 'memory') } };
  const why = checkBounds('Pod', pod, limits);
  if (why) return { violation: why };
  return {
    size: {
      cpus: Math.max(1, Math.ceil(pod.limits.cpu / 1000)),
      cpuLimitMillis: pod.limits.cpu,
      memoryBytes: pod.limits.memory,
      cpuReservationMillis: pod.requests.cpu,
      memoryReservationBytes: pod.requests.memory,
    },
    containers,
  };
}

/** The Supervisor's rules for features vSphere Pods do not have: refusals and ignored fields. */
export function unsupportedFeatures(spec: PodSpecView): { refusal?: string; warnings: string[] } {
  const warnings: string[] = [];
  if (spec.hostNetwork) warnings.push('spec.hostNetwork is ignored: vSphere Pods run on the namespace network');
  for (const v of spec.volumes ?? []) {
    if (!v.hostPath) continue;
    const mounts = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].flatMap((c) => (c.volumeMounts ?? []).filter((m) => m.name === v.name));
    const logsReadOnly = v.hostPath.path.replace(/\/+$/, '') === '/var/log/pods' && mounts.every((m) => m.readOnly === true);
    if (!logsReadOnly) {
      return { refusal: `spec.volumes[name=${v.name}].hostPath: hostPath volumes are not supported by vSphere Pods (only /var/log/pods, mounted read-only)`, warnings };
    }
  }
  return { warnings };
}
