/** Every kind pacific serves, from its own definitions; `generate.ts` writes them to `schemas/`. */
import { coreKinds } from './core.js';
import { configMapV1, secretV1 } from './core-workloads/config-map.js';
import { deploymentV1 } from './core-workloads/deployment.js';
import { limitRangeV1 } from './core-workloads/limit-range.js';
import { podV1 } from './core-workloads/pod.js';
import { persistentVolumeClaimV1 } from './core-workloads/persistent-volume-claim.js';
import { serviceV1 } from './core-workloads/service.js';
import { pacificKinds } from './pacific.js';
import { vmOperatorKinds } from './vmoperator/index.js';
import { clusterKinds } from './clusterapi/cluster.js';
import { tanzuKubernetesClusterKinds } from './clusterapi/tanzu-kubernetes-cluster.js';
import type { KindDefinition } from './dsl/kind.js';

/** The kinds the daemon serves: each has a reconciler (a test holds the two lists together). */
export const servedKindDefinitions: readonly KindDefinition[] = [
  ...coreKinds,
  podV1,
  deploymentV1,
  limitRangeV1,
  configMapV1,
  secretV1,
  persistentVolumeClaimV1,
  serviceV1,
  ...pacificKinds,
  ...vmOperatorKinds,
  ...clusterKinds,
  ...tanzuKubernetesClusterKinds,
];
