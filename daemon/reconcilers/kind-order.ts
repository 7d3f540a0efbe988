/**
 * The order kinds are applied in, as one table (flux's ReconcileOrder): a wave's creates and
 * updates run after every lower wave's, and deletes after every create and update, in reverse
 * wave order. Namespaces first; then what bounds them (quotas, limits, policy); then what
 * workloads refer to (classes, images, claims, configuration, resource policies) and the guest
 * clusters' objects, whose order Cluster API keeps by readiness; then VMs and Deployments; then
 * what they own; then pods; then the Services in front of them. Keys are `group/kind` (a core
 * kind's group is empty). Every kind with a reconciler has exactly one wave
 * (`plan/reconciler-set.ts` refuses anything else).
 */
export const KIND_ORDER: readonly (readonly string[])[] = [
  ['/Namespace'],
  ['/ResourceQuota', '/LimitRange', 'pacific.dev/NamespacePolicy'],
  [
    'pacific.dev/RegistryProject',
    'vmoperator.vmware.com/VirtualMachineClass',
    'vmoperator.vmware.com/VirtualMachineImage',
    'vmoperator.vmware.com/ClusterVirtualMachineImage',
    'vmoperator.vmware.com/VirtualMachineSetResourcePolicy',
    'vmoperator.vmware.com/VirtualMachineGroup',
    '/ConfigMap',
    '/Secret',
    '/PersistentVolumeClaim',
    'run.tanzu.vmware.com/TanzuKubernetesCluster',
    'cluster.x-k8s.io/Cluster',
    'vmware.infrastructure.cluster.x-k8s.io/VSphereCluster',
    'vmware.infrastructure.cluster.x-k8s.io/VSphereMachineTemplate',
    'controlplane.cluster.x-k8s.io/KubeadmControlPlane',
    'cluster.x-k8s.io/MachineDeployment',
    'cluster.x-k8s.io/MachineSet',
    'cluster.x-k8s.io/Machine',
    'vmware.infrastructure.cluster.x-k8s.io/VSphereMachine',
  ],
  ['vmoperator.vmware.com/VirtualMachine', 'apps/Deployment'],
  ['vmoperator.vmware.com/VirtualMachineSnapshot', 'vmoperator.vmware.com/VirtualMachinePublishRequest', 'apps/ReplicaSet'],
  ['/Pod'],
  ['vmoperator.vmware.com/VirtualMachineService', '/Service'],
];
