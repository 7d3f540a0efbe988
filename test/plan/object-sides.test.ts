/**
 * The live and desired documents `pacific diff -o diff` compares: what the kind sees of the real
 * thing is on the live side, specs are in canonical form, and a Secret's values are masked as
 * kubectl diff masks them.
 */
import { describe, expect, it } from 'vitest';
import { setPowerState } from '../../daemon/inventory/virtual-machine.js';
import { objectSides } from '../../daemon/plan/object-sides.js';
import { objectYaml, unifiedObjectDiff } from '../../daemon/plan/render.js';
import type { Plan } from '../../daemon/plan/types.js';
import { reconcilers } from '../../daemon/reconcilers/index.js';
import { manifests, namespaceYaml, planOf, schemas, TEST_SECRET_HASH, useInventoryStore, vmYaml } from '../support/fixtures.js';
import { planAndApply } from '../support/reconcile.js';

const ctx = useInventoryStore();
const normalize = (a: string, k: string, s: unknown) => schemas.normalizeSpec(a, k, s);

/** The sides of the change to `kind`, against the live object its reconciler observes. */
function sidesOf(plan: Plan, kind: string) {
  const change = plan.changes.find((c) => c.kind === kind)!;
  const live = [...reconcilers.of(change.group, change.kind)!.observe(ctx.registry)].find((o) => o.key === change.key);
  return objectSides(change, live, normalize, TEST_SECRET_HASH);
}

describe('objectSides', () => {
  it('puts what the inventory holds on the live side: a VM powered off out of band and resized', async () => {
    const desired = manifests({ 'ns.yaml': namespaceYaml('team-a'), 'vm.yaml': vmYaml('team-a', 'web') });
    await planAndApply(desired, ctx.registry, ctx.store);
    ctx.registry.transaction(() => {
      const off = setPowerState(ctx.registry, ctx.registry.find('VirtualMachine', 'team-a', 'web')!, 'PoweredOff');
      if (!off.ok) throw new Error(off.error.message);
      ctx.registry.put({ ...off.value, cpus: 8 });
    });
    const { live, desired: want } = sidesOf(planOf(desired, ctx.registry, ctx.store.ownership()), 'VirtualMachine');
    expect(live).toMatchObject({ spec: { powerState: 'PoweredOff' }, status: { hardware: { cpus: 8 } } });
    expect(want).toMatchObject({ spec: { powerState: 'PoweredOn' }, status: { hardware: { cpus: 2 } } });
    const diff = unifiedObjectDiff('VirtualMachine/team-a/web', objectYaml(live), objectYaml(want));
    expect(diff).toContain('-  powerState: PoweredOff\n+  powerState: PoweredOn\n');
    expect(diff).toContain('-    cpus: 8\n+    cpus: 2\n');
  });

  it('shows both specs in canonical form, so a spelling is not a change', async () => {
    const quota = (memory: string, cpu: number) => manifests({ 'ns.yaml': namespaceYaml('team-a', { 'limits.memory': memory, 'limits.cpu': cpu }) });
    await planAndApply(quota('64Gi', 8), ctx.registry, ctx.store);
    const sides = sidesOf(planOf(quota('65536Mi', 10), ctx.registry, ctx.store.ownership()), 'ResourceQuota');
    expect(unifiedObjectDiff('ResourceQuota/team-a/compute', objectYaml(sides.live), objectYaml(sides.desired))).toMatch(/^-    limits\.cpu: '8'\n\+    limits\.cpu: '10'\n(?![-+])/m);
    expect(objectYaml(sides.desired)).toContain("limits.memory: 64Gi");
  });

  it("masks a Secret's values on both sides: each key changed or unchanged with its value's salted hash, a key on one side with its hash", async () => {
    const secret = (values: string) => manifests({ 'ns.yaml': namespaceYaml('team-a'), 's.yaml': `apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: team-a}\n${values}` });
    await planAndApply(secret('stringData: {password: planted-old, user: admin}\ndata: {base: cGxhbnRlZC1iYXNl}\n'), ctx.registry, ctx.store);
    const { live, desired } = sidesOf(planOf(secret('stringData: {password: planted-new, user: admin, token: planted-token}\n'), ctx.registry, ctx.store.ownership()), 'Secret');
    const h = (section: string, value: string) => TEST_SECRET_HASH(section, value);
    expect(live).toMatchObject({ stringData: { password: `*** (changed, ${h('stringData', 'planted-old')})`, user: `*** (unchanged, ${h('stringData', 'admin')})` }, data: { base: `*** (${h('data', 'cGxhbnRlZC1iYXNl')})` } });
    expect(desired).toMatchObject({ stringData: { password: `*** (changed, ${h('stringData', 'planted-new')})`, user: `*** (unchanged, ${h('stringData', 'admin')})`, token: `*** (${h('stringData', 'planted-token')})` } });
    // 12 hex digits of an HMAC; a data value hashes as the clear text it encodes.
    expect(h('stringData', 'planted-old')).toMatch(/^hmac:[0-9a-f]{12}$/);
    expect(h('data', 'cGxhbnRlZC1iYXNl')).toBe(h('stringData', 'planted-base'));
    expect(h('stringData', 'planted-old')).not.toBe(h('stringData', 'planted-new'));
    const text = objectYaml(live) + objectYaml(desired);
    for (const value of ['planted-old', 'planted-new', 'planted-token', 'cGxhbnRlZC1iYXNl', 'admin']) expect(text).not.toContain(value);
  });

  it('writes a whole file for a create and an empty side for it, with diff(1)\'s hunk ranges', () => {
    const plan = planOf(manifests({ 'ns.yaml': namespaceYaml('team-a') }), ctx.registry);
    const sides = sidesOf(plan, 'Namespace');
    expect(sides.live).toBeUndefined();
    expect(unifiedObjectDiff('Namespace/team-a', '', objectYaml(sides.desired))).toBe(
      'diff -u -N live/Namespace/team-a desired/Namespace/team-a\n--- live/Namespace/team-a\n+++ desired/Namespace/team-a\n@@ -0,0 +1,4 @@\n+apiVersion: v1\n+kind: Namespace\n+metadata:\n+  name: team-a\n',
    );
  });
});
