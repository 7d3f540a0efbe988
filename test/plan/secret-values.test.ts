/**
 * A Secret's values are masked in the plan, each with a salted hash: every output made from the
 * plan (text, -o json, the digest) names the key that changed and never its value, while the
 * apply still stores the value.
 */
import { describe, expect, it } from 'vitest';
import { planDigest } from '../../daemon/plan/digest.js';
import { planJson, renderPlanText } from '../../daemon/plan/render.js';
import { manifests, namespaceYaml, planOf, TEST_SECRET_HASH, useInventoryStore } from '../support/fixtures.js';
import { planAndApply } from '../support/reconcile.js';

const ctx = useInventoryStore();

const secret = (values: string) => ({ 'ns.yaml': namespaceYaml('team-a'), 'secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: team-a}\n${values}` });
const VALUES = ['hunter2-first', 'aHVudGVyMi1iYXNl', 'hunter2-second', 'hunter2-token'];

const h = (section: string, value: string) => TEST_SECRET_HASH(section, value);
const byPath = (fields: readonly { path: string }[]) => [...fields].sort((a, b) => a.path.localeCompare(b.path));
const outputs = (plan: ReturnType<typeof planOf>) => `${renderPlanText(plan)}\n${JSON.stringify(planJson(plan))}`;

describe('Secret values in the plan', () => {
  it('shows *** and a salted hash for a created value, changed and the two hashes for a changed one, never the value', async () => {
    const created = await planAndApply(manifests(secret(`stringData: {password: ${VALUES[0]}}\ndata: {base: ${VALUES[1]}}\n`)), ctx.registry, ctx.store, 'rev-1');
    expect(byPath(created.plan.changes.find((c) => c.kind === 'Secret')!.fields)).toEqual([
      { path: 'data.base', to: `*** (${h('data', VALUES[1]!)})` },
      { path: 'stringData.password', to: `*** (${h('stringData', VALUES[0]!)})` },
    ]);
    const changed = planOf(manifests(secret(`stringData: {password: ${VALUES[2]}, token: ${VALUES[3]}}\n`)), ctx.registry, ctx.store.ownership(), 'rev-2');
    expect(byPath(changed.changes.find((c) => c.kind === 'Secret')!.fields)).toEqual([
      { path: 'data.base', from: `*** (${h('data', VALUES[1]!)})` },
      { path: 'stringData.password', from: `*** (changed, ${h('stringData', VALUES[0]!)})`, to: `*** (changed, ${h('stringData', VALUES[2]!)})` },
      { path: 'stringData.token', to: `*** (${h('stringData', VALUES[3]!)})` },
    ]);
    const text = `${outputs(created.plan)}\n${outputs(changed)}`;
    for (const value of VALUES) expect(text).not.toContain(value);
    expect(text).toMatch(/stringData\.password: "\*\*\* \(changed, hmac:[0-9a-f]{12}\)" → "\*\*\* \(changed, hmac:[0-9a-f]{12}\)"/);
  });

  it('still stores the value and still sees a change of value alone', async () => {
    await planAndApply(manifests(secret(`stringData: {password: ${VALUES[0]}}\n`)), ctx.registry, ctx.store, 'rev-1');
    expect(JSON.stringify(ctx.registry.all())).toContain(VALUES[0]);
    const same = planOf(manifests(secret(`stringData: {password: ${VALUES[0]}}\n`)), ctx.registry, ctx.store.ownership(), 'rev-2');
    const changed = planOf(manifests(secret(`stringData: {password: ${VALUES[2]}}\n`)), ctx.registry, ctx.store.ownership(), 'rev-2');
    expect(same.changes.filter((c) => c.kind === 'Secret')).toEqual([]);
    expect(changed.changes.filter((c) => c.kind === 'Secret')).toHaveLength(1);
    expect(planDigest(changed)).not.toBe(planDigest(same));
  });

  it('leaves other kinds and a Secret\'s other fields as they are', () => {
    const plan = planOf(
      manifests({
        ...secret(`type: Opaque\nstringData: {password: ${VALUES[0]}}\n`),
        'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: team-a}\ndata: {mode: blue}\n',
      }),
      ctx.registry,
    );
    expect(plan.changes.find((c) => c.kind === 'ConfigMap')!.fields).toContainEqual({ path: 'data.mode', to: 'blue' });
    expect(plan.changes.find((c) => c.kind === 'Secret')!.fields).toContainEqual({ path: 'type', to: 'Opaque' });
  });
});

describe('the salt of Secret value hashes', () => {
  it('is made once in the store and read back alike: the same value hashes the same across restarts, another salt differently', async () => {
    const { storeSecretHash, readSecretHash, SECRET_SALT_META } = await import('../../daemon/store/secret-salt.js');
    expect(ctx.store.meta(SECRET_SALT_META)).toBeUndefined();
    const hash = storeSecretHash(ctx.store);
    const first = hash('stringData', 'hunter2');
    const salt = ctx.store.meta(SECRET_SALT_META)!;
    expect(salt).toMatch(/^[0-9a-f]{64}$/);
    expect(storeSecretHash(ctx.store)('stringData', 'hunter2')).toBe(first);
    expect(readSecretHash(ctx.store)('data', Buffer.from('hunter2').toString('base64'))).toBe(first);
    expect(ctx.store.meta(SECRET_SALT_META)).toBe(salt);
    expect(TEST_SECRET_HASH('stringData', 'hunter2')).not.toBe(first);
  });
});
