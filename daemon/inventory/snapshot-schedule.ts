/**
 * A namespace's snapshot policy: at every time its cron schedule names, each VM of the namespace
 * gets a snapshot, the oldest beyond the retention count are removed, and snapshots count against
 * the namespace's storage quota (a snapshot that would exceed it is skipped, with a warning).
 */
import { Cron } from 'croner';
import { ok, type TaskResult } from './model/faults.js';
import type { Snapshot, VirtualMachine } from './model/workloads.js';
import type { InventoryReader, InventoryRegistry } from './registry.js';
import { cancelTasks, scheduleTask, type TaskCompletion, type TaskOutcome } from './tasks.js';
import { checkQuotas, withDefaultStorage, type QuotaState } from '../capacity/quota.js';
import { simulatorSettings } from './settings.js';
import { namespaceUsage } from './namespace-usage.js';
import { snapshotConsumption } from '../capacity/consumption.js';

export const NAMESPACE_SNAPSHOTS = 'NamespaceSnapshots';

/** Changed blocks a scheduled snapshot holds: pacific assumes 10% of the VM's disks. */
export const SNAPSHOT_DELTA_FRACTION = 0.1;

export interface SnapshotPolicy {
  readonly schedule: string;
  readonly retention: number;
}

/** The next time a cron schedule names after `now` (UTC), or undefined when it never fires. */
export function nextSnapshotAt(schedule: string, now: number): number | undefined {
  return new Cron(schedule, { timezone: 'UTC', paused: true }).nextRun(new Date(now))?.getTime();
}

/** Schedules (or, with no policy, cancels) a namespace's next snapshot run. */
export function scheduleSnapshots(registry: InventoryRegistry, namespace: string, policy: SnapshotPolicy | undefined, now: number): TaskResult<void> {
  const ns = registry.find('Namespace', '', namespace);
  if (!ns) return ok(undefined);
  if (!policy) {
    cancelTasks(registry, ns.id);
    return ok(undefined);
  }
  const next = nextSnapshotAt(policy.schedule, now);
  if (next !== undefined) scheduleTask(registry, NAMESPACE_SNAPSHOTS, ns.id, next, { ...policy });
  return ok(undefined);
}

/** Snapshots of a VM, oldest first. */
export function snapshotsOf(inventory: InventoryReader, vm: Pick<VirtualMachine, 'id' | 'namespace'>): Snapshot[] {
  return inventory
    .inNamespace('Snapshot', vm.namespace)
    .filter((s) => s.vm === vm.id)
    .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

/** Takes a scheduled snapshot of every VM of the namespace and applies the retention. */
export function takeNamespaceSnapshots(registry: InventoryRegistry, namespace: string, policy: SnapshotPolicy, now: number, used: Record<string, number>, quotas: readonly QuotaState[]): TaskOutcome {
  const events: TaskOutcome['events'][number][] = [];
  let taken = 0;
  let removed = 0;
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').slice(0, 13).toLowerCase();
  for (const vm of [...registry.inNamespace('VirtualMachine', namespace)].sort((a, b) => a.name.localeCompare(b.name))) {
    const size = Math.ceil(vm.diskBytes * SNAPSHOT_DELTA_FRACTION);
    const consumption = snapshotConsumption({ sizeBytes: size, storagePolicy: vm.storagePolicy });
    const over = checkQuotas(quotas, used, consumption);
    if (over) {
      events.push({ type: 'Warning', reason: 'SnapshotSkipped', object: `VirtualMachine/${namespace}/${vm.name}`, message: `scheduled snapshot skipped: ${over}` });
      continue;
    }
    registry.put({ type: 'Snapshot', id: `snapshot-${vm.id}-${now}`, name: `${vm.name}-auto-${stamp}`, namespace, vm: vm.id, createdAt: now, sizeBytes: size, storagePolicy: vm.storagePolicy, datastore: vm.datastore });
    for (const [r, v] of Object.entries(consumption)) used[r] = (used[r] ?? 0) + v;
    taken++;
    const all = snapshotsOf(registry, vm);
    for (const old of all.slice(0, Math.max(0, all.length - policy.retention))) {
      registry.remove(old.id);
      for (const [r, v] of Object.entries(snapshotConsumption(old))) used[r] = (used[r] ?? 0) - v;
      removed++;
    }
  }
  events.push({ type: 'Normal', reason: 'SnapshotsTaken', object: `Namespace/${namespace}`, message: `took ${taken} scheduled snapshot(s), removed ${removed} beyond the retention of ${policy.retention}` });
  return { events };
}

/** The task: snapshots now, then the next run is scheduled. */
export const completeNamespaceSnapshots: TaskCompletion = (registry, task, now) => {
  const ns = registry.get('Namespace', task.target);
  if (!ns) return ok({ events: [] });
  const policy = task.args as unknown as SnapshotPolicy;
  const quotas = withDefaultStorage(
    registry.inNamespace('ResourceQuota', ns.name).map((q) => ({ name: q.name, hard: q.hard })),
    simulatorSettings(registry).defaultNamespaceStorageBytes,
  );
  const outcome = takeNamespaceSnapshots(registry, ns.name, policy, now, namespaceUsage(registry, ns.name), quotas);
  scheduleSnapshots(registry, ns.name, policy, now + 1);
  return ok(outcome);
};
