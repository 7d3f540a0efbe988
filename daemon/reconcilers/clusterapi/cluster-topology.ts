/**
 * What Cluster API's topology controller and CAPV (Supervisor mode) create for a Cluster of class
 * `tanzukubernetescluster`: the VSphereCluster, one VSphereMachineTemplate per machine shape, the
 * KubeadmControlPlane, a MachineDeployment per worker pool, the resource policy (the cluster's
 * resource pool, folder and cluster modules), the API server's load balancer on 6443 and, once it
 * has an address, the kubeconfig Secret. Pure: the model and the live load balancer in, objects out.
 */
import { createHash } from 'node:crypto';
import type { ManifestObject } from '../../manifests/types.js';
import { derivedObject } from '../shared/derived.js';
import type { GuestCluster, MachinePool } from './guest-cluster.js';
import { machineShape, shapeTemplate } from './machine-shape.js';
import type { HeldPart, RolloutGate } from './topology-rollout.js';
import {
  CAPI,
  CLUSTER_NAME_LABEL,
  CONTROL_PLANE_API,
  CONTROL_PLANE_MODULE,
  BOOTSTRAP_API,
  VM_CLUSTER_LABEL,
  VM_OPERATOR_API,
  VM_ROLE_LABEL,
  VSPHERE_API,
  controlPlaneName,
  controlPlaneServiceName,
  DEPLOYMENT_NAME_LABEL,
  kubeconfigSecretName,
  machineDeploymentName,
} from './names.js';

/** The API server's port on every Kubernetes control plane. */
export const API_SERVER_PORT = 6443;

const kubeconfig = (cluster: GuestCluster, endpoint: string): string => {
  // Stand-in CA data: stable per cluster; a real one is the cluster CA's certificate.
  const ca = createHash('sha256').update(`ca/${cluster.namespace}/${cluster.name}`).digest('base64');
  const user = `${cluster.name}-admin`;
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${cluster.name}`,
    '  cluster:',
    `    server: https://${endpoint}:${API_SERVER_PORT}`,
    `    certificate-authority-data: ${ca}`,
    'contexts:',
    `- name: ${user}@${cluster.name}`,
    '  context:',
    `    cluster: ${cluster.name}`,
    `    user: ${user}`,
    `current-context: ${user}@${cluster.name}`,
    'users:',
    `- name: ${user}`,
    '  user:',
    '    exec: {apiVersion: client.authentication.k8s.io/v1, command: kubectl-vsphere, args: [login]}',
    '',
  ].join('\n');
};

/**
 * The objects a Cluster derives; `endpoint` is its load balancer's address once assigned. A part
 * the rollout gate holds keeps its live version and template (see topology-rollout.ts).
 */
export function clusterChildren(parent: ManifestObject, cluster: GuestCluster, endpoint: string | undefined, gate: RolloutGate = { pools: new Map() }): ManifestObject[] {
  const c = cluster.name;
  const labels = { [CLUSTER_NAME_LABEL]: c };
  /** The version and template a part runs this pass, and its template object. */
  const part = (pool: MachinePool, owner: string, held: HeldPart | undefined) => {
    const name = held?.template ?? shapeTemplate(cluster, pool, owner);
    const shape = held ? held.shape : machineShape(cluster, pool);
    return {
      version: held?.version ?? cluster.version,
      ref: { apiVersion: VSPHERE_API, kind: 'VSphereMachineTemplate', name },
      objects: shape ? [derivedObject(parent, VSPHERE_API, 'VSphereMachineTemplate', name, { metadata: { labels }, spec: { template: { spec: shape } } })] : [],
    };
  };

  const kcp = controlPlaneName(c);
  const cp = part(cluster.controlPlane, kcp, gate.controlPlane);
  const objects: ManifestObject[] = [
    derivedObject(parent, VSPHERE_API, 'VSphereCluster', c, { metadata: { labels }, spec: {} }),
    derivedObject(parent, VM_OPERATOR_API, 'VirtualMachineSetResourcePolicy', c, {
      metadata: { labels },
      spec: { resourcePool: { name: c }, folder: c, clusterModuleGroups: [CONTROL_PLANE_MODULE, ...cluster.workers.map((w) => machineDeploymentName(c, w.name))] },
    }),
    derivedObject(parent, VM_OPERATOR_API, 'VirtualMachineService', controlPlaneServiceName(c), {
      metadata: { labels },
      spec: {
        type: 'LoadBalancer',
        ports: [{ name: 'apiserver', port: API_SERVER_PORT, protocol: 'TCP', targetPort: API_SERVER_PORT }],
        selector: { [VM_CLUSTER_LABEL]: c, [VM_ROLE_LABEL]: 'controlplane' },
      },
    }),
    ...cp.objects,
    derivedObject(parent, CONTROL_PLANE_API, 'KubeadmControlPlane', kcp, {
      metadata: { labels },
      spec: {
        replicas: cluster.controlPlane.replicas,
        version: cp.version,
        machineTemplate: { infrastructureRef: cp.ref },
        kubeadmConfigSpec: { clusterConfiguration: { networking: { podSubnet: cluster.network.pods.join(','), serviceSubnet: cluster.network.services.join(','), dnsDomain: cluster.network.serviceDomain } } },
        rolloutStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
      },
    }),
  ];
  for (const pool of cluster.workers) {
    const md = machineDeploymentName(c, pool.name);
    const selector = { [CLUSTER_NAME_LABEL]: c, [DEPLOYMENT_NAME_LABEL]: md };
    const worker = part(pool, md, gate.pools.get(pool.name));
    objects.push(
      ...worker.objects,
      derivedObject(parent, CAPI, 'MachineDeployment', md, {
        metadata: { labels },
        spec: {
          clusterName: c,
          replicas: pool.replicas,
          selector: { matchLabels: selector },
          // Cluster API's default for MachineDeployments: one extra machine at a time, none taken away first.
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
          template: {
            metadata: { labels: selector },
            spec: {
              clusterName: c,
              version: worker.version,
              bootstrap: { configRef: { apiVersion: BOOTSTRAP_API, kind: 'KubeadmConfigTemplate', name: md } },
              infrastructureRef: worker.ref,
              ...(pool.failureDomain ? { failureDomain: pool.failureDomain } : {}),
            },
          },
        },
      }),
    );
  }
  if (endpoint) {
    objects.push(
      derivedObject(parent, 'v1', 'Secret', kubeconfigSecretName(c), {
        metadata: { labels },
        type: 'cluster.x-k8s.io/secret',
        data: { value: Buffer.from(kubeconfig(cluster, endpoint)).toString('base64') },
      }),
    );
  }
  return objects;
}
