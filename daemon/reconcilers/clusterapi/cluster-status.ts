/**
 * Where a guest cluster stands, read from the inventory: its load balancer (the control plane
 * endpoint), its control-plane and worker machines, and what holds back the machines that wait.
 * Cluster API's phases and conditions: Provisioning until the endpoint exists, then Provisioned;
 * InfrastructureReady, ControlPlaneReady, Ready.
 */
import { findKubeObject, kubeObjects } from '../../inventory/kube-object.js';
import type { InventoryReader } from '../../inventory/registry.js';
import { objectKey } from '../../manifests/types.js';
import { condition, type Condition, type ProblemLookup } from '../../plan/contract.js';
import type { GuestCluster, MachinePool } from './guest-cluster.js';
import { API_SERVER_PORT } from './cluster-topology.js';
import { shapeTemplate } from './machine-shape.js';
import { machinePhase } from './machines.js';
import { CLONED_FROM_ANNOTATION, CLUSTER_NAME_LABEL, CONTROL_PLANE_LABEL, DEPLOYMENT_NAME_LABEL, controlPlaneName, controlPlaneServiceName, kubeconfigSecretName, machineDeploymentName } from './names.js';
import { liveSpecOf } from '../../manifests/typed-spec.js';

export interface PoolProgress {
  readonly name: string;
  readonly replicas: number;
  readonly machines: number;
  readonly running: number;
  readonly upToDate: number;
}

export interface ClusterProgress {
  readonly endpoint?: string;
  readonly controlPlane: PoolProgress;
  readonly workers: readonly PoolProgress[];
  /** Machines that cannot get what they need, with the reason (a refused VM or claim). */
  readonly blocked: readonly string[];
  readonly kubeconfig: boolean;
}

export function clusterProgress(inventory: InventoryReader, cluster: GuestCluster, problemOf: ProblemLookup): ClusterProgress {
  const ns = cluster.namespace;
  const machines = kubeObjects(inventory, 'Machine', ns).filter((m) => m.object.labels?.[CLUSTER_NAME_LABEL] === cluster.name);
  const blocked: string[] = [];
  for (const m of machines) {
    const vm = problemOf(objectKey('vmoperator.vmware.com', 'VirtualMachine', ns, m.object.name));
    const claim = [...problemsOfClaims(ns, m.object.name, inventory, problemOf)][0];
    const why = vm ?? claim;
    if (why) blocked.push(`machine ${m.object.name}: ${why.message}`);
  }
  // Up to date: running a node at the cluster's version, cloned from the pool's current shape.
  const progress = (pool: MachinePool, owner: string, inPool: typeof machines): PoolProgress => {
    const running = inPool.filter((m) => machinePhase(inventory, m) === 'Running');
    const template = shapeTemplate(cluster, pool, owner);
    return {
      name: pool.name,
      replicas: pool.replicas,
      machines: inPool.length,
      running: running.length,
      upToDate: running.filter((m) => liveSpecOf(m.object, 'Machine')?.version === cluster.version && m.object.annotations?.[CLONED_FROM_ANNOTATION] === template).length,
    };
  };
  const controlPlane = machines.filter((m) => m.object.labels?.[CONTROL_PLANE_LABEL] !== undefined);
  const endpoint = inventory.find('Service', ns, controlPlaneServiceName(cluster.name))?.loadBalancerIP;
  return {
    ...(endpoint ? { endpoint } : {}),
    controlPlane: progress(cluster.controlPlane, controlPlaneName(cluster.name), controlPlane),
    workers: cluster.workers.map((w) => {
      const md = machineDeploymentName(cluster.name, w.name);
      return progress(w, md, machines.filter((m) => m.object.labels?.[DEPLOYMENT_NAME_LABEL] === md));
    }),
    blocked,
    kubeconfig: !!findKubeObject(inventory, 'Secret', ns, kubeconfigSecretName(cluster.name)),
  };
}

function* problemsOfClaims(namespace: string, machine: string, inventory: InventoryReader, problemOf: ProblemLookup) {
  const vm = findKubeObject(inventory, 'VSphereMachine', namespace, machine);
  for (const v of (vm && liveSpecOf(vm.object, 'VSphereMachine'))?.volumes ?? []) {
    const p = problemOf(objectKey('', 'PersistentVolumeClaim', namespace, `${machine}-${v.name}`));
    if (p) yield p;
  }
}

const settled = (p: PoolProgress) => p.machines === p.replicas && p.upToDate === p.replicas;

/** Cluster API's conditions, with the reason a waiting rollout gives. */
export function clusterConditions(p: ClusterProgress): Condition[] {
  const infra = p.endpoint
    ? condition('InfrastructureReady', 'True', 'Ready', `control plane endpoint ${p.endpoint}:${API_SERVER_PORT}`)
    : condition('InfrastructureReady', 'False', 'WaitingForLoadBalancer', 'the control plane load balancer has no address yet');
  const cp = p.controlPlane.running >= p.controlPlane.replicas
    ? condition('ControlPlaneReady', 'True', 'Ready', `${p.controlPlane.running} control-plane machine(s) running`)
    : condition('ControlPlaneReady', 'False', 'WaitingForControlPlane', `${p.controlPlane.running} of ${p.controlPlane.replicas} control-plane machines running`);
  const pools = [p.controlPlane, ...p.workers];
  const unsettled = pools.filter((x) => !settled(x));
  let ready: Condition;
  if (p.blocked.length) ready = condition('Ready', 'False', 'RolloutStalled', `${p.blocked.join('; ')}; the machines already running are kept`);
  else if (!p.endpoint || unsettled.length) {
    ready = condition('Ready', 'False', 'Provisioning', unsettled.map((x) => `${x.name}: ${x.upToDate} of ${x.replicas} machines running the desired version and shape`).join('; ') || 'waiting for the control plane endpoint');
  } else ready = condition('Ready', 'True', 'Ready', `${pools.reduce((n, x) => n + x.replicas, 0)} machines running`);
  return [ready, infra, cp];
}

export function clusterFields(p: ClusterProgress, cluster: GuestCluster): Record<string, unknown> {
  return {
    phase: p.endpoint ? 'Provisioned' : 'Provisioning',
    ...(p.endpoint ? { controlPlaneEndpoint: { host: p.endpoint, port: API_SERVER_PORT } } : {}),
    infrastructureReady: !!p.endpoint,
    controlPlaneReady: p.controlPlane.running >= p.controlPlane.replicas,
    version: cluster.version,
    ...(p.kubeconfig ? { kubeconfigSecret: kubeconfigSecretName(cluster.name) } : {}),
    machines: [p.controlPlane, ...p.workers].map((x) => ({ pool: x.name, replicas: x.replicas, machines: x.machines, running: x.running, upToDate: x.upToDate })),
  };
}
