/**
 * Incremental passes against a real bare repo and store. The harness turns `verifyPasses` on, so
 * every incremental plan is also made in full and every merged status rebuilt in full: a pass
 * that would differ from a full one throws. These tests drive the situations where scoping could
 * go wrong, and check which scope each pass took.
 */
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failHost, recoverHost } from '../../daemon/inventory/host-faults.js';
import { TaskRunner } from '../../daemon/simulator/task-runner.js';
import { TASK_COMPLETIONS } from '../../daemon/inventory/task-kinds.js';
import { adminVirtualMachine } from '../../daemon/inventory/admin.js';
import type { TaskResult } from '../../daemon/inventory/model/faults.js';
import { namespaceYaml, vmYaml } from '../support/fixtures.js';
import { deploymentYaml } from '../reconcilers/supervisor/workloads.js';
import { clockAt } from '../support/clock.js';
import { controllerHarness, type Harness } from '../support/controller.js';
import { CAPACITY_RETRY_MS } from '../../daemon/controller/capacity-holds.js';

let h: Harness;
beforeEach(() => {
  h = controllerHarness();
});
afterEach(() => h.cleanup());

const vm = (ns: string, name: string) => h.registry.find('VirtualMachine', ns, name);
const status = (name: string) => h.controller.objectStatuses().find((s) => s.name === name);
const pass = (reason: 'watch' | 'resync' | 'startup' | 'task' | 'manual' | 'requeue' = 'watch') => h.controller.reconcile({ reason });
const scope = () => h.controller.lastScope;

/** An out-of-band change, committed as the simulator admin commits one. */
function outOfBand(fn: () => TaskResult<unknown> | void): void {
  h.registry.transaction(
    () => {
      const r = fn();
      if (r && !r.ok) throw new Error(r.error.message);
    },
    (changes) => h.store.commitStep(changes, [], []),
  );
}

/** Three namespaces with two VMs each. */
function threeTeams(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const ns of ['team-a', 'team-b', 'team-c']) {
    files[`platform/${ns}.yaml`] = namespaceYaml(ns, { 'limits.cpu': 16 });
    for (const name of ['web', 'db']) files[`namespaces/${ns}/${name}.yaml`] = vmYaml(ns, `${ns}-${name}`);
  }
  return files;
}

/** A first pass, the pass that checks its own changes, and a settled one. */
async function settle(): Promise<void> {
  await pass('startup');
  expect(scope()).toMatchObject({ scope: 'full' });
  await pass('resync');
  await pass('resync');
  expect(scope()).toEqual({ scope: 'skipped' });
}

describe('incremental passes', () => {
  it('run a manual reconcile (POST /reconcile) on the settled head instead of skipping it', async () => {
    h.push(threeTeams());
    await settle();
    await pass('manual');
    expect(scope()?.scope).not.toBe('skipped');
    await pass('watch');
    expect(scope()).toEqual({ scope: 'skipped' });
  });

  it('plan only the namespaces a push changed, and the objects there as a full plan would', async () => {
    h.push(threeTeams());
    await settle();
    const head = h.push({ 'namespaces/team-b/web.yaml': vmYaml('team-b', 'team-b-web', { powerState: 'PoweredOff' }) });
    expect(await pass()).toMatchObject({ result: 'applied', revision: head });
    expect(scope()).toEqual({ scope: 'incremental', namespaces: ['team-b'] });
    expect(vm('team-b', 'team-b-web')!.powerState).toBe('PoweredOff');
    expect(status('team-b-web')!.fields).toMatchObject({ powerState: 'PoweredOff' });
    // The next pass checks what this one changed; the one after finds nothing.
    expect(await pass('resync')).toMatchObject({ result: 'unchanged' });
    expect(scope()).toEqual({ scope: 'incremental', namespaces: ['team-b'] });
    await pass('resync');
    expect(scope()).toEqual({ scope: 'skipped' });
  });

  it('prune what a deleted file declared, and add what a new file declares', async () => {
    h.push(threeTeams());
    await settle();
    h.push({ 'namespaces/team-a/db.yaml': null, 'namespaces/team-c/cache.yaml': vmYaml('team-c', 'team-c-cache') });
    await pass();
    expect(scope()).toEqual({ scope: 'incremental', namespaces: ['team-a', 'team-c'] });
    expect(vm('team-a', 'team-a-db')).toBeUndefined();
    expect(vm('team-c', 'team-c-cache')).toBeDefined();
    expect(status('team-a-db')).toBeUndefined();
    expect(h.store.objectStatuses().some((s) => s.name === 'team-a-db')).toBe(false);
  });

  it('correct drift made out of band, planning only the namespace it happened in', async () => {
    h.push(threeTeams());
    await settle();
    outOfBand(() => adminVirtualMachine(h.registry, 'team-c', 'team-c-db', { action: 'power-off' }));
    await pass('resync');
    expect(scope()).toEqual({ scope: 'incremental', namespaces: ['team-c'] });
    expect(vm('team-c', 'team-c-db')!.powerState).toBe('PoweredOn');
    expect(h.store.recentEvents(20).some((e) => e.reason === 'DriftCorrected' && e.object === 'VirtualMachine/team-c/team-c-db')).toBe(true);
    outOfBand(() => adminVirtualMachine(h.registry, 'team-a', 'team-a-web', { action: 'delete' }));
    await pass('resync');
    expect(vm('team-a', 'team-a-web')).toBeDefined();
  });

  it('hold a namespace refused for capacity out of other namespaces\' passes, and plan it again once capacity may be free', async () => {
    // One guaranteed-8xlarge VM per host: it reserves 32 of a host's 48 cores.
    const big = (ns: string, name: string) => vmYaml(ns, name, { className: 'guaranteed-8xlarge' });
    h.push({
      'platform/team-a.yaml': namespaceYaml('team-a'),
      'platform/team-b.yaml': namespaceYaml('team-b'),
      'platform/team-c.yaml': namespaceYaml('team-c'),
      'namespaces/team-a/a1.yaml': big('team-a', 'a1'),
      'namespaces/team-a/a2.yaml': big('team-a', 'a2'),
      'namespaces/team-a/a3.yaml': big('team-a', 'a3'),
      'namespaces/team-a/a4.yaml': big('team-a', 'a4'),
    });
    await settle();
    h.push({ 'namespaces/team-b/b1.yaml': big('team-b', 'b1') });
    expect(await pass()).toMatchObject({ requeueAfterMs: expect.any(Number) });
    expect(status('b1')!.conditions[0]).toMatchObject({ status: 'False', reason: 'InsufficientResources' });
    // A requeue with nothing changed is skipped, and still reports the waiting object.
    await pass('resync');
    await pass('resync');
    expect(scope()).toEqual({ scope: 'skipped' });
    expect(h.controller.state().conditions.find((c) => c.type === 'Ready')).toMatchObject({ reason: 'WaitingForCapacity' });
    // Another team's push plans that team only: team B's refusal is not tried again, and still reported.
    h.push({ 'namespaces/team-c/c1.yaml': vmYaml('team-c', 'c1') });
    expect(await pass()).toMatchObject({ requeueAfterMs: expect.any(Number) });
    expect(scope()).toEqual({ scope: 'incremental', namespaces: ['team-c'] });
    expect(vm('team-c', 'c1')).toBeDefined();
    expect(status('b1')!.conditions[0]).toMatchObject({ status: 'False', reason: 'InsufficientResources' });
    expect(h.controller.state().conditions.find((c) => c.type === 'Ready')).toMatchObject({ reason: 'WaitingForCapacity' });
    // Once the retry delay has passed, the next pass tries it again (capacity may be free without a removal).
    await pass('resync');
    expect(scope()).toEqual({ scope: 'incremental', namespaces: ['team-c'] });
    h.clock.advance(CAPACITY_RETRY_MS);
    await pass('task');
    expect(scope()).toEqual({ scope: 'incremental', namespaces: ['team-b'] });
    expect(vm('team-b', 'b1')).toBeUndefined();
    // Team A lets a VM go: the deletion runs after creates, so team B's VM gets in at the pass after.
    h.push({ 'namespaces/team-a/a3.yaml': null });
    await pass();
    expect(scope()).toEqual({ scope: 'incremental', namespaces: ['team-a'] });
    await pass('resync');
    expect(scope()).toEqual({ scope: 'incremental', namespaces: ['team-a', 'team-b'] });
    expect(vm('team-b', 'b1')).toBeDefined();
    expect(status('b1')!.conditions[0]).toMatchObject({ status: 'True' });
  });

  it('plan a push before another namespace\'s carried-over rollout, and that rollout in the pass right after', async () => {
    h.push({ ...threeTeams(), 'platform/team-d.yaml': namespaceYaml('team-d'), 'namespaces/team-d/web-pods.yaml': deploymentYaml('team-d', 'web-pods', 300) });
    await pass('startup');
    const pods = () => h.registry.inNamespace('Pod', 'team-d').length;
    // Slow start: 64 pods, then the rollout goes on a batch a pass.
    expect(pods()).toBe(64);
    h.push({ 'namespaces/team-b/cache.yaml': vmYaml('team-b', 'team-b-cache') });
    // The push's pass plans team B only, not team D's next batch, and asks for the next pass at once.
    expect(await pass()).toMatchObject({ requeueAfterMs: 0 });
    expect(scope()).toEqual({ scope: 'incremental', namespaces: ['team-b'] });
    expect(vm('team-b', 'team-b-cache')).toBeDefined();
    expect(pods()).toBe(64);
    // Another push right away does not hold what waited back twice (team D, and team A's VMs still
    // starting); team B's own check of its new VM waits for the next pass in turn.
    h.push({ 'namespaces/team-c/cache.yaml': vmYaml('team-c', 'team-c-cache') });
    await pass('requeue');
    expect(scope()).toEqual({ scope: 'incremental', namespaces: ['team-a', 'team-c', 'team-d'] });
    expect(pods()).toBe(128);
    expect(status('web-pods')!.conditions[0]).toMatchObject({ status: 'False' });
  });

  it('replan every member when a namespace-wide setting changes, and everything when a host fails', async () => {
    h.push(threeTeams());
    await settle();
    h.push({ 'platform/team-a.yaml': namespaceYaml('team-a', { 'limits.cpu': 2 }) });
    await pass();
    expect(scope()).toEqual({ scope: 'incremental', namespaces: ['team-a'] });
    await pass('resync');
    outOfBand(() => failHost(h.registry, h.registry.list('Host')[0]!.name, Date.parse('2026-11-21T12:00:00Z')));
    await pass('resync');
    expect(scope()).toMatchObject({ scope: 'full', reason: expect.stringContaining('Host') });
  });

  it('follow tasks: a pod started by the simulator updates its namespace only', async () => {
    h.push({
      'platform/team-a.yaml': namespaceYaml('team-a'),
      'platform/team-b.yaml': namespaceYaml('team-b'),
      'namespaces/team-a/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: worker, namespace: team-a}\nspec:\n  containers: [{name: main, image: busybox}]\n',
      'namespaces/team-b/vm.yaml': vmYaml('team-b', 'b1'),
    });
    await pass('startup');
    expect(status('worker')!.fields).toMatchObject({ phase: 'Pending' });
    const runner = new TaskRunner({ registry: h.registry, store: h.store, clock: clockAt('2026-11-21T12:01:00Z'), completions: TASK_COMPLETIONS, onCompleted: () => {}, log: pino({ level: 'silent' }) });
    expect(runner.runDue()).toBeGreaterThan(0);
    runner.stop();
    await pass('task');
    expect(scope()).toMatchObject({ scope: 'incremental', namespaces: expect.arrayContaining(['team-a']) });
    expect(status('worker')!.fields).toMatchObject({ phase: 'Running' });
  });

  it('apply a valid commit after an invalid one against what the invalid one changed', async () => {
    h.push(threeTeams());
    await settle();
    h.push({ 'namespaces/team-a/web.yaml': vmYaml('team-a', 'team-a-web', { powerState: 'PoweredOff' }), 'namespaces/team-b/bad.yaml': 'kind: VirtualMachine\n' });
    expect((await pass()).result).toBe('invalid');
    expect(vm('team-a', 'team-a-web')!.powerState).toBe('PoweredOn');
    h.push({ 'namespaces/team-b/bad.yaml': null });
    expect((await pass()).result).toBe('applied');
    expect(vm('team-a', 'team-a-web')!.powerState).toBe('PoweredOff');
  });
});

describe('a restart', () => {
  it('on the head it left settled plans nothing, until the first resync plans everything', async () => {
    h.push(threeTeams());
    await settle();
    const restarted = h.restart();
    expect(await restarted.reconcile({ reason: 'startup' })).toMatchObject({ result: 'unchanged' });
    expect(restarted.lastScope).toEqual({ scope: 'skipped' });
    expect(restarted.objectStatuses()).toEqual(h.controller.objectStatuses());
    await restarted.reconcile({ reason: 'resync' });
    expect(restarted.lastScope).toMatchObject({ scope: 'full' });
  });

  it('after a step was committed since, or on another head, plans everything at once', async () => {
    h.push(threeTeams());
    await settle();
    outOfBand(() => adminVirtualMachine(h.registry, 'team-a', 'team-a-db', { action: 'power-off' }));
    const restarted = h.restart();
    await restarted.reconcile({ reason: 'startup' });
    expect(restarted.lastScope).toMatchObject({ scope: 'full' });
    expect(vm('team-a', 'team-a-db')!.powerState).toBe('PoweredOn');
    await restarted.reconcile({ reason: 'resync' });
    await restarted.reconcile({ reason: 'resync' });
    expect(restarted.lastScope).toEqual({ scope: 'skipped' });
    h.push({ 'namespaces/team-c/web.yaml': vmYaml('team-c', 'team-c-web', { powerState: 'PoweredOff' }) });
    const again = h.restart();
    await again.reconcile({ reason: 'startup' });
    expect(again.lastScope).toMatchObject({ scope: 'full' });
    expect(vm('team-c', 'team-c-web')!.powerState).toBe('PoweredOff');
  });
});

describe('a random walk of pushes, drift and faults', () => {
  // Seeded, so a failure reproduces; every incremental pass is checked against a full one.
  it('never lets an incremental pass differ from a full one', async () => {
    let seed = 20261121;
    // mulberry32
    const random = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * n | 0;
    };
    const teams = ['team-a', 'team-b', 'team-c'];
    const files = threeTeams();
    h.push(files);
    await pass('startup');
    const scopes = new Set<string>();
    for (let step = 0; step < 40; step++) {
      const ns = teams[random(teams.length)]!;
      const name = `${ns}-${['web', 'db', 'cache', 'queue'][random(4)]}`;
      const path = `namespaces/${ns}/${name.slice(ns.length + 1)}.yaml`;
      switch (random(8)) {
        case 0:
          h.push({ [path]: files[path] ? null : vmYaml(ns, name) });
          files[path] = files[path] ? '' : 'x';
          if (!files[path]) delete files[path];
          break;
        case 1:
          h.push({ [path]: vmYaml(ns, name, { powerState: random(2) ? 'PoweredOff' : 'PoweredOn', className: random(2) ? 'best-effort-small' : 'best-effort-medium' }) });
          files[path] = 'x';
          break;
        case 2:
          h.push({ [`platform/${ns}.yaml`]: namespaceYaml(ns, { 'limits.cpu': 2 + 2 * random(6) }) });
          break;
        case 3: {
          const live = vm(ns, name);
          if (live) outOfBand(() => adminVirtualMachine(h.registry, ns, name, { action: random(2) ? 'delete' : live.powerState === 'PoweredOn' ? 'power-off' : 'power-on' }));
          break;
        }
        case 4:
          h.push({ [path]: 'kind: VirtualMachine\n' });
          files[path] = 'x';
          break;
        case 5: {
          const host = h.registry.list('Host')[random(4)]!;
          const at = Date.parse('2026-11-21T12:00:00Z');
          outOfBand(() => (host.state === 'connected' ? failHost(h.registry, host.name, at) : recoverHost(h.registry, host.name, at)));
          break;
        }
        default:
          await pass('resync');
          break;
      }
      await pass(random(2) ? 'watch' : 'resync');
      scopes.add(scope()!.scope);
    }
    expect([...scopes].sort()).toEqual(['full', 'incremental', 'skipped']);
  });
});
