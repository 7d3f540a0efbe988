/**
 * ClusterClass at v1beta1 and v1beta2: the template a topology-managed Cluster is stamped from
 * (on the Supervisor, class `tanzukubernetescluster`): control plane and infrastructure
 * templates, worker classes, variables and patches. v1beta2 renames `ref` to `templateRef`
 * (apiVersion/kind/name only), `namingStrategy` to `naming`, and health checks to `healthCheck`.
 */
import { int, list, obj } from '../dsl/builders.js';
import type { KindDefinition } from '../dsl/kind.js';
import {
  CLUSTER_GROUP,
  DELETE_ORDER,
  machineTaints,
  nodeDeletionV1beta2,
  nodeTimeoutsV1beta1,
  nodeTimeoutsV1beta2,
  readinessGates,
  templateMetaV1beta1,
  templateMetaV1beta2,
  templateRef,
} from './capi-common.js';
import { patchesV1beta1, patchesV1beta2, upgrade } from './cluster-class-patches.js';
import { variableV1beta1, variableV1beta2 } from './cluster-class-variables.js';
import { filled, oneToMany, req, text, upTo } from './dsl-extra.js';
import { objectReference } from './kubernetes-core.js';
import { checksV1beta2, healthCheckOverrideV1beta1, remediationV1beta2, workerRemediationV1beta2 } from './machine-health-check.js';
import { capiKind, deploymentRolloutStrategyV1beta2, deploymentStrategyV1beta1 } from './machine.js';

const kubernetesVersions = list(text(256), { minItems: 1, maxItems: 100 });

// ---- v1beta1 ----

const refV1beta1 = req(['ref'], { ref: objectReference });
const namingV1beta1 = obj({ template: text(1024) });
const workerTemplateV1beta1 = req(['bootstrap', 'infrastructure'], { bootstrap: refV1beta1, infrastructure: refV1beta1, metadata: templateMetaV1beta1 });

const specV1beta1 = obj({
  availabilityGates: readinessGates(),
  controlPlane: req(['ref'], {
    machineHealthCheck: healthCheckOverrideV1beta1,
    machineInfrastructure: refV1beta1,
    metadata: templateMetaV1beta1,
    namingStrategy: namingV1beta1,
    ...nodeTimeoutsV1beta1,
    readinessGates: readinessGates(),
    ref: objectReference,
    taints: machineTaints,
  }),
  infrastructure: refV1beta1,
  infrastructureNamingStrategy: namingV1beta1,
  kubernetesVersions,
  patches: patchesV1beta1,
  upgrade,
  variables: upTo(1000, variableV1beta1),
  workers: obj({
    machineDeployments: list(
      req(['class', 'template'], {
        class: text(256),
        failureDomain: text(256),
        machineHealthCheck: healthCheckOverrideV1beta1,
        minReadySeconds: int(),
        namingStrategy: namingV1beta1,
        ...nodeTimeoutsV1beta1,
        readinessGates: readinessGates(),
        strategy: deploymentStrategyV1beta1,
        taints: machineTaints,
        template: workerTemplateV1beta1,
      }),
      { maxItems: 100, mapKeys: ['class'] },
    ),
    machinePools: list(
      req(['class', 'template'], {
        class: text(256),
        failureDomains: upTo(100, text(256)),
        minReadySeconds: int(),
        namingStrategy: namingV1beta1,
        ...nodeTimeoutsV1beta1,
        taints: machineTaints,
        template: workerTemplateV1beta1,
      }),
      { maxItems: 100, mapKeys: ['class'] },
    ),
  }),
});

// ---- v1beta2 ----

const refV1beta2 = req(['templateRef'], { templateRef });
const namingV1beta2 = filled({ template: text(1024) });
const seconds = () => int({ minimum: 0 });

const specV1beta2 = req(['controlPlane', 'infrastructure'], {
  availabilityGates: readinessGates(1),
  controlPlane: req(['templateRef'], {
    deletion: nodeDeletionV1beta2,
    healthCheck: filled({ checks: checksV1beta2, remediation: remediationV1beta2 }),
    machineInfrastructure: refV1beta2,
    metadata: templateMetaV1beta2,
    naming: namingV1beta2,
    readinessGates: readinessGates(1),
    taints: machineTaints,
    templateRef,
  }),
  infrastructure: req(['templateRef'], { naming: namingV1beta2, templateRef }),
  kubernetesVersions,
  patches: patchesV1beta2,
  upgrade,
  variables: oneToMany(1000, variableV1beta2),
  workers: filled({
    machineDeployments: oneToMany(
      100,
      req(['bootstrap', 'class', 'infrastructure'], {
        bootstrap: refV1beta2,
        class: text(256),
        deletion: filled({ ...nodeTimeoutsV1beta2, order: DELETE_ORDER }),
        failureDomain: text(256),
        healthCheck: filled({ checks: checksV1beta2, remediation: workerRemediationV1beta2 }),
        infrastructure: refV1beta2,
        metadata: templateMetaV1beta2,
        minReadySeconds: seconds(),
        naming: namingV1beta2,
        readinessGates: readinessGates(1),
        rollout: filled({ strategy: deploymentRolloutStrategyV1beta2 }),
        taints: machineTaints,
      }),
      { mapKeys: ['class'] },
    ),
    machinePools: oneToMany(
      100,
      req(['bootstrap', 'class', 'infrastructure'], {
        bootstrap: refV1beta2,
        class: text(256),
        deletion: nodeDeletionV1beta2,
        failureDomains: upTo(100, text(256)),
        infrastructure: refV1beta2,
        metadata: templateMetaV1beta2,
        minReadySeconds: seconds(),
        naming: namingV1beta2,
        taints: machineTaints,
      }),
      { mapKeys: ['class'] },
    ),
  }),
});

/** ClusterClass at v1beta1 and v1beta2. */
export const clusterClassKinds: readonly KindDefinition[] = [
  capiKind(CLUSTER_GROUP, 'v1beta1', 'ClusterClass', specV1beta1),
  capiKind(CLUSTER_GROUP, 'v1beta2', 'ClusterClass', specV1beta2),
];
