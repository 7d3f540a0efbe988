/** Every kind's reconciler: Supervisor namespaces and policy, then workloads, then guest clusters. */
import { kubeObjectReconciler } from './shared/kube-object.js';
import { namespaceReconciler } from './supervisor/namespace.js';
import { namespacePolicyReconciler, registryProjectReconciler } from './supervisor/namespace-policy.js';
import { resourceQuotaReconciler } from './supervisor/resource-quota.js';
import { limitRangeReconciler } from './supervisor/limit-range.js';
import { deploymentReconciler, replicaSetReconciler } from './supervisor/deployment.js';
import { podReconciler } from './supervisor/pod.js';
import { persistentVolumeClaimReconciler } from './supervisor/persistent-volume-claim.js';
import { serviceReconciler } from './supervisor/service.js';
import { virtualMachineClassReconciler } from './vmoperator/virtual-machine-class.js';
import { virtualMachineReconciler } from './vmoperator/virtual-machine.js';
import { clusterVirtualMachineImageReconciler, virtualMachineImageReconciler } from './vmoperator/virtual-machine-image.js';
import { virtualMachineServiceReconciler } from './vmoperator/virtual-machine-service.js';
import { virtualMachineSetResourcePolicyReconciler } from './vmoperator/virtual-machine-set-resource-policy.js';
import { virtualMachineSnapshotReconciler } from './vmoperator/virtual-machine-snapshot.js';
import { virtualMachinePublishRequestReconciler } from './vmoperator/virtual-machine-publish-request.js';
import { virtualMachineGroupReconciler } from './vmoperator/virtual-machine-group.js';
import { clusterReconciler, vsphereClusterReconciler } from './clusterapi/cluster.js';
import { kubeadmControlPlaneReconciler } from './clusterapi/kubeadm-control-plane.js';
import { machineDeploymentReconciler, machineSetReconciler } from './clusterapi/machine-deployment.js';
import { machineReconciler, vsphereMachineReconciler, vsphereMachineTemplateReconciler } from './clusterapi/machine.js';
import { tanzuKubernetesClusterReconciler } from './clusterapi/tanzu-kubernetes-cluster.js';
import { ReconcilerSet } from '../plan/reconciler-set.js';
import { KIND_ORDER } from './kind-order.js';

/** Every kind's reconciler, each in its wave of `KIND_ORDER`. */
export const reconcilers = new ReconcilerSet(
  [
    namespaceReconciler,
    resourceQuotaReconciler,
    limitRangeReconciler,
    namespacePolicyReconciler,
    registryProjectReconciler,
    virtualMachineClassReconciler,
    virtualMachineImageReconciler,
    clusterVirtualMachineImageReconciler,
    virtualMachineSetResourcePolicyReconciler,
    virtualMachineGroupReconciler,
    kubeObjectReconciler({ group: '', kind: 'ConfigMap' }),
    kubeObjectReconciler({ group: '', kind: 'Secret' }),
    persistentVolumeClaimReconciler,
    virtualMachineReconciler,
    virtualMachineSnapshotReconciler,
    virtualMachinePublishRequestReconciler,
    virtualMachineServiceReconciler,
    deploymentReconciler,
    replicaSetReconciler,
    podReconciler,
    serviceReconciler,
    tanzuKubernetesClusterReconciler,
    clusterReconciler,
    vsphereClusterReconciler,
    vsphereMachineTemplateReconciler,
    kubeadmControlPlaneReconciler,
    machineDeploymentReconciler,
    machineSetReconciler,
    machineReconciler,
    vsphereMachineReconciler,
  ],
  KIND_ORDER,
);
