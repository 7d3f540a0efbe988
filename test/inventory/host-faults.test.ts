/** vSphere HA and maintenance mode: failed hosts' workloads restart elsewhere in priority order; maintenance evacuates. */
import { describe, expect, it } from 'vitest';
import { enterMaintenance, exitMaintenance, failHost, recoverHost } from '../../daemon/inventory/host-faults.js';
import type { InventoryRegistry } from '../../daemon/inventory/registry.js';
import type { TaskOutcome } from '../../daemon/inventory/tasks.js';
import type { TaskResult } from '../../daemon/inventory/model/faults.js';
import type { DaemonStore } from '../../daemon/store/ports.js';
import { manifests, namespaceYaml, planOf, useInventoryStore, vmYaml } from '../support/fixtures.js';
import { advanceAndRunTasks, clock, planAndApply } from '../support/reconcile.js';
import { podYaml } from '../reconcilers/supervisor/workloads.js';

const ctx = useInventoryStore();

function hostAction(registry: InventoryRegistry, store: DaemonStore, action: (r: InventoryRegistry, host: string, now: number) => TaskResult<TaskOutcome>, host: string): TaskOutcome {
  const { result } = registry.transaction(
    () => {
      const r = action(registry, host, clock.now());
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    },
    (changes, outcome) => store.commitStep(changes, [], outcome.events.map((e) => ({ ...e, time: new Date(clock.now()).toISOString() }))),
  );
  return result;
}

const policy = (ns: string, priority: string) => `apiVersion: pacific.dev/v1alpha1\nkind: NamespacePolicy\nmetadata: {name: p, namespace: ${ns}}\nspec:\n  ha: {restartPriority: ${priority}}\n`;

/** Three namespaces of different restart priority, each with VMs and pods spread over the hosts. */
function workloads(): ReturnType<typeof manifests> {
  const files: Record<string, string> = {};
  for (const [ns, priority] of [['crit', 'highest'], ['batch', 'lowest'], ['lab', 'disabled']] as const) {
    files[`${ns}.yaml`] = namespaceYaml(ns) + '---\n' + policy(ns, priority);
    files[`${ns}-vms.yaml`] = Array.from({ length: 8 }, (_, i) => vmYaml(ns, `vm-${i}`)).join('---\n');
    files[`${ns}-pods.yaml`] = Array.from({ length: 4 }, (_, i) => podYaml(ns, `pod-${i}`)).join('---\n');
  }
  return manifests(files);
}

const all = (r: InventoryRegistry) => [...r.list('VirtualMachine'), ...r.list('Pod')];
const hostId = (r: InventoryRegistry, name: string) => r.list('Host').find((h) => h.name === name)!.id;

describe('host failure (vSphere HA)', () => {
  it('restarts every running workload of the failed host elsewhere, highest priority first, none duplicated', async () => {
    const desired = workloads();
    await planAndApply(desired, ctx.registry, ctx.store);
    advanceAndRunTasks(ctx.registry, ctx.store, 300);
    const failed = hostId(ctx.registry, 'esx-02.pacific.local');
    const victims = all(ctx.registry).filter((w) => w.host === failed);
    expect(victims.length).toBeGreaterThan(3);
    const before = all(ctx.registry).length;

    const outcome = hostAction(ctx.registry, ctx.store, failHost, 'esx-02.pacific.local');
    expect(outcome.events[0]).toMatchObject({ reason: 'HostFailed' });
    const restarting = all(ctx.registry).filter((w) => w.recovery?.state === 'restarting');
    expect(restarting.every((w) => w.host !== failed)).toBe(true);
    expect(restarting.length).toBe(victims.filter((w) => w.namespace !== 'lab').length);
    // Priority tiers restart in order: every highest-priority restart is due before any lowest.
    const due = (ns: string) => ctx.registry.list('Task').filter((t) => t.kind === 'HaRestart' && ctx.registry.get(ctx.registry.get('VirtualMachine', t.target) ? 'VirtualMachine' : 'Pod', t.target)!.namespace === ns).map((t) => t.dueAt);
    expect(Math.max(...due('crit'))).toBeLessThan(Math.min(...due('batch')));
    // While HA restarts them, the GitOps plan leaves them alone.
    expect(planOf(desired, ctx.registry, ctx.store.ownership()).changes).toEqual([]);

    for (let i = 0; i < 6; i++) advanceAndRunTasks(ctx.registry, ctx.store, 1500);
    const now = all(ctx.registry);
    expect(now.length).toBe(before);
    expect(new Set(now.map((w) => `${w.namespace}/${w.name}`)).size).toBe(before);
    const up = (w: (typeof now)[number]) => (w.type === 'Pod' ? w.phase === 'Running' : w.powerState === 'PoweredOn');
    expect(now.filter((w) => w.namespace !== 'lab').every(up)).toBe(true);
    expect(now.filter((w) => w.host === failed).every((w) => w.namespace === 'lab' && !up(w))).toBe(true);
    const restarted = ctx.store.recentEvents(200).filter((e) => e.reason === 'HaRestarted');
    expect(restarted).toHaveLength(restarting.length);
    // The host comes back: what HA left down (priority disabled) is the reconciler's to power on.
    hostAction(ctx.registry, ctx.store, recoverHost, 'esx-02.pacific.local');
    await planAndApply(desired, ctx.registry, ctx.store);
    advanceAndRunTasks(ctx.registry, ctx.store, 300);
    expect(all(ctx.registry).every(up)).toBe(true);
  });

  it('keeps what no surviving host can take waiting, and restarts it when its host recovers', async () => {
    // Guaranteed 4xlarge VMs reserve 41.6 GHz: with HA's one-host reserve, three hosts carry nine and the fourth keeps the spare.
    const desired = manifests({ 'ns.yaml': namespaceYaml('big'), 'vms.yaml': Array.from({ length: 9 }, (_, i) => vmYaml('big', `g-${i}`, { className: 'guaranteed-4xlarge' })).join('---\n') });
    await planAndApply(desired, ctx.registry, ctx.store);
    hostAction(ctx.registry, ctx.store, failHost, 'esx-01.pacific.local');
    hostAction(ctx.registry, ctx.store, failHost, 'esx-03.pacific.local');
    const waiting = all(ctx.registry).filter((w) => w.recovery?.state === 'waiting');
    expect(waiting.length).toBeGreaterThan(0);
    expect(ctx.store.recentEvents(50).some((e) => e.reason === 'HaRestartWaiting')).toBe(true);
    hostAction(ctx.registry, ctx.store, recoverHost, 'esx-01.pacific.local');
    hostAction(ctx.registry, ctx.store, recoverHost, 'esx-03.pacific.local');
    for (let i = 0; i < 4; i++) advanceAndRunTasks(ctx.registry, ctx.store, 1500);
    expect(ctx.registry.list('VirtualMachine').every((vm) => vm.powerState === 'PoweredOn' && !vm.recovery)).toBe(true);
    expect(ctx.registry.list('VirtualMachine')).toHaveLength(9);
  });
});

describe('maintenance mode', () => {
  it('evacuates every VM and pod by vMotion, at most 8 at a time per host, and takes workloads again on exit', async () => {
    await planAndApply(workloads(), ctx.registry, ctx.store);
    advanceAndRunTasks(ctx.registry, ctx.store, 300);
    const host = hostId(ctx.registry, 'esx-03.pacific.local');
    const leaving = all(ctx.registry).filter((w) => w.host === host).length;
    expect(leaving).toBeGreaterThan(8);
    hostAction(ctx.registry, ctx.store, enterMaintenance, 'esx-03.pacific.local');
    expect(all(ctx.registry).filter((w) => w.host === host)).toEqual([]);
    const due = ctx.registry.list('Task').filter((t) => t.kind === 'VMotionCompleted').map((t) => t.dueAt);
    expect(due).toHaveLength(leaving);
    expect(Math.max(...[...new Set(due)].map((d) => due.filter((x) => x === d).length))).toBeLessThanOrEqual(8);
    // New workloads avoid the host while it is in maintenance.
    const plan = planOf(manifests({ 'ns.yaml': namespaceYaml('late'), 'vms.yaml': Array.from({ length: 6 }, (_, i) => vmYaml('late', `v${i}`)).join('---\n') }), ctx.registry);
    expect(plan.changes.filter((c) => c.kind === 'VirtualMachine').every((c) => c.admission.placement!.host !== 'esx-03.pacific.local')).toBe(true);
    for (let i = 0; i < 6; i++) advanceAndRunTasks(ctx.registry, ctx.store, 2000);
    expect(all(ctx.registry).filter((w) => w.migration)).toEqual([]);
    hostAction(ctx.registry, ctx.store, exitMaintenance, 'esx-03.pacific.local');
    expect(ctx.registry.get('Host', host)!.state).toBe('connected');
  });
});
