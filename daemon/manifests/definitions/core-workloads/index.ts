/**
 * The core workload kinds of issue 3, defined but not yet served: the lead adds them to
 * `servedKindDefinitions` when their reconcilers land.
 */
import type { KindDefinition } from '../dsl/kind.js';
import { configMapV1, secretV1 } from './config-map.js';
import { deploymentV1 } from './deployment.js';
import { limitRangeV1 } from './limit-range.js';
import { persistentVolumeClaimV1 } from './persistent-volume-claim.js';
import { podV1 } from './pod.js';
import { serviceV1 } from './service.js';

export { DNS1035_LABEL, DNS1035_LABEL_FORMAT } from './dsl-extra.js';

/** `v1` Pod, Service, PersistentVolumeClaim, LimitRange, ConfigMap, Secret and `apps/v1` Deployment. */
export const coreWorkloadKinds: readonly KindDefinition[] = [
  podV1,
  serviceV1,
  persistentVolumeClaimV1,
  limitRangeV1,
  configMapV1,
  secretV1,
  deploymentV1,
];
