/**
 * Cluster API (cluster.x-k8s.io and the kubeadm providers), CAPV (the Supervisor's
 * vmware.infrastructure.cluster.x-k8s.io, and the govmomi-mode infrastructure.cluster.x-k8s.io
 * cluster and machine kinds) and Tanzu (run.tanzu.vmware.com) kinds, defined from their CRDs but
 * not served yet: the lead wires them into `../index.ts` as their reconcilers land.
 */
import type { KindDefinition } from '../dsl/kind.js';
import { govmomiKinds } from './capv-govmomi.js';
import { supervisorClusterKinds } from './capv-supervisor.js';
import { clusterClassKinds } from './cluster-class.js';
import { clusterKinds } from './cluster.js';
import { kubeadmKinds } from './kubeadm-kinds.js';
import { machineHealthCheckKinds } from './machine-health-check.js';
import { machineKinds } from './machine.js';
import { tanzuKubernetesClusterKinds } from './tanzu-kubernetes-cluster.js';
import { tanzuKubernetesReleaseKinds } from './tanzu-kubernetes-release.js';
import { supervisorMachineKinds } from './vsphere-machine.js';

/** Every Cluster API / CAPV Supervisor / Tanzu kind × version pacific defines. */
export const clusterApiSchemaKinds: readonly KindDefinition[] = [
  ...clusterKinds,
  ...clusterClassKinds,
  ...machineKinds,
  ...machineHealthCheckKinds,
  ...kubeadmKinds,
  ...supervisorClusterKinds,
  ...supervisorMachineKinds,
  ...govmomiKinds,
  ...tanzuKubernetesClusterKinds,
  ...tanzuKubernetesReleaseKinds,
];
