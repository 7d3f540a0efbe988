/**
 * Host failure and maintenance mode, as vSphere HA and DRS handle them. A failed host's running
 * VMs and pods restart on surviving hosts in restart-priority order (highest first; HA keeps the
 * failover capacity admission control reserved for exactly this); a host entering maintenance
 * mode is evacuated by vMotion (at most 8 at a time per host). What no host can take waits, on its
 * old host, until capacity returns.
 */
import { fail, ok, type TaskResult } from './model/faults.js';
import type { Host } from './model/infrastructure.js';
import type { Pod, Recovery, VirtualMachine } from './model/workloads.js';
import { allowedHosts, namespacePolicy } from './namespace-policy.js';
import { cpuReservationMhz, placeVm, type PlacementRequest } from '../capacity/placement.js';
import type { InventoryRegistry } from './registry.js';
import { simulatorSettings } from './settings.js';
import { scheduleTask, type TaskCompletion, type TaskOutcome } from './tasks.js';
import { addLoad, workloadLoad, type HostUsage } from '../capacity/usage.js';
import { hostUsages } from './virtual-machine.js';
import { migrate } from './vmotion.js';

export const HA_RESTART = 'HaRestart';

/** vSphere HA restart priorities, highest first; `disabled` workloads are not restarted. */
export const RESTART_ORDER = ['highest', 'high', 'medium', 'low', 'lowest'] as const;

type Workload = VirtualMachine | Pod;
type Events = TaskOutcome['events'][number][];

const label = (w: Workload) => `${w.type}/${w.namespace}/${w.name}`;

function priorityOf(registry: InventoryRegistry, w: Workload): string {
  return namespacePolicy(registry, w.namespace)?.restartPriority ?? 'medium';
}

function requestOf(registry: InventoryRegistry, w: Workload, running: boolean): PlacementRequest {
  const hosts = allowedHosts(registry, namespacePolicy(registry, w.namespace));
  return {
    key: `${w.namespace}/${w.name}`,
    workload: w.type === 'Pod' ? 'pod' : 'vm',
    cpus: w.cpus,
    memoryBytes: w.memoryBytes,
    cpuReservationMillis: w.cpuReservationMillis,
    memoryReservationBytes: w.memoryReservationBytes,
    poweredOn: running,
    ...(hosts ? { allowedHosts: hosts } : {}),
  };
}

function isRunning(w: Workload): boolean {
  return w.type === 'Pod' ? w.phase !== 'Failed' : w.powerState === 'PoweredOn';
}

function findHost(registry: InventoryRegistry, name: string): TaskResult<Host> {
  const host = registry.list('Host').find((h) => h.name === name);
  return host ? ok(host) : fail('NotFound', `host ${name} not found`);
}

/** Workloads on a host, in restart-priority order (then namespace and name: deterministic). */
function onHost(registry: InventoryRegistry, hostId: string): Workload[] {
  const all: Workload[] = [...registry.list('VirtualMachine'), ...registry.list('Pod')].filter((w) => w.host === hostId);
  const rank = (w: Workload) => {
    const i = RESTART_ORDER.indexOf(priorityOf(registry, w) as (typeof RESTART_ORDER)[number]);
    return i < 0 ? RESTART_ORDER.length : i;
  };
  return all.sort((a, b) => rank(a) - rank(b) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

/** Puts a workload on a new host (down until its restart task completes), or marks it waiting. */
function restartElsewhere(registry: InventoryRegistry, w: Workload, usage: HostUsage[], now: number, events: Events): void {
  const settings = simulatorSettings(registry);
  const priority = priorityOf(registry, w);
  const req = requestOf(registry, w, true);
  // HA restarts use the failover capacity admission control kept: no admission-control check here.
  const target = placeVm(usage.filter((u) => u.host.id !== w.host), req, settings.seed, 0);
  const down = w.type === 'Pod' ? { phase: 'Pending' as const } : { powerState: 'PoweredOff' as const };
  if (!target.ok) {
    registry.put({ ...w, ...down, recovery: { state: 'waiting', reason: 'host-failure', priority } } as Workload);
    events.push({ type: 'Warning', reason: 'HaRestartWaiting', object: label(w), message: `no surviving host can take it: ${target.error.message}` });
    return;
  }
  const to = target.value.host;
  const moved = { ...w, ...down, host: to.id, cpuReservationMhz: cpuReservationMhz(w.cpuReservationMillis, to.cpuMhzPerCore), recovery: { state: 'restarting', reason: 'host-failure', priority } } as Workload;
  registry.put(moved);
  addLoad(target.value, workloadLoad({ ...moved, ...(w.type === 'Pod' ? {} : { powerState: 'PoweredOn' }) } as Workload));
  // vSphere HA starts the next priority once the previous one is up: one restart delay per tier.
  const tier = Math.max(0, RESTART_ORDER.indexOf(priority as (typeof RESTART_ORDER)[number]));
  scheduleTask(registry, HA_RESTART, w.id, now + settings.delays.haRestartMs * (tier + 1));
  events.push({ type: 'Normal', reason: 'HaRestartScheduled', object: label(w), message: `restarting on ${to.name} (priority ${priority})` });
}

/** Fails a host: its running VMs and pods restart elsewhere in priority order. */
export function failHost(registry: InventoryRegistry, hostName: string, now: number): TaskResult<TaskOutcome> {
  const host = findHost(registry, hostName);
  if (!host.ok) return host;
  if (host.value.state === 'notResponding') return fail('InvalidArgument', `host ${hostName} has already failed`);
  registry.put({ ...host.value, state: 'notResponding' });
  const events: Events = [{ type: 'Warning', reason: 'HostFailed', object: `Host/${hostName}`, message: `${hostName} is not responding; vSphere HA restarts its workloads` }];
  const usage = hostUsages(registry);
  for (const w of onHost(registry, host.value.id)) {
    if (!isRunning(w)) continue;
    if (priorityOf(registry, w) === 'disabled') {
      // Left down on its host; once the host is back, the reconciler brings it up as declared.
      const down = w.type === 'Pod' ? { phase: 'Pending' as const } : { powerState: 'PoweredOff' as const };
      registry.put({ ...w, ...down, recovery: { state: 'waiting', reason: 'host-failure', priority: 'disabled' } } as Workload);
      events.push({ type: 'Warning', reason: 'HaRestartDisabled', object: label(w), message: 'restart priority is disabled: left down until its host is back' });
      continue;
    }
    restartElsewhere(registry, w, usage, now, events);
  }
  return ok({ events });
}

/** Retries every workload waiting for a host (after capacity came back). */
function retryWaiting(registry: InventoryRegistry, now: number, events: Events): void {
  const usage = hostUsages(registry);
  const waiting = [...registry.list('VirtualMachine'), ...registry.list('Pod')].filter((w) => w.recovery?.state === 'waiting');
  for (const w of waiting) {
    const home = registry.get('Host', w.host);
    if (w.recovery!.priority === 'disabled') {
      if (home?.state !== 'connected') continue;
      if (w.type === 'Pod') {
        // A pod has no declared power state: its pod VM boots again on its host.
        registry.put({ ...w, recovery: { ...w.recovery!, state: 'restarting' } });
        scheduleTask(registry, HA_RESTART, w.id, now + simulatorSettings(registry).delays.podStartMs);
      } else {
        const { recovery: _r, ...rest } = w;
        registry.put(rest as Workload);
      }
    } else if (w.recovery!.reason === 'maintenance') evacuate(registry, w, usage, now, events);
    else if (home?.state === 'connected') {
      // Its own host is back: HA restarts it there.
      registry.put({ ...w, recovery: { ...w.recovery!, state: 'restarting' } } as Workload);
      scheduleTask(registry, HA_RESTART, w.id, now + simulatorSettings(registry).delays.haRestartMs);
    } else restartElsewhere(registry, w, usage, now, events);
  }
}

/** Brings a failed host back; workloads still waiting for a host get another chance. */
export function recoverHost(registry: InventoryRegistry, hostName: string, now: number): TaskResult<TaskOutcome> {
  const host = findHost(registry, hostName);
  if (!host.ok) return host;
  if (host.value.state !== 'notResponding') return fail('InvalidArgument', `host ${hostName} has not failed`);
  registry.put({ ...host.value, state: 'connected' });
  const events: Events = [{ type: 'Normal', reason: 'HostRecovered', object: `Host/${hostName}`, message: `${hostName} is connected again` }];
  retryWaiting(registry, now, events);
  return ok({ events });
}

function evacuate(registry: InventoryRegistry, w: Workload, usage: HostUsage[], now: number, events: Events): void {
  const running = isRunning(w);
  const target = placeVm(usage.filter((u) => u.host.id !== w.host), requestOf(registry, w, running), simulatorSettings(registry).seed, 0);
  if (!target.ok) {
    registry.put({ ...w, recovery: { state: 'waiting', reason: 'maintenance', priority: priorityOf(registry, w) } } as Workload);
    events.push({ type: 'Warning', reason: 'EvacuationWaiting', object: label(w), message: `no host can take it: ${target.error.message}` });
    return;
  }
  const { recovery: _r, ...rest } = w;
  const moved = migrate(registry, rest as Workload, target.value.host.id, now, 'maintenance mode');
  if (moved.ok) addLoad(target.value, workloadLoad(moved.value));
}

/** Puts a host in maintenance mode: no new placements, its workloads leave by vMotion. */
export function enterMaintenance(registry: InventoryRegistry, hostName: string, now: number): TaskResult<TaskOutcome> {
  const host = findHost(registry, hostName);
  if (!host.ok) return host;
  if (host.value.state !== 'connected') return fail('InvalidArgument', `host ${hostName} is ${host.value.state}`);
  registry.put({ ...host.value, state: 'maintenance' });
  const events: Events = [];
  const usage = hostUsages(registry);
  const leaving = onHost(registry, host.value.id).filter((w) => !w.migration);
  for (const w of leaving) evacuate(registry, w, usage, now, events);
  const waiting = events.filter((e) => e.reason === 'EvacuationWaiting').length;
  events.unshift({ type: 'Normal', reason: 'EnteringMaintenance', object: `Host/${hostName}`, message: `evacuating ${leaving.length - waiting} workload(s) by vMotion${waiting ? `; ${waiting} wait for a host` : ''}` });
  return ok({ events });
}

/** Takes a host out of maintenance mode. */
export function exitMaintenance(registry: InventoryRegistry, hostName: string, now: number): TaskResult<TaskOutcome> {
  const host = findHost(registry, hostName);
  if (!host.ok) return host;
  if (host.value.state !== 'maintenance') return fail('InvalidArgument', `host ${hostName} is not in maintenance mode`);
  registry.put({ ...host.value, state: 'connected' });
  for (const w of onHost(registry, host.value.id)) {
    if (w.recovery?.reason === 'maintenance') {
      const { recovery: _r, ...rest } = w;
      registry.put(rest as Workload);
    }
  }
  const events: Events = [{ type: 'Normal', reason: 'ExitedMaintenance', object: `Host/${hostName}`, message: `${hostName} takes workloads again` }];
  retryWaiting(registry, now, events);
  return ok({ events });
}

/** A workload restarted by HA is up on its new host. */
export const completeHaRestart: TaskCompletion = (registry, task, now) => {
  const w = registry.get('VirtualMachine', task.target) ?? registry.get('Pod', task.target);
  if (!w?.recovery) return ok({ events: [] });
  const { recovery, ...rest } = w;
  const up = w.type === 'Pod' ? { phase: 'Running' as const, startedAt: now } : { powerState: 'PoweredOn' as const };
  registry.put({ ...rest, ...up } as Workload);
  const host = registry.get('Host', w.host)?.name ?? w.host;
  return ok({ events: [{ type: 'Normal', reason: 'HaRestarted', object: label(w), message: `running again on ${host} (priority ${(recovery as Recovery).priority})` }] });
};
