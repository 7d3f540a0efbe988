/**
 * vMotion: moving a running (or powered-off) VM or pod VM to another host. vSphere runs at most 8
 * vMotions per host at a time ("Limits on Simultaneous Migrations"); later ones queue. The
 * workload counts on its new host from the start, so placement never double-books it; the task's
 * completion ends the migration.
 */
import { fail, ok, type TaskResult } from './model/faults.js';
import type { Pod, VirtualMachine } from './model/workloads.js';
import { cpuReservationMhz } from '../capacity/placement.js';
import type { InventoryReader, InventoryRegistry } from './registry.js';
import { simulatorSettings } from './settings.js';
import { scheduleTask, type TaskCompletion } from './tasks.js';

/** vSphere's limit of concurrent vMotions per host (network and host cost limits, 10 GbE). */
export const MAX_VMOTIONS_PER_HOST = 8;
export const VMOTION_COMPLETED = 'VMotionCompleted';

type Workload = VirtualMachine | Pod;

function migrating(inventory: InventoryReader): Workload[] {
  return [...inventory.list('VirtualMachine'), ...inventory.list('Pod')].filter((w) => w.migration);
}

/** vMotions in flight that touch a host (as source or destination). */
export function vmotionsOn(inventory: InventoryReader, hostId: string): number {
  return migrating(inventory).filter((w) => w.migration!.from === hostId || w.migration!.to === hostId).length;
}

/**
 * Starts (or queues) a vMotion to `targetHost`. With 8 in flight on either host, it waits for a
 * slot: its completion is due one vMotion duration later per full slot ahead of it.
 */
export function migrate(registry: InventoryRegistry, workload: Workload, targetHost: string, now: number, reason: string): TaskResult<Workload> {
  if (workload.migration) return fail('InvalidArgument', `${workload.name} is already migrating`);
  const host = registry.get('Host', targetHost);
  if (!host) return fail('NotFound', `host ${targetHost} not found`);
  if (targetHost === workload.host) return ok(workload);
  const ahead = Math.max(vmotionsOn(registry, workload.host), vmotionsOn(registry, targetHost));
  const { vmotionMs } = simulatorSettings(registry).delays;
  const dueAt = now + vmotionMs * (Math.floor(ahead / MAX_VMOTIONS_PER_HOST) + 1);
  const moved = {
    ...workload,
    host: targetHost,
    cpuReservationMhz: cpuReservationMhz(workload.cpuReservationMillis, host.cpuMhzPerCore),
    migration: { from: workload.host, to: targetHost, reason },
  } as Workload;
  registry.put(moved);
  scheduleTask(registry, VMOTION_COMPLETED, workload.id, dueAt);
  return ok(moved);
}

/** The vMotion finished: the workload runs on its new host. */
export const completeVMotion: TaskCompletion = (registry, task) => {
  const w = registry.get('VirtualMachine', task.target) ?? registry.get('Pod', task.target);
  if (!w?.migration) return ok({ events: [] });
  const { from, to, reason } = w.migration;
  const { migration: _done, ...rest } = w;
  registry.put(rest as Workload);
  const name = (id: string) => registry.get('Host', id)?.name ?? id;
  return ok({
    events: [{ type: 'Normal', reason: 'VMotionCompleted', object: `${w.type}/${w.namespace}/${w.name}`, message: `migrated from ${name(from)} to ${name(to)} (${reason})` }],
  });
};
