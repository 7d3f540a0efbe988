import { describe, expect, it } from 'vitest';
import { normalizeBySchema } from '../../daemon/manifests/normalize.js';
import { canonicalJson, diffValues } from '../../daemon/plan/diff-fields.js';

/** A spec schema with a list keyed by `key`, one keyed by `path` with a default, and an atomic list. */
const SCHEMA = {
  type: 'object',
  properties: {
    properties: {
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['key'],
      items: { type: 'object', properties: { key: { type: 'string' }, value: { type: 'object', properties: { value: { type: 'string' } } } } },
    },
    files: {
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['path'],
      items: { type: 'object', properties: { path: { type: 'string' }, content: { type: 'string' }, permissions: { type: 'string', default: '0644' } } },
    },
    atomic: { type: 'array', items: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } } } },
  },
};
const spec = (value: unknown) => normalizeBySchema(SCHEMA, value);

describe('diffValues', () => {
  it.each([
    ['a list of a map-type list reordered', { properties: [{ key: 'a', value: { value: '1' } }, { key: 'b' }] }, { properties: [{ key: 'b' }, { key: 'a', value: { value: '1' } }] }],
    ['an unkeyed item with its keys in another order', { atomic: [{ a: 'x', b: 'y' }] }, { atomic: [{ b: 'y', a: 'x' }] }],
    ['a default written or left out', { files: [{ path: '/etc/motd', content: 'hi', permissions: '0644' }] }, { files: [{ path: '/etc/motd', content: 'hi' }] }],
  ])('%s is no change', (_what, from, to) => {
    expect(diffValues(spec(from), spec(to))).toEqual([]);
  });

  it('names an edited item of a map-type list by its key', () => {
    const from = spec({ properties: [{ key: 'hostname', value: { value: 'vm.local' } }, { key: 'ntp', value: { value: 'pool' } }] });
    const to = spec({ properties: [{ key: 'ntp', value: { value: 'pool' } }, { key: 'hostname', value: { value: 'vm.example.com' } }] });
    expect(diffValues(from, to, 'spec')).toEqual([{ path: 'spec.properties[key=hostname].value.value', from: 'vm.local', to: 'vm.example.com' }]);
  });

  it('lists an added and a removed item of a map-type list by key, and a new list item by item', () => {
    const from = spec({ files: [{ path: '/a', content: 'x' }] });
    const to = spec({ files: [{ path: '/b', content: 'x' }] });
    expect(diffValues(from, to).map((f) => f.path).sort()).toEqual(['files[path=/a].content', 'files[path=/a].path', 'files[path=/a].permissions', 'files[path=/b].content', 'files[path=/b].path', 'files[path=/b].permissions']);
    expect(diffValues(undefined, to).map((f) => f.path)).toEqual(['files[path=/b].path', 'files[path=/b].content', 'files[path=/b].permissions']);
  });

  it('pairs other lists by name when every item has a unique one, and compares them whole otherwise', () => {
    expect(diffValues({ l: [{ name: 'a', v: 1 }, { name: 'b' }] }, { l: [{ name: 'b' }, { name: 'a', v: 2 }] })).toEqual([{ path: 'l[name=a].v', from: 1, to: 2 }]);
    expect(diffValues({ atomic: [{ a: 'x' }] }, { atomic: [{ a: 'y' }] })).toEqual([{ path: 'atomic', from: [{ a: 'x' }], to: [{ a: 'y' }] }]);
  });
});

describe('canonicalJson', () => {
  it('is independent of key order at every depth, and keeps list order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe(canonicalJson({ a: { c: null, d: [2, 1] }, b: 1 }));
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });
});
