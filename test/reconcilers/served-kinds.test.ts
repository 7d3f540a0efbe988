import { describe, expect, it } from 'vitest';
import { servedKindDefinitions } from '../../daemon/manifests/definitions/index.js';
import { reconcilers } from '../../daemon/reconcilers/index.js';
import { DERIVED_FROM_CLUSTER } from '../../daemon/manifests/document-rules.js';

/** Kinds only pacific itself creates (derived), never declared in a repo. */
const DERIVED_ONLY = new Set([
  'apps/ReplicaSet',
  'pacific.dev/RegistryProject',
  // What Cluster API and CAPV derive from a Cluster's topology; a repo declares the Cluster (or a TanzuKubernetesCluster).
  ...DERIVED_FROM_CLUSTER,
]);

describe('served kinds', () => {
  it('every kind a repo may declare has a reconciler, and every reconciled kind is declarable or derived', () => {
    const served = new Set(servedKindDefinitions.map((d) => `${d.group}/${d.kind}`));
    const reconciled = new Set(reconcilers.all.map((r) => `${r.group}/${r.kind}`));
    expect([...served].filter((k) => !reconciled.has(k))).toEqual([]);
    expect([...reconciled].filter((k) => !served.has(k) && !DERIVED_ONLY.has(k))).toEqual([]);
  });
});
