/**
 * Cluster at v1beta1 and v1beta2. A Cluster either references its control plane and
 * infrastructure objects or, with `topology`, names a ClusterClass (`class` at v1beta1,
 * `classRef.name` at v1beta2; on the Supervisor `tanzukubernetescluster`), a Kubernetes
 * `version`, control-plane `replicas`, worker `machineDeployments[]` and `variables` (vmClass,
 * storageClass...), from which Cluster API derives every other object.
 */
import { bool, int, obj, str, time } from '../dsl/builders.js';
import type { KindDefinition } from '../dsl/kind.js';
import {
  CLUSTER_GROUP,
  contractRef,
  DELETE_ORDER,
  machineTaints,
  nodeDeletionV1beta2,
  nodeTimeoutsV1beta1,
  nodeTimeoutsV1beta2,
  readinessGates,
  templateMetaV1beta1,
  templateMetaV1beta2,
} from './capi-common.js';
import { topologyVariable } from './cluster-class-variables.js';
import { DNS_SUBDOMAIN, filled, oneToMany, req, text, upTo } from './dsl-extra.js';
import { objectReference } from './kubernetes-core.js';
import { checksV1beta1, checksV1beta2, remediationV1beta2, workerRemediationV1beta2 } from './machine-health-check.js';
import { capiKind, deploymentRolloutStrategyV1beta2, deploymentStrategyV1beta1 } from './machine.js';

const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const port = () => int({ minimum: 1, maximum: 65535 });

// ---- v1beta1 ----

const cidrsV1beta1 = req(['cidrBlocks'], { cidrBlocks: upTo(100, text(43)) });
const variablesV1beta1 = upTo(1000, topologyVariable(false), { mapKeys: ['name'] });
const overridesV1beta1 = obj({ overrides: variablesV1beta1 });
const healthCheckV1beta1 = obj({ enable: bool(), ...checksV1beta1 });
const rolloutAfter = filled({ after: time() });

const topologyV1beta1 = req(['class', 'version'], {
  class: text(253),
  classNamespace: text(63, { pattern: DNS_LABEL }),
  controlPlane: obj({
    machineHealthCheck: healthCheckV1beta1,
    metadata: templateMetaV1beta1,
    ...nodeTimeoutsV1beta1,
    readinessGates: readinessGates(),
    replicas: int(),
    rollout: rolloutAfter,
    taints: machineTaints,
    variables: overridesV1beta1,
  }),
  rolloutAfter: time(),
  variables: variablesV1beta1,
  version: text(256),
  workers: obj({
    machineDeployments: upTo(
      2000,
      req(['class', 'name'], {
        class: text(256),
        failureDomain: text(256),
        machineHealthCheck: healthCheckV1beta1,
        metadata: templateMetaV1beta1,
        minReadySeconds: int(),
        name: text(63),
        ...nodeTimeoutsV1beta1,
        readinessGates: readinessGates(),
        replicas: int(),
        rollout: rolloutAfter,
        strategy: deploymentStrategyV1beta1,
        taints: machineTaints,
        variables: overridesV1beta1,
      }),
      { mapKeys: ['name'] },
    ),
    machinePools: upTo(
      2000,
      req(['class', 'name'], {
        class: text(256),
        failureDomains: upTo(100, text(256)),
        metadata: templateMetaV1beta1,
        minReadySeconds: int(),
        name: text(63),
        ...nodeTimeoutsV1beta1,
        replicas: int(),
        taints: machineTaints,
        variables: overridesV1beta1,
      }),
      { mapKeys: ['name'] },
    ),
  }),
});

const specV1beta1 = obj({
  availabilityGates: readinessGates(),
  clusterNetwork: obj({ apiServerPort: int(), pods: cidrsV1beta1, serviceDomain: text(253), services: cidrsV1beta1 }),
  controlPlaneEndpoint: obj({ host: str({ maxLength: 512 }), port: int() }),
  controlPlaneRef: objectReference,
  infrastructureRef: objectReference,
  paused: bool(),
  topology: topologyV1beta1,
});

// ---- v1beta2 ----

const cidrsV1beta2 = req(['cidrBlocks'], { cidrBlocks: oneToMany(100, text(43)) });
const variablesV1beta2 = oneToMany(1000, topologyVariable(true), { mapKeys: ['name'] });
const overridesV1beta2 = filled({ overrides: variablesV1beta2 });
const seconds = () => int({ minimum: 0 });
const poolName = () => text(63, { pattern: DNS_SUBDOMAIN });

const topologyV1beta2 = req(['classRef', 'version'], {
  classRef: req(['name'], { name: text(253, { pattern: DNS_SUBDOMAIN }), namespace: text(63, { pattern: DNS_LABEL }) }),
  controlPlane: filled({
    deletion: nodeDeletionV1beta2,
    healthCheck: filled({ checks: checksV1beta2, enabled: bool(), remediation: remediationV1beta2 }),
    metadata: templateMetaV1beta2,
    readinessGates: readinessGates(1),
    replicas: int(),
    rollout: rolloutAfter,
    taints: machineTaints,
    variables: overridesV1beta2,
  }),
  variables: variablesV1beta2,
  version: text(256),
  workers: filled({
    machineDeployments: oneToMany(
      2000,
      req(['class', 'name'], {
        class: text(256),
        deletion: filled({ ...nodeTimeoutsV1beta2, order: DELETE_ORDER }),
        failureDomain: text(256),
        healthCheck: filled({ checks: checksV1beta2, enabled: bool(), remediation: workerRemediationV1beta2 }),
        metadata: templateMetaV1beta2,
        minReadySeconds: seconds(),
        name: poolName(),
        readinessGates: readinessGates(1),
        replicas: int(),
        rollout: filled({ after: time(), strategy: deploymentRolloutStrategyV1beta2 }),
        taints: machineTaints,
        variables: overridesV1beta2,
      }),
      { mapKeys: ['name'] },
    ),
    machinePools: oneToMany(
      2000,
      req(['class', 'name'], {
        class: text(256),
        deletion: nodeDeletionV1beta2,
        failureDomains: oneToMany(100, text(256)),
        metadata: templateMetaV1beta2,
        minReadySeconds: seconds(),
        name: poolName(),
        replicas: int(),
        taints: machineTaints,
        variables: overridesV1beta2,
      }),
      { mapKeys: ['name'] },
    ),
  }),
});

const specV1beta2 = filled({
  availabilityGates: readinessGates(1),
  clusterNetwork: filled({ apiServerPort: port(), pods: cidrsV1beta2, serviceDomain: text(253), services: cidrsV1beta2 }),
  controlPlaneEndpoint: filled({ host: text(512), port: port() }),
  controlPlaneRef: contractRef,
  infrastructureRef: contractRef,
  paused: bool(),
  topology: topologyV1beta2,
});

/** Cluster at v1beta1 and v1beta2. */
export const clusterKinds: readonly KindDefinition[] = [
  capiKind(CLUSTER_GROUP, 'v1beta1', 'Cluster', specV1beta1),
  capiKind(CLUSTER_GROUP, 'v1beta2', 'Cluster', specV1beta2),
];
