/**
 * run.tanzu.vmware.com TanzuKubernetesCluster: the TKG Service's own cluster API, which on
 * vSphere 8 sits on top of a Cluster API Cluster of class `tanzukubernetescluster`.
 * v1alpha1 (count/class workers) and v1alpha2 (named node pools, TKR references, volumes) follow
 * their public CRDs; v1alpha3 has no public CRD, see `TKC_V1ALPHA3_ADDITIONS`.
 */
import { int, list, mapOf, obj, quantity, str, time, type Schema } from '../dsl/builders.js';
import type { KindDefinition } from '../dsl/kind.js';
import { req } from './dsl-extra.js';
import { objectReference } from './kubernetes-core.js';

/** The API group of the TKG Service (TanzuKubernetesCluster, TanzuKubernetesRelease). */
export const RUN_GROUP = 'run.tanzu.vmware.com';

const cidrBlocks = obj({ cidrBlocks: list(str()) });

const distribution = obj({ fullVersion: str(), version: str() });
const storage = obj({ classes: list(str()), defaultClass: str() });
const networkV1alpha1 = obj({ cni: req(['name'], { name: str() }), pods: cidrBlocks, serviceDomain: str(), services: cidrBlocks });

const poolV1alpha1 = req(['class', 'count', 'storageClass'], { class: str(), count: int(), storageClass: str() });

const specV1alpha1 = req(['distribution', 'topology'], {
  distribution,
  settings: obj({ network: networkV1alpha1, storage }),
  topology: req(['controlPlane', 'workers'], { controlPlane: poolV1alpha1, workers: poolV1alpha1 }),
});

// ---- v1alpha2: named node pools that each reference a TKR, with volumes, labels and taints ----

const networkV1alpha2 = obj({
  cni: req(['name'], { name: str() }),
  pods: cidrBlocks,
  proxy: obj({ httpProxy: str(), httpsProxy: str(), noProxy: list(str()) }),
  serviceDomain: str(),
  services: cidrBlocks,
  trust: obj({ additionalTrustedCAs: list(req(['data', 'name'], { data: str(), name: str() })) }),
});

const tkr = obj({ reference: objectReference });
const volume = req(['capacity', 'mountPath', 'name'], { capacity: mapOf(quantity()), mountPath: str(), name: str(), storageClass: str() });

const controlPlaneV1alpha2 = req(['storageClass', 'vmClass'], {
  nodeDrainTimeout: str(),
  replicas: int(),
  storageClass: str(),
  tkr,
  vmClass: str(),
  volumes: list(volume),
});

const nodePoolFieldsV1alpha2: Record<string, Schema> = {
  labels: mapOf(str()),
  name: str(),
  nodeDrainTimeout: str(),
  replicas: int(),
  storageClass: str(),
  taints: list(req(['effect', 'key'], { effect: str(), key: str(), timeAdded: time(), value: str() })),
  tkr,
  vmClass: str(),
  volumes: list(volume),
};

function specV1alpha2(nodePool: Record<string, Schema>): Schema {
  return req(['topology'], {
    distribution,
    settings: obj({ network: networkV1alpha2, storage }),
    topology: req(['controlPlane', 'nodePools'], {
      controlPlane: controlPlaneV1alpha2,
      nodePools: list(req(['name', 'storageClass', 'vmClass'], nodePool)),
    }),
  });
}

/**
 * What TanzuKubernetesCluster v1alpha3 adds to the v1alpha2 CRD, with the source of each field.
 * There is no public v1alpha3 CRD. The definition is v1alpha2 unchanged plus these fields, based on:
 * the corpus sample `vsphere-csi-driver/tkc/tkg.yaml` (topology.controlPlane.tkr.reference, replicas,
 * vmClass, storageClass; named nodePools; settings.network cni/services/pods/serviceDomain — all
 * v1alpha2 fields), VMware's vSphere 8 TKG documentation (GUID-C39463EE: v1alpha3 is the TKC API on
 * top of the `tanzukubernetescluster` ClusterClass, with the v1alpha2 workflow unchanged;
 * GUID-376EE3F0: "map each vSphere Zone to a FailureDomain within each NodePool", i.e.
 * `nodePools[].failureDomain`). `spec.distribution`, deprecated since v1alpha2, is kept: no source
 * read says v1alpha3 removed it.
 */
export const TKC_V1ALPHA3_ADDITIONS: Readonly<Record<string, string>> = {
  'spec.topology.nodePools[].failureDomain': 'the vSphere Zone a node pool is placed in (vSphere 8 docs, GUID-376EE3F0)',
};

function tkc(version: string, spec: Schema): KindDefinition {
  return { group: RUN_GROUP, version, kind: 'TanzuKubernetesCluster', namespaced: true, nameFormat: 'dns-subdomain', fields: { spec } };
}

/** TanzuKubernetesCluster at v1alpha1, v1alpha2 and v1alpha3. */
export const tanzuKubernetesClusterKinds: readonly KindDefinition[] = [
  tkc('v1alpha1', specV1alpha1),
  tkc('v1alpha2', specV1alpha2(nodePoolFieldsV1alpha2)),
  tkc('v1alpha3', specV1alpha2({ ...nodePoolFieldsV1alpha2, failureDomain: str() })),
];
