/**
 * MachineHealthCheck at v1beta1 and v1beta2, and the health-check fragments a ClusterClass or a
 * Cluster topology embeds. v1beta2 moves the checks under `checks` (timeouts in seconds) and the
 * remediation settings under `remediation`.
 */
import { enumOf, int, intOrString, list, obj, str, type Schema } from '../dsl/builders.js';
import type { KindDefinition } from '../dsl/kind.js';
import { CLUSTER_GROUP, templateRef } from './capi-common.js';
import { filled, QUALIFIED_NAME, req, text, upTo } from './dsl-extra.js';
import { labelSelector, objectReference } from './kubernetes-core.js';
import { capiKind } from './machine.js';

/** Machine conditions Cluster API owns, which a health check may not watch. */
const RESERVED_CONDITION = {
  rule: "!(self in ['Ready','Available','HealthCheckSucceeded','OwnerRemediated','ExternallyRemediated'])",
  message: 'type must not be one of: Ready, Available, HealthCheckSucceeded, OwnerRemediated, ExternallyRemediated',
};

const machineConditionType = text(316, { pattern: QUALIFIED_NAME, cel: [RESERVED_CONDITION] });
const CONDITION_STATUS = enumOf('True', 'False', 'Unknown');
const unhealthyRange = text(32, { pattern: '^\\[[0-9]+-[0-9]+\\]$' });

/** The v1beta1 check fields (MachineHealthCheck spec and the topology overrides share them). */
export const checksV1beta1: Record<string, Schema> = {
  maxUnhealthy: intOrString(),
  nodeStartupTimeout: str(),
  remediationTemplate: objectReference,
  unhealthyConditions: upTo(100, req(['status', 'timeout', 'type'], { status: str({ minLength: 1 }), timeout: str(), type: str({ minLength: 1 }) })),
  unhealthyMachineConditions: list(req(['status', 'timeout', 'type'], { status: CONDITION_STATUS, timeout: str(), type: machineConditionType }), {
    minItems: 1,
    maxItems: 100,
  }),
  unhealthyRange,
};

/** v1beta2 `checks`: how long a node may take to start and which conditions mark it unhealthy. */
export const checksV1beta2 = filled({
  nodeStartupTimeoutSeconds: int({ minimum: 0 }),
  unhealthyMachineConditions: list(
    req(['status', 'timeoutSeconds', 'type'], { status: CONDITION_STATUS, timeoutSeconds: int({ minimum: 0 }), type: machineConditionType }),
    { minItems: 1, maxItems: 100 },
  ),
  unhealthyNodeConditions: list(
    req(['status', 'timeoutSeconds', 'type'], { status: str({ minLength: 1 }), timeoutSeconds: int({ minimum: 0 }), type: str({ minLength: 1 }) }),
    { minItems: 1, maxItems: 100 },
  ),
});

/** v1beta2 `remediation.triggerIf`: remediate only while few enough machines are unhealthy. */
export const triggerIfV1beta2 = filled({ unhealthyInRange: unhealthyRange, unhealthyLessThanOrEqualTo: intOrString() });

/** v1beta2 `remediation` of a MachineHealthCheck (and of a control-plane topology health check). */
export const remediationV1beta2 = filled({ templateRef, triggerIf: triggerIfV1beta2 });

/** v1beta2 `remediation` of a worker health check in a ClusterClass or topology: also how many at once. */
export const workerRemediationV1beta2 = filled({ maxInFlight: intOrString(), templateRef, triggerIf: triggerIfV1beta2 });

const specV1beta1 = req(['clusterName', 'selector'], { clusterName: text(63), selector: labelSelector, ...checksV1beta1 });
const specV1beta2 = req(['clusterName', 'selector'], {
  checks: checksV1beta2,
  clusterName: text(63),
  remediation: remediationV1beta2,
  selector: labelSelector,
});

/** The v1beta1 MachineHealthCheck fields without cluster name and selector (ClusterClass/topology overrides). */
export const healthCheckOverrideV1beta1 = obj(checksV1beta1);

/** MachineHealthCheck at v1beta1 and v1beta2. */
export const machineHealthCheckKinds: readonly KindDefinition[] = [
  capiKind(CLUSTER_GROUP, 'v1beta1', 'MachineHealthCheck', specV1beta1),
  capiKind(CLUSTER_GROUP, 'v1beta2', 'MachineHealthCheck', specV1beta2),
];
