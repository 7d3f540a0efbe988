/**
 * Kinds pacific derives from declared ones, at the version it derives them (a Deployment's
 * ReplicaSets, a Cluster's machines and templates, a policy's registry project). They are not
 * served and never read from a file; they are here so the code that builds and reads them gets
 * their TypeScript types from the same definitions (`kinds.generated.ts`).
 */
import type { KindDefinition } from './dsl/kind.js';
import { replicaSetV1 } from './core-workloads/deployment.js';
import { registryProjectV1alpha1 } from './pacific.js';
import { machineKinds } from './clusterapi/machine.js';
import { kubeadmKinds } from './clusterapi/kubeadm-kinds.js';
import { supervisorClusterKinds } from './clusterapi/capv-supervisor.js';
import { supervisorMachineKinds } from './clusterapi/vsphere-machine.js';

const DERIVED_CLUSTER_API = new Set(['Machine', 'MachineSet', 'MachineDeployment', 'KubeadmControlPlane', 'VSphereCluster', 'VSphereMachine', 'VSphereMachineTemplate']);

/** pacific derives the Cluster API kinds at v1beta1 (`reconcilers/clusterapi/names.ts`). */
export const derivedKindDefinitions: readonly KindDefinition[] = [
  replicaSetV1,
  registryProjectV1alpha1,
  ...[...machineKinds, ...kubeadmKinds, ...supervisorClusterKinds, ...supervisorMachineKinds].filter((d) => d.version === 'v1beta1' && DERIVED_CLUSTER_API.has(d.kind)),
];
