/** The prune bound as a pure rule: limits, what counts as a delete, confirmation by revision. */
import { describe, expect, it } from 'vitest';
import type { Ownership } from '../../daemon/plan/planner.js';
import { parsePruneLimit, pruneHold, pruneHoldMessage } from '../../daemon/plan/prune-bound.js';
import { manifests, namespaceYaml, planOf, useInventoryStore, vmYaml } from '../support/fixtures.js';
import { planAndApply } from '../support/reconcile.js';

const ctx = useInventoryStore();

describe('parsePruneLimit', () => {
  it.each([
    ['50%', { kind: 'share', percent: 50 }],
    ['12.5%', { kind: 'share', percent: 12.5 }],
    ['20', { kind: 'count', count: 20 }],
    ['off', { kind: 'off' }],
    ['0', { kind: 'off' }],
    ['100%', { kind: 'off' }],
  ])('%s', (text, limit) => expect(parsePruneLimit(text)).toEqual(limit));

  it.each(['', '-5', '150%', 'half', '5 %'])('refuses %j', (text) => expect(() => parsePruneLimit(text)).toThrow(/--max-prune/));
});

describe('pruneHold', () => {
  const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
  const all = () => manifests({ 'ns.yaml': namespaceYaml('team-a'), 'vms.yaml': names.map((n) => vmYaml('team-a', n)).join('---\n') });
  const keep = (n: number) => manifests({ 'ns.yaml': namespaceYaml('team-a'), 'vms.yaml': names.slice(0, n).map((v) => vmYaml('team-a', v)).join('---\n') });

  it('holds over the share, not at it; a count limit counts objects', async () => {
    await planAndApply(all(), ctx.registry, ctx.store); // 9 objects: a namespace and 8 VMs
    const ownership = ctx.store.ownership();
    const deleting = (n: number) => planOf(keep(8 - n), ctx.registry, ownership, `rev-${n}`);
    expect(pruneHold(deleting(4), ownership, parsePruneLimit('50%'))).toBeUndefined(); // 4/9
    expect(pruneHold(deleting(5), ownership, parsePruneLimit('50%'))).toMatchObject({ deletes: 5, managed: 9, limit: '50%' }); // 5/9
    expect(pruneHold(deleting(2), ownership, parsePruneLimit('2'))).toBeUndefined();
    expect(pruneHold(deleting(3), ownership, parsePruneLimit('2'))).toMatchObject({ deletes: 3, examples: ['VirtualMachine/team-a/f', 'VirtualMachine/team-a/g', 'VirtualMachine/team-a/h'] });
    expect(pruneHold(deleting(8), ownership, parsePruneLimit('off'))).toBeUndefined();
  });

  it('lets the confirmed revision through, and only that one', async () => {
    await planAndApply(all(), ctx.registry, ctx.store);
    const ownership = ctx.store.ownership();
    const empty = planOf([], ctx.registry, ownership, 'rev-empty');
    expect(pruneHold(empty, ownership, parsePruneLimit('50%'), 'rev-empty')).toBeUndefined();
    const held = pruneHold(empty, ownership, parsePruneLimit('50%'), 'rev-other')!;
    expect(held).toMatchObject({ revision: 'rev-empty', deletes: 9, managed: 9, share: 1 });
    expect(pruneHoldMessage(held, 'f'.repeat(40))).toMatch(/^revision rev-empty would delete 9 of 9 object\(s\) pacific created \(100%\), more than --max-prune 50%: held, nothing of it is applied; revision ffffffffffff stays applied\. It would delete VirtualMachine\/team-a\/a, .*, … \(6 more\)\./);
  });

  it('does not count objects pacific adopted: a prune only releases them', async () => {
    await planAndApply(all(), ctx.registry, ctx.store);
    const adopted = new Map<string, Ownership>([...ctx.store.ownership().keys()].map((k) => [k, k.endsWith('/a') ? 'created' : 'adopted']));
    const release = planOf([], ctx.registry, adopted, 'rev-release');
    expect(release.changes.filter((c) => c.release)).toHaveLength(8);
    expect(pruneHold(release, adopted, parsePruneLimit('50%'))).toMatchObject({ deletes: 1, managed: 1 });
    expect(pruneHold(release, adopted, parsePruneLimit('1'))).toBeUndefined();
  });
});
