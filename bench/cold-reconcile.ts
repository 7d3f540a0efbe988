/**
 * Cold reconcile: from spawning `pacific serve` on an empty state dir to the head revision being
 * applied, with the daemon's own view of that first pass (duration and per-stage sums) and proof
 * that every VM was placed.
 */
import { getInventory, getStatus, scrape, timeStatus, waitUntilApplied, type AppliedProbe } from './daemon-client.js';
import type { DaemonChild } from './daemon-child.js';
import { readProcessMemory, type ProcessMemory } from './proc-memory.js';
import { stageMs, sumOf } from './prom-text.js';

/** Cold-reconcile figures of one scenario. */
export interface ColdResult {
  /** Spawn → the poll that saw the head applied. */
  readonly wallMs: number;
  /** `pacific_reconcile_duration_seconds_sum` over all passes so far (normally just the first). */
  readonly firstPassMs: number;
  readonly passes: number;
  /** Wall time not spent in a pass: process start, schemas, inventory, git open, HTTP listen, polling. */
  readonly outsidePassMs: number;
  readonly stagesMs: Record<string, number>;
  /** Objects in `/status` (namespaces, quotas, VMs). */
  readonly managedObjects: number;
  readonly placedVms: number;
  readonly hostsUsed: number;
  readonly memory: ProcessMemory;
  /** One `GET /status` after the pass: what polling it costs at this size. */
  readonly statusGet: { readonly ms: number; readonly bytes: number };
}

/** Waits for `head` to be applied by a daemon spawned on a fresh state dir; throws unless every one of `vms` VMs is on a host. */
export async function measureColdReconcile(daemon: DaemonChild, head: string, vms: number, options: { probe: AppliedProbe; timeoutMs: number }): Promise<ColdResult> {
  const seen = await waitUntilApplied(daemon, head, { probe: options.probe, intervalMs: 20, timeoutMs: options.timeoutMs });
  const wallMs = seen - daemon.spawnedAt;
  const memory = readProcessMemory(daemon.pid);
  const samples = await scrape(daemon);
  const firstPassMs = sumOf(samples, 'pacific_reconcile_duration_seconds_sum') * 1000;

  const status = await getStatus(daemon);
  if (status.lastAppliedRevision !== head) throw new Error(`/status shows ${status.lastAppliedRevision} applied, expected ${head}`);
  const inventory = await getInventory(daemon);
  const placed = inventory.virtualMachines.filter((vm) => vm.host);
  if (placed.length !== vms) {
    const ready = status.conditions.find((c) => c.type === 'Ready');
    throw new Error(`only ${placed.length} of ${vms} VMs are placed (${inventory.virtualMachines.length} in the inventory); Ready: ${ready?.reason}: ${ready?.message}`);
  }
  return {
    wallMs,
    firstPassMs,
    passes: sumOf(samples, 'pacific_reconcile_total'),
    outsidePassMs: wallMs - firstPassMs,
    stagesMs: stageMs(samples),
    managedObjects: status.objects.length,
    placedVms: placed.length,
    hostsUsed: inventory.hosts.filter((h) => h.virtualMachines.count > 0).length,
    memory,
    statusGet: await timeStatus(daemon),
  };
}
