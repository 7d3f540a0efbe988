/**
 * Names, labels and API versions of what Cluster API and CAPV (Supervisor mode) create for a
 * cluster `c`, as the real controllers name them where the name is fixed:
 * `c-control-plane` (KubeadmControlPlane), `c-<pool>` (MachineDeployment), `c-<pool>-<hash>`
 * (MachineSet), `<owner>-<5 chars>` (Machine, and its VSphereMachine and VirtualMachine),
 * `c-control-plane-service` (the API server's load balancer, CAPV), `c` (resource policy,
 * VSphereCluster), `c-kubeconfig` (CAPI's kubeconfig Secret). The random parts Kubernetes draws
 * are derived from the owner and an ordinal instead, so names are reproducible.
 */
import { createHash } from 'node:crypto';
import { podTemplateHash } from '../supervisor/pod-names.js';
import { CLUSTER_NAME_LABEL } from '../../inventory/guest-node.js';

export { CLUSTER_NAME_LABEL };

export const CAPI = 'cluster.x-k8s.io/v1beta1';
export const CONTROL_PLANE_API = 'controlplane.cluster.x-k8s.io/v1beta1';
export const BOOTSTRAP_API = 'bootstrap.cluster.x-k8s.io/v1beta1';
export const VSPHERE_API = 'vmware.infrastructure.cluster.x-k8s.io/v1beta1';
export const VM_OPERATOR_API = 'vmoperator.vmware.com/v1alpha3';

export const CONTROL_PLANE_LABEL = 'cluster.x-k8s.io/control-plane';
export const CONTROL_PLANE_NAME_LABEL = 'cluster.x-k8s.io/control-plane-name';
export const DEPLOYMENT_NAME_LABEL = 'cluster.x-k8s.io/deployment-name';
export const SET_NAME_LABEL = 'cluster.x-k8s.io/set-name';
/** The template an infrastructure machine was cloned from (CAPI's annotation). */
export const CLONED_FROM_ANNOTATION = 'cluster.x-k8s.io/cloned-from-name';
/** CAPV's VM labels: which cluster, and which role (`controlplane` or `node`). */
export const VM_CLUSTER_LABEL = 'capv.vmware.com/cluster.name';
export const VM_ROLE_LABEL = 'capv.vmware.com/cluster.role';
/** CAPV's cluster module group of control-plane VMs (worker pools use their MachineDeployment's name). */
export const CONTROL_PLANE_MODULE = 'control-plane-group';

export const controlPlaneName = (cluster: string) => `${cluster}-control-plane`;
export const machineDeploymentName = (cluster: string, pool: string) => `${cluster}-${pool}`;
export const controlPlaneServiceName = (cluster: string) => `${cluster}-control-plane-service`;
export const kubeconfigSecretName = (cluster: string) => `${cluster}-kubeconfig`;

/** A template's name: its owner and a hash of what it holds (a change makes a new template, and a rollout). */
export function templateName(owner: string, content: unknown): string {
  return `${owner}-${podTemplateHash(content)}`;
}

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** `<owner>-<5 chars>` for the `ordinal`-th machine an owner creates from a generation of its template. */
export function machineName(owner: string, generation: string, ordinal: number): string {
  const digest = createHash('sha1').update(`${owner}#${generation}#${ordinal}`).digest();
  return `${owner}-${[...digest.subarray(0, 5)].map((b) => ALPHABET[b % ALPHABET.length]).join('')}`;
}
