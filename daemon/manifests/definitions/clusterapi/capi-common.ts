/**
 * Fragments shared by the cluster.x-k8s.io kinds and the kubeadm providers: references (v1beta1
 * ObjectReference, v1beta2 contract references), machine taints and readiness gates, naming
 * strategies, and the Machine spec that MachineSet and MachineDeployment templates embed.
 */
import { enumOf, int, list, obj, str, type Schema } from '../dsl/builders.js';
import { DNS_SUBDOMAIN, filled, GROUP_VERSION, KIND_NAME, QUALIFIED_NAME, req, text } from './dsl-extra.js';
import { labelsAndAnnotations, objectReference } from './kubernetes-core.js';

/** The API group of Cluster API's core kinds (Cluster, ClusterClass, Machine...). */
export const CLUSTER_GROUP = 'cluster.x-k8s.io';
/** The API group of the kubeadm control-plane provider. */
export const CONTROLPLANE_GROUP = 'controlplane.cluster.x-k8s.io';
/** The API group of the kubeadm bootstrap provider. */
export const BOOTSTRAP_GROUP = 'bootstrap.cluster.x-k8s.io';

/** The versions of Cluster API the corpus CRDs serve (v1beta1 deprecated, v1beta2 stored). */
export type CapiVersion = 'v1beta1' | 'v1beta2';

/** v1beta2 reference to a provider object in the same namespace: API group, kind and name. */
export const contractRef = req(['apiGroup', 'kind', 'name'], {
  apiGroup: text(253, { pattern: DNS_SUBDOMAIN }),
  kind: text(63, { pattern: KIND_NAME }),
  name: text(253, { pattern: DNS_SUBDOMAIN }),
});

/** v1beta2 reference to a template: apiVersion, kind and name. */
export const templateRef = req(['apiVersion', 'kind', 'name'], {
  apiVersion: text(317, { pattern: GROUP_VERSION }),
  kind: text(63, { pattern: KIND_NAME }),
  name: text(253, { pattern: DNS_SUBDOMAIN }),
});

/** A taint Cluster API keeps on a Node, keyed by key+effect (v1beta1 and v1beta2 alike). */
export const machineTaints = list(
  req(['effect', 'key', 'propagation'], {
    effect: enumOf('NoSchedule', 'PreferNoSchedule', 'NoExecute'),
    key: text(317, { pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/)?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$' }),
    propagation: enumOf('Always', 'OnInitialization'),
    value: text(63, { pattern: '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$' }),
  }),
  { minItems: 1, maxItems: 64, mapKeys: ['key', 'effect'] },
);

/** Extra conditions a Machine must meet to be Ready, keyed by condition type. */
export function readinessGates(minItems?: number): Schema {
  const gate = req(['conditionType'], { conditionType: text(316, { pattern: QUALIFIED_NAME }), polarity: enumOf('Positive', 'Negative') });
  return list(gate, { maxItems: 32, mapKeys: ['conditionType'], ...(minItems ? { minItems } : {}) });
}

/** How machine names are generated: `machineNamingStrategy` at v1beta1. */
export const namingV1beta1 = obj({ template: text(256) });
/** How machine names are generated: `machineNaming` at v1beta2, never empty. */
export const namingV1beta2 = filled({ template: text(256) });

/** Template metadata at v1beta1: labels and annotations. */
export const templateMetaV1beta1 = obj(labelsAndAnnotations);
/** Template metadata at v1beta2: labels and annotations, never empty. */
export const templateMetaV1beta2 = filled(labelsAndAnnotations);

/** The three node timeouts of v1beta1, as duration strings. */
export const nodeTimeoutsV1beta1: Record<string, Schema> = { nodeDeletionTimeout: str(), nodeDrainTimeout: str(), nodeVolumeDetachTimeout: str() };

/** The three node timeouts of v1beta2, in seconds. */
export const nodeTimeoutsV1beta2: Record<string, Schema> = {
  nodeDeletionTimeoutSeconds: int({ minimum: 0 }),
  nodeDrainTimeoutSeconds: int({ minimum: 0 }),
  nodeVolumeDetachTimeoutSeconds: int({ minimum: 0 }),
};

/** v1beta2 `deletion` of a machine: its node timeouts. */
export const nodeDeletionV1beta2 = filled(nodeTimeoutsV1beta2);

/** The order in which a MachineSet deletes machines when scaling down. */
export const DELETE_ORDER = enumOf('Random', 'Newest', 'Oldest');

/** Machine spec at v1beta1 (also the template of MachineSet and MachineDeployment). */
export const machineSpecV1beta1 = req(['bootstrap', 'clusterName', 'infrastructureRef'], {
  bootstrap: obj({ configRef: objectReference, dataSecretName: str({ minLength: 0, maxLength: 253 }) }),
  clusterName: text(63),
  failureDomain: text(256),
  infrastructureRef: objectReference,
  ...nodeTimeoutsV1beta1,
  providerID: text(512),
  readinessGates: readinessGates(),
  taints: machineTaints,
  version: text(256),
});

/** Machine spec at v1beta2: contract references, `deletion` timeouts in seconds, minReadySeconds. */
export const machineSpecV1beta2 = req(['bootstrap', 'clusterName', 'infrastructureRef'], {
  bootstrap: obj({ configRef: contractRef, dataSecretName: str({ minLength: 0, maxLength: 253 }) }),
  clusterName: text(63),
  deletion: nodeDeletionV1beta2,
  failureDomain: text(256),
  infrastructureRef: contractRef,
  minReadySeconds: int({ minimum: 0 }),
  providerID: text(512),
  readinessGates: readinessGates(1),
  taints: machineTaints,
  version: text(256),
});

/** The Machine template of MachineSet and MachineDeployment at v1beta1. */
export const machineTemplateV1beta1 = obj({ metadata: templateMetaV1beta1, spec: machineSpecV1beta1 });
/** The Machine template of MachineSet and MachineDeployment at v1beta2 (`spec` required). */
export const machineTemplateV1beta2 = req(['spec'], { metadata: templateMetaV1beta2, spec: machineSpecV1beta2 });
