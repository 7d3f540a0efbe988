/**
 * The VI admin's default storage limit (topology `namespaceDefaults.storageLimit`): a namespace
 * whose quotas set no `requests.storage` gets it, so a claim cannot fill the shared datastore; a
 * namespace with its own storage quota keeps that one; without the setting nothing is limited.
 */
import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../daemon/inventory/topology.js';
import { freshInventory, manifests, namespaceYaml, planOf } from '../support/fixtures.js';

const topology = (extra: string) => parseTopology(`apiVersion: pacific.dev/v1alpha1\nkind: Topology\n${extra}`);
const withLimit = topology('namespaceDefaults: {storageLimit: 500Gi}\n');

const claim = (namespace: string, name: string, size: string) =>
  `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec:\n  accessModes: [ReadWriteOnce]\n  storageClassName: vsan-default-storage-policy\n  resources: {requests: {storage: ${size}}}\n`;

const verdicts = (files: Record<string, string>, inventory = freshInventory(withLimit)) =>
  Object.fromEntries(planOf(manifests(files), inventory).changes.filter((c) => c.kind === 'PersistentVolumeClaim').map((c) => [`${c.namespace}/${c.name}`, c.admission]));

describe('the admin default storage limit per namespace', () => {
  it('refuses what would take a namespace without a storage quota over it, naming the limit as the API server names a quota', () => {
    const v = verdicts({ 'ns.yaml': namespaceYaml('team-a'), 'a.yaml': claim('team-a', 'data', '300Gi'), 'b.yaml': claim('team-a', 'more', '300Gi') });
    expect(v['team-a/data']).toMatchObject({ allowed: true });
    expect(v['team-a/more']).toMatchObject({
      allowed: false,
      reason: 'QuotaExceeded',
      message: 'persistentvolumeclaims "more" is forbidden: exceeded quota: namespace-default-storage, requested: requests.storage=300Gi, used: requests.storage=300Gi, limited: requests.storage=500Gi',
    });
  });

  it("lets a namespace's own storage quota decide, and counts each namespace apart", () => {
    const v = verdicts({
      'a.yaml': namespaceYaml('team-a', { 'requests.storage': '2Ti' }),
      'b.yaml': namespaceYaml('team-b', { 'limits.cpu': 8 }),
      'c1.yaml': claim('team-a', 'big', '1Ti'),
      'c2.yaml': claim('team-b', 'big', '1Ti'),
      'c3.yaml': claim('team-b', 'small', '400Gi'),
    });
    expect(v['team-a/big']).toMatchObject({ allowed: true });
    expect(v['team-b/big']).toMatchObject({ allowed: false, message: expect.stringContaining('limited: requests.storage=500Gi') });
    expect(v['team-b/small']).toMatchObject({ allowed: true });
  });

  it('limits nothing when the topology sets no default, as vCenter does not', () => {
    expect(topology('').namespaceDefaults).toEqual({});
    const v = verdicts({ 'ns.yaml': namespaceYaml('team-a'), 'a.yaml': claim('team-a', 'data', '4Ti') }, freshInventory(topology('')));
    expect(v['team-a/data']).toMatchObject({ allowed: true });
  });

  it('refuses a limit that is not a quantity, naming the field', () => {
    expect(() => parseTopology('apiVersion: pacific.dev/v1alpha1\nkind: Topology\nnamespaceDefaults: {storageLimit: lots}\n', 't.yaml')).toThrow(/t\.yaml: invalid topology: \/namespaceDefaults\/storageLimit/);
  });
});
