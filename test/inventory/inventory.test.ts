import { describe, expect, it } from 'vitest';
import { vmiName, resolveImage } from '../../daemon/inventory/content-library.js';
import { buildInventory } from '../../daemon/inventory/build.js';
import { DEFAULT_TOPOLOGY, parseTopology } from '../../daemon/inventory/topology.js';
import { DEFAULT_VM_CLASSES } from '../../daemon/catalog/vm-classes.js';
import { placeVm } from '../../daemon/capacity/placement.js';
import { GiB } from '../../daemon/base/quantity.js';

describe('default topology', () => {
  it('is a 4-host Supervisor cluster of 48 cores at 2.6 GHz and 512 GiB, on vSAN', () => {
    const inv = buildInventory(DEFAULT_TOPOLOGY);
    const hosts = inv.list('Host');
    expect(hosts).toHaveLength(4);
    expect(hosts.every((h) => h.cpuCores === 48 && h.cpuMhzPerCore === 2600 && h.memoryBytes === 512 * GiB && h.maxVms === 1024)).toBe(true);
    expect(inv.list('StoragePolicy').map((p) => p.name)).toEqual(['vsan-default-storage-policy']);
    expect(inv.list('Datastore')[0]).toMatchObject({ name: 'vsanDatastore', kind: 'vsan' });
    expect(inv.list('LibraryItem').map((i) => i.name)).toEqual(expect.arrayContaining(['ubuntu-22.04-cloudimg', 'photon-5']));
  });

  it('has the 16 default VM classes with their real sizes; guaranteed reserves everything', () => {
    const byName = Object.fromEntries(DEFAULT_VM_CLASSES.map((c) => [c.name, c]));
    expect(DEFAULT_VM_CLASSES).toHaveLength(16);
    const sizes: [string, number, number][] = [['xsmall', 2, 2], ['small', 2, 4], ['medium', 2, 8], ['large', 4, 16], ['xlarge', 4, 32], ['2xlarge', 8, 64], ['4xlarge', 16, 128], ['8xlarge', 32, 128]];
    for (const [size, cpus, mem] of sizes) {
      expect(byName[`best-effort-${size}`]).toEqual({ name: `best-effort-${size}`, cpus, memoryBytes: mem * GiB, cpuReservationMillis: 0, memoryReservationBytes: 0 });
      expect(byName[`guaranteed-${size}`]).toEqual({ name: `guaranteed-${size}`, cpus, memoryBytes: mem * GiB, cpuReservationMillis: cpus * 1000, memoryReservationBytes: mem * GiB });
    }
  });
});

describe('content library images', () => {
  it('names images as vm-operator does: vmi- + 17 hex of SHA-1 of the UUID without hyphens', () => {
    // The example of vm-operator's docs/concepts/images/vm-image.md.
    expect(vmiName('e1968d58-27f8-4b2c-8d8f-1a2b3c4d5e6f')).toMatch(/^vmi-[0-9a-f]{17}$/);
    expect(vmiName('ABC-def')).toBe(vmiName('ABCdef'));
  });

  it('resolves display names, and refuses ambiguous ones', () => {
    const topo = parseTopology(
      'apiVersion: pacific.dev/v1alpha1\nkind: Topology\ncontentLibraries:\n- name: a\n  items:\n  - {name: dup, uuid: 11111111-1111-1111-1111-111111111111, diskCapacity: 1Gi}\n- name: b\n  items:\n  - {name: dup, uuid: 22222222-2222-2222-2222-222222222222, diskCapacity: 1Gi}\n',
    );
    const inv = buildInventory(topo);
    const byVmi = resolveImage(inv, vmiName('11111111-1111-1111-1111-111111111111'));
    expect(byVmi.ok && byVmi.value.name).toBe('dup');
    const ambiguous = resolveImage(inv, 'dup');
    expect(!ambiguous.ok && ambiguous.error.message).toBe('multiple VM images exist for "dup" in cluster scope');
  });
});

describe('topology file', () => {
  it('overrides sections and keeps defaults for the rest', () => {
    const topo = parseTopology('apiVersion: pacific.dev/v1alpha1\nkind: Topology\ncluster:\n  hosts:\n  - {count: 2, cpuCores: 16, cpuMhz: 3000, memory: 256Gi}\n');
    expect(topo.hosts.map((h) => h.name)).toEqual(['esx-01.pacific.local', 'esx-02.pacific.local']);
    expect(topo.hosts[0]).toMatchObject({ cpuCores: 16, cpuMhzPerCore: 3000, memoryBytes: 256 * GiB });
    expect(topo.vmClasses).toHaveLength(16);
  });

  it('names the problem of an invalid topology', () => {
    expect(() => parseTopology('apiVersion: pacific.dev/v1alpha1\nkind: Topology\ncluster:\n  hosts:\n  - {cpuCores: many}\n', 't.yaml')).toThrow(/t\.yaml: invalid topology: .*cpuCores/);
  });
});

describe('registry transactions', () => {
  it('roll back every change of a failed unit of work', () => {
    const inv = buildInventory(DEFAULT_TOPOLOGY);
    const snapshot = () => JSON.stringify([...inv.all()].sort((a, b) => a.id.localeCompare(b.id)));
    const before = snapshot();
    expect(() =>
      inv.transaction(() => {
        inv.allocateId('vm-');
        inv.remove(inv.list('Host')[0]!.id);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(snapshot()).toBe(before);
  });

  it('refuse mutations outside a transaction', () => {
    const inv = buildInventory(DEFAULT_TOPOLOGY);
    expect(() => inv.remove(inv.list('Host')[0]!.id)).toThrow(/inside registry.transaction/);
  });
});

describe('placement', () => {
  it('reports NoAvailableHosts when no host is connected', () => {
    const inv = buildInventory(DEFAULT_TOPOLOGY);
    const hosts = inv.list('Host').map((h) => ({ host: { ...h, state: 'maintenance' as const }, ...inv.hostLoad(h.id) }));
    const r = placeVm(hosts, { key: 'k', cpus: 2, memoryBytes: GiB, cpuReservationMillis: 0, memoryReservationBytes: 0, poweredOn: true });
    expect(!r.ok && r.error.fault).toBe('NoAvailableHosts');
  });

  it('refuses hosts at the VM count maximum', () => {
    const inv = buildInventory(DEFAULT_TOPOLOGY);
    const hosts = inv.list('Host').map((h) => ({ host: h, ...inv.hostLoad(h.id), vms: h.maxVms }));
    const r = placeVm(hosts, { key: 'k', cpus: 2, memoryBytes: GiB, cpuReservationMillis: 0, memoryReservationBytes: 0, poweredOn: true });
    expect(!r.ok && r.error.message).toContain('has 1024 of 1024 VMs');
  });
});

describe('changes by type', () => {
  it('names the entities of a type changed since a version, and says when it no longer remembers', () => {
    const inv = buildInventory(DEFAULT_TOPOLOGY);
    const [first, second] = inv.list('Host');
    const since = inv.typeVersion('Host');
    expect(inv.changedSince('Host', since)).toEqual([]);
    inv.transaction(() => inv.put({ ...first!, state: 'maintenance' }));
    inv.transaction(() => inv.remove(second!.id));
    // A replaced entity moves its type's version twice (out, then in); a removed one once.
    expect(inv.changedSince('Host', since)).toEqual([first!.id, first!.id, second!.id]);
    expect(inv.changedSince('Host', inv.typeVersion('Host'))).toEqual([]);
    expect(inv.changedSince('Datastore', inv.typeVersion('Datastore'))).toEqual([]);
    // Thousands of changes later the oldest are forgotten: a reader that far behind must read every entity.
    for (let i = 0; i < 5000; i++) inv.transaction(() => inv.put({ ...first!, state: i % 2 ? 'maintenance' : 'connected' }));
    expect(inv.changedSince('Host', since)).toBeUndefined();
    expect(inv.changedSince('Host', inv.typeVersion('Host') - 2)).toEqual([first!.id, first!.id]);
  });
});
