/**
 * Machine, MachineSet and MachineDeployment at v1beta1 and v1beta2: the objects Cluster API derives
 * from a Cluster's topology, each MachineDeployment owning MachineSets owning Machines. v1beta2
 * groups rollout and deletion settings (`rollout`, `deletion`, `machineNaming`, `remediation`).
 */
import { bool, enumOf, int, intOrString, obj, time, type Schema } from '../dsl/builders.js';
import type { KindDefinition } from '../dsl/kind.js';
import {
  CLUSTER_GROUP,
  DELETE_ORDER,
  machineSpecV1beta1,
  machineSpecV1beta2,
  machineTemplateV1beta1,
  machineTemplateV1beta2,
  namingV1beta1,
  namingV1beta2,
  type CapiVersion,
} from './capi-common.js';
import { filled, req, text } from './dsl-extra.js';
import { labelSelector } from './kubernetes-core.js';

const machineSetSpecV1beta1 = req(['clusterName', 'selector'], {
  clusterName: text(63),
  deletePolicy: DELETE_ORDER,
  machineNamingStrategy: namingV1beta1,
  minReadySeconds: int(),
  replicas: int(),
  selector: labelSelector,
  template: machineTemplateV1beta1,
});

const machineSetSpecV1beta2 = req(['clusterName', 'selector', 'template'], {
  clusterName: text(63),
  deletion: filled({ order: DELETE_ORDER }),
  machineNaming: namingV1beta2,
  replicas: int(),
  selector: labelSelector,
  template: machineTemplateV1beta2,
});

/** MachineDeployment `strategy` at v1beta1 (also a ClusterClass/Cluster override). */
export const deploymentStrategyV1beta1 = obj({
  remediation: obj({ maxInFlight: intOrString() }),
  rollingUpdate: obj({ deletePolicy: DELETE_ORDER, maxSurge: intOrString(), maxUnavailable: intOrString() }),
  type: enumOf('RollingUpdate', 'OnDelete'),
});

/** MachineDeployment `rollout.strategy` at v1beta2 (also a ClusterClass/Cluster override). */
export const deploymentRolloutStrategyV1beta2 = filled(
  { rollingUpdate: filled({ maxSurge: intOrString(), maxUnavailable: intOrString() }), type: enumOf('RollingUpdate', 'OnDelete') },
  { required: ['type'] },
);

const machineDeploymentSpecV1beta1 = req(['clusterName', 'selector', 'template'], {
  clusterName: text(63),
  machineNamingStrategy: namingV1beta1,
  minReadySeconds: int(),
  paused: bool(),
  progressDeadlineSeconds: int(),
  replicas: int(),
  revisionHistoryLimit: int(),
  rolloutAfter: time(),
  selector: labelSelector,
  strategy: deploymentStrategyV1beta1,
  template: machineTemplateV1beta1,
});

const machineDeploymentSpecV1beta2 = req(['clusterName', 'selector', 'template'], {
  clusterName: text(63),
  deletion: filled({ order: DELETE_ORDER }),
  machineNaming: namingV1beta2,
  paused: bool(),
  remediation: filled({ maxInFlight: intOrString() }),
  replicas: int(),
  rollout: filled({ after: time(), strategy: deploymentRolloutStrategyV1beta2 }),
  selector: labelSelector,
  template: machineTemplateV1beta2,
});

/** A namespaced cluster.x-k8s.io kind; v1beta2 requires `spec`, as its CRD does. */
export function capiKind(group: string, version: CapiVersion, kind: string, spec: Schema): KindDefinition {
  return {
    group,
    version,
    kind,
    namespaced: true,
    nameFormat: 'dns-subdomain',
    fields: { spec },
    ...(version === 'v1beta2' ? { required: ['spec'] } : {}),
  };
}

/** Machine, MachineSet and MachineDeployment at v1beta1 and v1beta2. */
export const machineKinds: readonly KindDefinition[] = [
  capiKind(CLUSTER_GROUP, 'v1beta1', 'Machine', machineSpecV1beta1),
  capiKind(CLUSTER_GROUP, 'v1beta2', 'Machine', machineSpecV1beta2),
  capiKind(CLUSTER_GROUP, 'v1beta1', 'MachineSet', machineSetSpecV1beta1),
  capiKind(CLUSTER_GROUP, 'v1beta2', 'MachineSet', machineSetSpecV1beta2),
  capiKind(CLUSTER_GROUP, 'v1beta1', 'MachineDeployment', machineDeploymentSpecV1beta1),
  capiKind(CLUSTER_GROUP, 'v1beta2', 'MachineDeployment', machineDeploymentSpecV1beta2),
];
