/** The prune bound in the pass, against a real bare repo and store: held revisions, confirmation, restarts. */
import { afterEach, describe, expect, it } from 'vitest';
import { confirmPrune } from '../../daemon/controller/prune-guard.js';
import { parsePruneLimit } from '../../daemon/plan/prune-bound.js';
import { controllerHarness, type Harness } from '../support/controller.js';
import { namespaceYaml, vmYaml } from '../support/fixtures.js';
import { deploymentYaml } from '../reconcilers/supervisor/workloads.js';

let h: Harness;
afterEach(() => h.cleanup());

const vms = (...names: string[]) => Object.fromEntries(names.map((n) => [`vms/${n}.yaml`, vmYaml('team-a', n)]));
const gone = (...names: string[]) => Object.fromEntries(names.map((n) => [`vms/${n}.yaml`, null]));
const liveVms = () => h.registry.list('VirtualMachine').map((v) => v.name).sort();
const ready = () => h.controller.state().conditions.find((c) => c.type === 'Ready')!;

/** A namespace and four VMs: six objects pacific created (the namespace's quota included). */
async function applyBase(limit = '50%'): Promise<string> {
  h = controllerHarness({ pruneLimit: parsePruneLimit(limit) });
  const head = h.push({ 'ns.yaml': namespaceYaml('team-a', { 'limits.cpu': 64 }), ...vms('a', 'b', 'c', 'd') });
  expect((await h.controller.reconcile({ reason: 'startup' })).result).toBe('applied');
  expect(liveVms()).toEqual(['a', 'b', 'c', 'd']);
  return head;
}

describe('prune bound', () => {
  it('holds a commit that deletes everything: nothing deleted, nothing of it created, Ready=False/PruneHeld with the counts', async () => {
    const good = await applyBase();
    const bad = h.push({ 'ns.yaml': null, ...gone('a', 'b', 'c', 'd'), 'other/ns.yaml': namespaceYaml('team-z') });
    expect(await h.controller.reconcile({ reason: 'watch' })).toEqual({ result: 'held', revision: bad });
    expect(liveVms()).toEqual(['a', 'b', 'c', 'd']);
    expect(h.registry.find('Namespace', '', 'team-z')).toBeUndefined();
    const state = h.controller.state();
    expect(state).toMatchObject({ lastAppliedRevision: good, lastAttemptedRevision: bad, headRevision: bad });
    expect(state.pruneHold).toMatchObject({ revision: bad, deletes: 6, managed: 6, share: 1, limit: '50%' });
    expect(ready()).toMatchObject({ status: 'False', reason: 'PruneHeld' });
    expect(ready().message).toContain('would delete 6 of 6 object(s) pacific created (100%), more than --max-prune 50%');
    expect(ready().message).toContain(`POST /prune/confirm {"revision":"${bad}"}`);
    expect(h.store.recentEvents(5).filter((e) => e.reason === 'PruneHeld')).toHaveLength(1);

    // Still held at the next pass, and drift is still corrected against the applied revision.
    h.registry.transaction(() => h.registry.remove(h.registry.find('VirtualMachine', 'team-a', 'a')!.id));
    expect((await h.controller.reconcile({ reason: 'resync' })).result).toBe('held');
    expect(liveVms()).toEqual(['a', 'b', 'c', 'd']);
    expect(h.store.recentEvents(20).filter((e) => e.reason === 'PruneHeld')).toHaveLength(1);
  });

  it('applies a held revision once that revision is confirmed, and the confirmation survives a restart', async () => {
    await applyBase();
    const bad = h.push(gone('a', 'b', 'c', 'd'));
    expect((await h.controller.reconcile({ reason: 'watch' })).result).toBe('held');
    expect(confirmPrune(h.store, h.controller.state(), bad)).toEqual({ ok: true, revision: bad });
    const restarted = h.restart();
    expect(await restarted.reconcile({ reason: 'startup' })).toMatchObject({ result: 'applied', revision: bad });
    expect(liveVms()).toEqual([]);
    expect(restarted.state().pruneHold).toBeUndefined();
    expect(restarted.state().conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True' });
  });

  it('never lets a confirmation through to another revision', async () => {
    await applyBase();
    const first = h.push(gone('a', 'b', 'c', 'd'));
    expect((await h.controller.reconcile({ reason: 'watch' })).result).toBe('held');
    const later = h.push({ 'ns.yaml': null });
    expect(confirmPrune(h.store, h.controller.state(), later)).toMatchObject({ ok: false, status: 409, message: `revision ${later} is not held; the held revision is ${first}` });
    expect(confirmPrune(h.store, h.controller.state(), 'HEAD')).toMatchObject({ ok: false, status: 400 });
    expect(confirmPrune(h.store, h.controller.state(), first)).toMatchObject({ ok: true });
    // The branch moved on before the pass: the confirmed revision is not the head, the head is held.
    expect(await h.controller.reconcile({ reason: 'watch' })).toEqual({ result: 'held', revision: later });
    expect(h.controller.state().pruneHold).toMatchObject({ revision: later, deletes: 6 });
    expect(liveVms()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('applies a prune within the bound at once, and holds nothing when the bound is off', async () => {
    await applyBase();
    h.push(gone('a', 'b', 'c')); // 3 of 6: half, not more than half
    expect((await h.controller.reconcile({ reason: 'watch' })).result).toBe('applied');
    expect(liveVms()).toEqual(['d']);
    h.cleanup();

    await applyBase('off');
    h.push({ 'ns.yaml': null, ...gone('a', 'b', 'c', 'd') });
    expect((await h.controller.reconcile({ reason: 'watch' })).result).toBe('applied');
    expect(liveVms()).toEqual([]);
  });

  it('counts declared objects only: scaling a Deployment down deletes its pods without a hold', async () => {
    h = controllerHarness({ pruneLimit: parsePruneLimit('50%') });
    h.push({ 'ns.yaml': namespaceYaml('team-a'), 'web.yaml': deploymentYaml('team-a', 'web', 8) });
    await h.controller.reconcile({ reason: 'startup' });
    expect(h.registry.list('Pod')).toHaveLength(8);
    h.push({ 'web.yaml': deploymentYaml('team-a', 'web', 1) });
    expect((await h.controller.reconcile({ reason: 'watch' })).result).toBe('applied');
    expect(h.registry.list('Pod')).toHaveLength(1);
    // Deleting the Deployment is one declared object of two; its ReplicaSet and pod follow it.
    h.push({ 'web.yaml': null });
    expect((await h.controller.reconcile({ reason: 'watch' })).result).toBe('applied');
    expect(h.registry.list('Pod')).toHaveLength(0);
  });
});
