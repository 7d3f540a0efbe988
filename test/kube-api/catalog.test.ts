/**
 * The API's bookkeeping: resourceVersions only grow, a uid lives as long as its object, generation
 * follows the spec, a restart keeps all three, and the change feed answers 410 for what it no
 * longer holds.
 */
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../daemon/kube-api/catalog.js';
import { memoryChangeFeed, type Change } from '../../daemon/kube-api/change-feed.js';
import { memoryMetaStore, type ObjectMetaStore } from '../../daemon/kube-api/meta-store.js';
import type { ApiObject } from '../../daemon/kube-api/objects.js';
import { ResourceTable } from '../../daemon/kube-api/resources.js';
import { schemas } from '../support/fixtures.js';

const vmResource = new ResourceTable(schemas).ofKind('vmoperator.vmware.com', 'VirtualMachine')!;
const vm = (name: string, spec: Record<string, unknown>, status: Record<string, unknown> = {}): ApiObject => ({
  resource: vmResource,
  key: `vmoperator.vmware.com/VirtualMachine/team-a/${name}`,
  namespace: 'team-a',
  name,
  apiVersion: 'vmoperator.vmware.com/v1alpha3',
  spec,
  status,
});

function start(store: ObjectMetaStore): Catalog {
  const saved = store.load();
  const catalog = new Catalog(store, memoryChangeFeed(saved.revision), saved, () => Date.parse('2026-01-01T00:00:00Z'), () => 'rev-1');
  return catalog;
}

const objects = (...list: ApiObject[]) => new Map(list.map((o) => [o.key, o]));

describe('the API catalog', () => {
  it('issues growing versions, keeps uids, bumps generation on spec changes only', () => {
    const catalog = start(memoryMetaStore());
    const added = catalog.refresh(objects(vm('a', { className: 'small' }), vm('b', { className: 'small' })));
    expect(added.map((c) => [c.type, c.object.meta.resourceVersion])).toEqual([['ADDED', 1], ['ADDED', 2]]);
    const uid = catalog.get(vmResource.group + '/VirtualMachine/team-a/a')!.meta.uid;
    const status = catalog.refresh(objects(vm('a', { className: 'small' }, { powerState: 'PoweredOff' }), vm('b', { className: 'small' })));
    expect(status.map((c) => [c.type, c.object.object.name, c.object.meta.resourceVersion, c.object.meta.generation])).toEqual([['MODIFIED', 'a', 3, 1]]);
    const spec = catalog.refresh(objects(vm('a', { className: 'large' }, { powerState: 'PoweredOff' }), vm('b', { className: 'small' })));
    expect(spec[0]!.object.meta).toMatchObject({ resourceVersion: 4, generation: 2, uid });
    expect(catalog.refresh(objects(vm('a', { className: 'large' }, { powerState: 'PoweredOff' }), vm('b', { className: 'small' })))).toEqual([]);
    const deleted = catalog.refresh(objects(vm('b', { className: 'small' })));
    expect(deleted.map((c) => [c.type, c.object.object.name, c.object.meta.resourceVersion])).toEqual([['DELETED', 'a', 5]]);
    const again = catalog.refresh(objects(vm('a', { className: 'large' }), vm('b', { className: 'small' })));
    expect(again[0]).toMatchObject({ type: 'ADDED', object: { meta: { resourceVersion: 6, generation: 1 } } });
    expect(again[0]!.object.meta.uid).not.toBe(uid);
  });

  it('keeps versions and uids across a restart; what changed meanwhile gets new versions and old watches 410', () => {
    const store = memoryMetaStore();
    const first = start(store);
    first.refresh(objects(vm('a', { className: 'small' }), vm('b', { className: 'small' })));
    const before = first.get('vmoperator.vmware.com/VirtualMachine/team-a/a')!.meta;

    const second = start(store);
    const changes = second.refresh(objects(vm('a', { className: 'small' }), vm('c', { className: 'small' })));
    second.feed.compact();
    expect(second.get('vmoperator.vmware.com/VirtualMachine/team-a/a')!.meta).toEqual(before);
    expect(changes.map((c) => [c.type, c.object.object.name, c.object.meta.resourceVersion])).toEqual([['ADDED', 'c', 3]]);
    expect(second.feed.since(2)).toBe('expired');
    expect(second.feed.since(3)).toEqual([]);
    second.refresh(objects(vm('a', { className: 'medium' }), vm('c', { className: 'small' })));
    expect((second.feed.since(3) as readonly Change[]).map((c) => c.object.meta.resourceVersion)).toEqual([4]);
  });

  it('publishes nothing when its bookkeeping cannot be written', () => {
    const store = memoryMetaStore();
    const catalog = start({ ...store, save: () => { throw new Error('SQLITE_FULL'); } });
    expect(() => catalog.refresh(objects(vm('a', {})))).toThrow('SQLITE_FULL');
    expect(catalog.get('vmoperator.vmware.com/VirtualMachine/team-a/a')).toBeUndefined();
  });
});
