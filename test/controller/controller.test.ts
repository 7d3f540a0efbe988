/** The reconcile pass against a real bare repo and store: source states, invalid commits, force-push, drift. */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setPowerState } from '../../daemon/inventory/virtual-machine.js';
import { StoreError } from '../../daemon/store/ports.js';
import { namespaceYaml, vmYaml } from '../support/fixtures.js';
import { controllerHarness, type Harness } from '../support/controller.js';
import { craftedCommit, git } from '../support/git.js';

let h: Harness;
beforeEach(() => {
  h = controllerHarness();
});
afterEach(() => h.cleanup());

const ready = () => h.controller.state().conditions.find((c) => c.type === 'Ready');
const events = () => h.store.recentEvents(50);
const vm = (name: string) => h.registry.find('VirtualMachine', 'team-a', name);
const base = { 'ns.yaml': namespaceYaml('team-a'), 'vms/web-1.yaml': vmYaml('team-a', 'web-1') };

describe('source states', () => {
  it('reports an empty repository without crashing', async () => {
    expect(await h.controller.reconcile({ reason: 'startup' })).toEqual({ result: 'source_unavailable' });
    expect(ready()).toMatchObject({ status: 'False', reason: 'EmptyRepository' });
    expect(events()[0]).toMatchObject({ type: 'Warning', reason: 'EmptyRepository' });
  });

  it('keeps the applied inventory when the branch is deleted, and says so', async () => {
    const head = h.push(base);
    await h.controller.reconcile({ reason: 'startup' });
    git(h.work, 'push', '-q', 'origin', 'HEAD:refs/heads/release');
    git(h.bare, 'update-ref', '-d', 'refs/heads/main');
    expect((await h.controller.reconcile({ reason: 'watch' })).result).toBe('source_unavailable');
    expect(ready()).toMatchObject({ status: 'False', reason: 'BranchNotFound', message: 'branch main does not exist (branches: release)' });
    expect(h.controller.state().lastAppliedRevision).toBe(head);
    expect(vm('web-1')).toBeDefined();
  });

  it('applies a force-push to unrelated history and records it', async () => {
    const first = h.push(base);
    await h.controller.reconcile({ reason: 'startup' });
    git(h.work, 'checkout', '-q', '--orphan', 'rewrite');
    git(h.work, 'rm', '-rq', '--cached', '.');
    const rewritten = h.push({ 'vms/web-1.yaml': null, 'vms/web-2.yaml': vmYaml('team-a', 'web-2') }, 'rewrite');
    const result = await h.controller.reconcile({ reason: 'watch' });
    expect(result).toMatchObject({ result: 'applied', revision: rewritten });
    expect(events().find((e) => e.reason === 'ForcePush')!.message).toContain(`from ${first.slice(0, 12)} to ${rewritten.slice(0, 12)}`);
    expect(vm('web-1')).toBeUndefined();
    expect(vm('web-2')).toBeDefined();
  });
});

describe('invalid commits', () => {
  it('are applied not at all: lastAttemptedRevision moves, lastAppliedRevision stays, every diagnostic is reported', async () => {
    const good = h.push(base);
    await h.controller.reconcile({ reason: 'startup' });
    const bad = h.push({ 'vms/web-2.yaml': vmYaml('team-a', 'web-2'), 'vms/web-3.yaml': vmYaml('team-a', 'web-3', { powerState: 'Offline' }), 'vms/web-4.yaml': 'kind: VirtualMachine\n' });
    expect((await h.controller.reconcile({ reason: 'watch' })).result).toBe('invalid');
    const state = h.controller.state();
    expect(state.lastAppliedRevision).toBe(good);
    expect(state.lastAttemptedRevision).toBe(bad);
    expect(ready()).toMatchObject({ status: 'False', reason: 'ValidationFailed' });
    expect(state.diagnostics.map((d) => `${d.file}:${d.line} ${d.path ?? ''}`)).toEqual(['vms/web-3.yaml:10 spec.powerState', 'vms/web-4.yaml:1 ']);
    expect(vm('web-2')).toBeUndefined(); // the valid part of an invalid commit is not applied either
  });

  it('keep correcting drift against the last good revision', async () => {
    h.push(base);
    await h.controller.reconcile({ reason: 'startup' });
    h.push({ 'vms/broken.yaml': 'apiVersion: v1\nkind: Namespace\n' });
    h.registry.transaction(() => {
      const r = setPowerState(h.registry, vm('web-1')!, 'PoweredOff');
      if (!r.ok) throw new Error(r.error.message);
    });
    await h.controller.reconcile({ reason: 'resync' });
    expect(vm('web-1')!.powerState).toBe('PoweredOn');
    expect(events().some((e) => e.reason === 'DriftCorrected' && e.object === 'VirtualMachine/team-a/web-1')).toBe(true);
  });
});

describe('unreadable revisions', () => {
  it('treat a tree entry named .. as an invalid revision: nothing applied, the reason in status', async () => {
    const good = h.push(base);
    await h.controller.reconcile({ reason: 'startup' });
    const crafted = craftedCommit(h.bare, { namespaces: { '..': { 'vm.yaml': vmYaml('team-b', 'escaped') } } }, good);
    expect((await h.controller.reconcile({ reason: 'watch' })).result).toBe('invalid');
    expect(h.controller.state()).toMatchObject({ lastAppliedRevision: good, lastAttemptedRevision: crafted });
    expect(h.controller.state().diagnostics[0]!.message).toContain('unsafe character sequences');
    expect(vm('web-1')).toBeDefined();
  });
});

describe('objects that cannot be admitted', () => {
  it('wait with a condition and a requeue, without blocking the rest', async () => {
    h.push({ 'ns.yaml': namespaceYaml('team-a', { 'limits.cpu': 2 }), 'vms/a.yaml': vmYaml('team-a', 'a'), 'vms/b.yaml': vmYaml('team-a', 'b') });
    const result = await h.controller.reconcile({ reason: 'startup' });
    expect(result).toMatchObject({ result: 'applied', requeueAfterMs: 10_000 });
    expect(vm('a')).toBeDefined();
    const b = h.controller.objectStatuses().find((s) => s.name === 'b')!;
    expect(b.conditions[0]).toMatchObject({ type: 'Ready', status: 'False', reason: 'QuotaExceeded' });
    expect(b.conditions).toContainEqual(expect.objectContaining({ type: 'VirtualMachineCreated', status: 'False', reason: 'QuotaExceeded' }));
    expect(ready()).toMatchObject({ status: 'False', reason: 'WaitingForCapacity' });
    // Raising the quota lets the waiting VM in at the next pass.
    h.push({ 'ns.yaml': namespaceYaml('team-a', { 'limits.cpu': 4 }) });
    await h.controller.reconcile({ reason: 'watch' });
    expect(vm('b')).toBeDefined();
    expect(ready()).toMatchObject({ status: 'True' });
  });

  it('reports placement failures with NoAvailableHosts on the placement condition', async () => {
    h.registry.transaction(() => {
      for (const host of h.registry.list('Host')) h.registry.put({ ...host, state: 'maintenance' });
    });
    h.push(base);
    await h.controller.reconcile({ reason: 'startup' });
    const web = h.controller.objectStatuses().find((s) => s.name === 'web-1')!;
    expect(web.conditions).toContainEqual(expect.objectContaining({ type: 'VirtualMachineConditionPlacementReady', status: 'False', reason: 'NoAvailableHosts' }));
  });

  it('plan nothing on a second pass of the same revision', async () => {
    h.push(base);
    await h.controller.reconcile({ reason: 'startup' });
    expect((await h.controller.reconcile({ reason: 'resync' })).result).toBe('unchanged');
  });
});

describe('a store that cannot be written', () => {
  it('fails the pass with the store error when its record cannot be saved, shows the failure from memory, and recovers', async () => {
    h.push(base);
    await h.controller.reconcile({ reason: 'startup' });
    // Another connection holds the write lock: the next pass applies nothing, so saving its record is its first write.
    const locker = new Database(h.store.path);
    locker.exec('BEGIN IMMEDIATE');
    try {
      await expect(h.controller.reconcile({ reason: 'resync' })).rejects.toThrow(StoreError);
      expect(ready()).toMatchObject({ status: 'False', reason: 'ReconcileFailed', message: expect.stringContaining('SQLITE_BUSY') });
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
    }
    expect(await h.controller.reconcile({ reason: 'resync' })).toMatchObject({ result: 'unchanged' });
    expect(ready()).toMatchObject({ status: 'True' });
  }, 30_000);
});
