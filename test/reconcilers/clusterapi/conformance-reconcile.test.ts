/**
 * The guest clusters of the corpus: every concrete TanzuKubernetesCluster, and every Cluster whose
 * topology names the Supervisor's ClusterClass `tanzukubernetescluster`, reconciles into a Ready
 * cluster of VMs, in an environment that has what the sample names (its namespace and storage
 * classes). (vsphere-csi-driver's tkg.yaml is not among them: validation refuses its placeholder
 * release, see test/manifests/conformance-clusterapi.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildInventory } from '../../../daemon/inventory/build.js';
import { DEFAULT_TOPOLOGY } from '../../../daemon/inventory/topology.js';
import { loadManifestFile } from '../../../daemon/manifests/load.js';
import type { ManifestObject } from '../../../daemon/manifests/types.js';
import { buildObjectStatuses } from '../../../daemon/controller/object-status.js';
import { conformanceDir, conformanceSamples, hasConformance } from '../../support/conformance.js';
import { manifests, namespaceYaml, planOf, schemas, useInventoryStore } from '../../support/fixtures.js';
import { converge } from '../../support/reconcile.js';
import { clusterVms } from '../../support/clusters.js';

const ctx = useInventoryStore();

function guestClusters(): { sample: string; object: ManifestObject }[] {
  return ['cluster-api', 'cluster-api-provider-vsphere', 'tanzu-framework', 'vsphere-csi-driver'].flatMap((sub) =>
    conformanceSamples(sub).flatMap((sample) =>
      loadManifestFile(sample, readFileSync(join(conformanceDir, 'samples', sample)), schemas)
        .objects.filter((o) => {
          const topology = (o.body['spec'] as { topology?: { class?: string; classRef?: { name?: string } } } | undefined)?.topology;
          return o.kind === 'TanzuKubernetesCluster' || (o.kind === 'Cluster' && (topology?.class ?? topology?.classRef?.name) === 'tanzukubernetescluster');
        })
        .map((object) => ({ sample, object })),
    ),
  );
}

/** Storage classes a guest cluster names (its pools', its variables'). */
function storageClassesOf(o: ManifestObject): string[] {
  const found = new Set<string>();
  const walk = (v: unknown, key = '') => {
    if (Array.isArray(v)) return v.forEach((x) => walk(x, key));
    if (v && typeof v === 'object') {
      const n = v as Record<string, unknown>;
      if ((n['name'] === 'storageClass' || n['name'] === 'storageClasses') && 'value' in n) [n['value']].flat().forEach((s) => found.add(String(s)));
      for (const [k, x] of Object.entries(n)) walk(x, k);
    } else if (key === 'storageClass' && typeof v === 'string') found.add(v);
  };
  walk(o.body['spec']);
  return [...found];
}

describe.skipIf(!hasConformance)('cluster-api conformance: the guest clusters of the corpus reconcile', () => {
  const samples = guestClusters();

  it('finds the corpus guest clusters', () => {
    console.log(`[pacific] guest clusters in the corpus: ${samples.map((s) => `${s.sample} (${s.object.kind}/${s.object.name})`).join(', ')}`);
    expect(samples.length).toBeGreaterThanOrEqual(4);
  });

  it.each(samples.map((s) => ({ ...s, id: `${s.sample} ${s.object.kind}/${s.object.name}` })))('$id', async ({ object }) => {
    const storage = storageClassesOf(object);
    ctx.registry = buildInventory({ ...DEFAULT_TOPOLOGY, storagePolicies: [...DEFAULT_TOPOLOGY.storagePolicies, ...storage.map((name) => ({ name, datastores: ['vsanDatastore'] }))] });
    const desired = [...manifests({ 'ns.yaml': namespaceYaml(object.namespace) }), object];
    await converge(desired, ctx.registry, ctx.store);
    const plan = planOf(desired, ctx.registry, ctx.store.ownership());
    expect(plan.changes).toEqual([]);
    const status = buildObjectStatuses(plan.objects, ctx.registry, new Map(), new Map(), new Date(0).toISOString()).find((s) => s.key === object.key)!;
    expect(status.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True' });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the samples' nested fields, read as the test needs them
    const spec = object.body['spec'] as Record<string, any>;
    const expected =
      object.kind === 'Cluster'
        ? (spec['topology']['controlPlane']?.['replicas'] ?? 1) + (spec['topology']['workers']?.['machineDeployments'] ?? []).reduce((n: number, md: { replicas?: number }) => n + (md.replicas ?? 1), 0)
        : (spec['topology']['controlPlane']['replicas'] ?? 1) + spec['topology']['nodePools'].reduce((n: number, p: { replicas?: number }) => n + (p.replicas ?? 1), 0);
    expect(clusterVms(ctx.registry, object.namespace, object.name)).toHaveLength(expected);
  });
});
