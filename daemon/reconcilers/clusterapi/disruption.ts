/**
 * What a cluster change implies, for `pacific diff` and the admission notes: which machines a
 * rolling update replaces, the one extra ("surge") machine each step needs, and whether it fits
 * the namespace's quota and the hosts now.
 */
import { kubeObjects } from '../../inventory/kube-object.js';
import { vmConsumption } from '../../capacity/consumption.js';
import { formatBytes, parseQuantity } from '../../base/quantity.js';
import type { PlanContext } from '../../plan/contract.js';
import { hostsOf } from '../shared/namespace-rules.js';
import { classRequest } from '../vmoperator/virtual-machine-spec.js';
import { machineShape } from './machine-shape.js';
import type { GuestCluster, MachinePool } from './guest-cluster.js';
import { CLUSTER_NAME_LABEL, CONTROL_PLANE_LABEL, DEPLOYMENT_NAME_LABEL, machineDeploymentName } from './names.js';
import { nodeImageItem, releaseByVersion } from '../../catalog/kubernetes-releases.js';

const machineCount = (cluster: GuestCluster) => cluster.controlPlane.replicas + cluster.workers.reduce((n, w) => n + w.replicas, 0);

export function provisioningNotes(cluster: GuestCluster): string[] {
  const workers = cluster.workers.reduce((n, w) => n + w.replicas, 0);
  return [`provisions ${cluster.controlPlane.replicas} control-plane and ${workers} worker machine(s) (${machineCount(cluster)} VMs) at ${cluster.version}`];
}

/** Storage one machine of a pool takes: its node image disk and its volumes. */
function machineStorage(cluster: GuestCluster, pool: MachinePool): number {
  const image = nodeImageItem(releaseByVersion(cluster.version)!).diskCapacityBytes;
  return image + pool.volumes.reduce((n, v) => n + parseQuantity(v.capacity), 0);
}

/** Whether one more machine of `pool` fits now; the reason when it does not. */
function surgeFit(cluster: GuestCluster, pool: MachinePool, ctx: PlanContext): { note: string; fits: boolean } {
  const size = ctx.ledger.resolveClass(cluster.namespace, pool.vmClass);
  if (!size) return { note: `surge: VM class ${pool.vmClass} not found`, fits: false };
  const storage = machineStorage(cluster, pool);
  const what = `one ${pool.vmClass} VM (${size.cpus} vCPU, ${formatBytes(size.memoryBytes)} memory, ${formatBytes(storage)} on ${pool.storageClass})`;
  const over = ctx.ledger.checkQuota(cluster.namespace, vmConsumption({ cpus: size.cpus, memoryBytes: size.memoryBytes, diskBytes: storage, storageClass: pool.storageClass }));
  const placed = over ? undefined : ctx.ledger.place({ ...classRequest('surge', size, true), ...hostsOf(cluster.namespace, ctx) }, pool.storageClass, storage);
  const why = over ?? (placed && !placed.ok ? placed.error.message : undefined);
  return why
    ? { note: `surge: ${what} does not fit now: ${why}; the rollout waits (Ready=False, RolloutStalled) and takes nothing from other workloads`, fits: false }
    : { note: `surge: ${what}, fits the quota and the hosts now`, fits: true };
}

/** The notes of a change from `before` to `after` (both valid). */
export function disruptionNotes(before: GuestCluster, after: GuestCluster, ctx: PlanContext): string[] {
  const notes: string[] = [];
  const machines = kubeObjects(ctx.inventory, 'Machine', after.namespace).filter((m) => m.object.labels?.[CLUSTER_NAME_LABEL] === after.name);
  const inPool = (pool: string) =>
    pool === 'control-plane'
      ? machines.filter((m) => m.object.labels?.[CONTROL_PLANE_LABEL] !== undefined).length
      : machines.filter((m) => m.object.labels?.[DEPLOYMENT_NAME_LABEL] === machineDeploymentName(after.name, pool)).length;
  const replaced: { pool: MachinePool; count: number }[] = [];
  for (const pool of [after.controlPlane, ...after.workers]) {
    const old = pool.name === 'control-plane' ? before.controlPlane : before.workers.find((w) => w.name === pool.name);
    const label = pool.name === 'control-plane' ? 'control plane' : `node pool ${pool.name}`;
    if (!old) {
      notes.push(`${label}: new, ${pool.replicas} machine(s)`);
      continue;
    }
    if (old.replicas !== pool.replicas) notes.push(`${label}: ${old.replicas} → ${pool.replicas} machine(s)`);
    const reshaped = before.version !== after.version || JSON.stringify(machineShape(before, old)) !== JSON.stringify(machineShape(after, pool));
    if (reshaped && inPool(pool.name)) replaced.push({ pool, count: Math.min(inPool(pool.name), pool.replicas) });
  }
  for (const w of before.workers) if (!after.workers.some((p) => p.name === w.name)) notes.push(`node pool ${w.name}: removed, its ${inPool(w.name)} machine(s) deleted`);
  if (before.version !== after.version) notes.push(`upgrade ${before.version} → ${after.version}`);
  if (replaced.length) {
    const total = replaced.reduce((n, r) => n + r.count, 0);
    const cp = replaced.find((r) => r.pool.name === 'control-plane')?.count ?? 0;
    notes.push(`rolling update replaces ${total} machine(s) (${cp} control plane, ${total - cp} worker), one at a time: each new machine joins before an old one goes`);
    // The largest surge is the one that must fit.
    const largest = replaced.map((r) => r.pool).sort((a, b) => (ctx.ledger.resolveClass(after.namespace, b.vmClass)?.memoryBytes ?? 0) - (ctx.ledger.resolveClass(after.namespace, a.vmClass)?.memoryBytes ?? 0))[0]!;
    notes.push(surgeFit(after, largest, ctx).note);
  }
  return notes;
}
