/**
 * The kubeadm providers' kinds at v1beta1 and v1beta2: KubeadmConfigTemplate (bootstrap),
 * KubeadmControlPlane and KubeadmControlPlaneTemplate (control plane). All three embed the same
 * KubeadmConfigSpec of their version.
 */
import { enumOf, int, intOrString, obj, str, time } from '../dsl/builders.js';
import type { KindDefinition } from '../dsl/kind.js';
import {
  BOOTSTRAP_GROUP,
  contractRef,
  CONTROLPLANE_GROUP,
  machineTaints,
  namingV1beta1,
  namingV1beta2,
  nodeDeletionV1beta2,
  nodeTimeoutsV1beta1,
  readinessGates,
  templateMetaV1beta1,
  templateMetaV1beta2,
} from './capi-common.js';
import { defaulted, filled, req, text } from './dsl-extra.js';
import { kubeadmConfigSpecV1beta1 } from './kubeadm-v1beta1.js';
import { kubeadmConfigSpecV1beta2 } from './kubeadm-v1beta2.js';
import { objectReference } from './kubernetes-core.js';
import { capiKind } from './machine.js';

// ---- v1beta1 ----

/** Rollout settings KubeadmControlPlane and its template share at v1beta1; the strategy defaults to a rolling update with one surge machine. */
const rolloutV1beta1 = {
  remediationStrategy: obj({ maxRetry: int(), minHealthyPeriod: str(), retryPeriod: str() }),
  rolloutAfter: time(),
  rolloutBefore: obj({ certificatesExpiryDays: int() }),
  rolloutStrategy: defaulted(obj({ rollingUpdate: obj({ maxSurge: intOrString() }), type: enumOf('RollingUpdate') }), {
    rollingUpdate: { maxSurge: 1 },
    type: 'RollingUpdate',
  }),
};

const kubeadmControlPlaneSpecV1beta1 = req(['kubeadmConfigSpec', 'machineTemplate', 'version'], {
  kubeadmConfigSpec: kubeadmConfigSpecV1beta1,
  machineNamingStrategy: namingV1beta1,
  machineTemplate: req(['infrastructureRef'], {
    infrastructureRef: objectReference,
    metadata: templateMetaV1beta1,
    ...nodeTimeoutsV1beta1,
    readinessGates: readinessGates(),
    taints: machineTaints,
  }),
  replicas: int(),
  ...rolloutV1beta1,
  version: text(256),
});

const kubeadmControlPlaneTemplateSpecV1beta1 = req(['template'], {
  template: req(['spec'], {
    metadata: templateMetaV1beta1,
    spec: req(['kubeadmConfigSpec'], {
      kubeadmConfigSpec: kubeadmConfigSpecV1beta1,
      machineNamingStrategy: namingV1beta1,
      machineTemplate: obj({ metadata: templateMetaV1beta1, ...nodeTimeoutsV1beta1, taints: machineTaints }),
      ...rolloutV1beta1,
    }),
  }),
});

const kubeadmConfigTemplateSpecV1beta1 = req(['template'], { template: obj({ metadata: templateMetaV1beta1, spec: kubeadmConfigSpecV1beta1 }) });

// ---- v1beta2 ----

/** Remediation and rollout settings KubeadmControlPlane and its template share at v1beta2. */
const rolloutV1beta2 = {
  remediation: filled({ maxRetry: int(), minHealthyPeriodSeconds: int({ minimum: 0 }), retryPeriodSeconds: int({ minimum: 0 }) }),
  rollout: filled({
    after: time(),
    before: filled({ certificatesExpiryDays: int({ minimum: 7 }) }),
    strategy: filled({ rollingUpdate: filled({ maxSurge: intOrString() }), type: enumOf('RollingUpdate') }, { required: ['type'] }),
  }),
};

const kubeadmControlPlaneSpecV1beta2 = req(['machineTemplate', 'version'], {
  kubeadmConfigSpec: kubeadmConfigSpecV1beta2,
  machineNaming: namingV1beta2,
  machineTemplate: req(['spec'], {
    metadata: templateMetaV1beta2,
    spec: req(['infrastructureRef'], {
      deletion: nodeDeletionV1beta2,
      infrastructureRef: contractRef,
      readinessGates: readinessGates(1),
      taints: machineTaints,
    }),
  }),
  replicas: int(),
  ...rolloutV1beta2,
  version: text(256),
});

const kubeadmControlPlaneTemplateSpecV1beta2 = req(['template'], {
  template: filled({
    metadata: templateMetaV1beta2,
    spec: filled({
      kubeadmConfigSpec: kubeadmConfigSpecV1beta2,
      machineNaming: namingV1beta2,
      machineTemplate: filled({ metadata: templateMetaV1beta2, spec: filled({ deletion: nodeDeletionV1beta2, taints: machineTaints }) }),
      ...rolloutV1beta2,
    }),
  }),
});

const kubeadmConfigTemplateSpecV1beta2 = req(['template'], { template: filled({ metadata: templateMetaV1beta2, spec: kubeadmConfigSpecV1beta2 }) });

/** KubeadmConfigTemplate, KubeadmControlPlane and KubeadmControlPlaneTemplate at v1beta1 and v1beta2. */
export const kubeadmKinds: readonly KindDefinition[] = [
  capiKind(BOOTSTRAP_GROUP, 'v1beta1', 'KubeadmConfigTemplate', kubeadmConfigTemplateSpecV1beta1),
  // The v1beta2 KubeadmConfigTemplate CRD, unlike its siblings, does not require `spec`.
  { ...capiKind(BOOTSTRAP_GROUP, 'v1beta2', 'KubeadmConfigTemplate', kubeadmConfigTemplateSpecV1beta2), required: [] },
  capiKind(CONTROLPLANE_GROUP, 'v1beta1', 'KubeadmControlPlane', kubeadmControlPlaneSpecV1beta1),
  capiKind(CONTROLPLANE_GROUP, 'v1beta2', 'KubeadmControlPlane', kubeadmControlPlaneSpecV1beta2),
  capiKind(CONTROLPLANE_GROUP, 'v1beta1', 'KubeadmControlPlaneTemplate', kubeadmControlPlaneTemplateSpecV1beta1),
  { ...capiKind(CONTROLPLANE_GROUP, 'v1beta2', 'KubeadmControlPlaneTemplate', kubeadmControlPlaneTemplateSpecV1beta2), required: [] },
];
