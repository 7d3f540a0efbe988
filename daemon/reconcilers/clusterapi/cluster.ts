/**
 * cluster.x-k8s.io Cluster with a managed topology of class `tanzukubernetescluster`: admission
 * (a usable release, one minor version at a time, a control plane of 1 or 3 that does not shrink),
 * the objects its topology derives, and its status. A change the admission refuses leaves the
 * cluster as it was: derivation keeps following the live Cluster, so nothing is torn down.
 */
import { findKubeObject } from '../../inventory/kube-object.js';
import { releaseByVersion, upgradeProblem } from '../../catalog/kubernetes-releases.js';
import type { InventoryReader } from '../../inventory/registry.js';
import type { StoredObject } from '../../inventory/model/stored-object.js';
import type { ManifestObject } from '../../manifests/types.js';
import type { Admission, ObjectStatus, PlanContext, ProblemLookup } from '../../plan/contract.js';
import { kubeObjectReconciler } from '../shared/kube-object.js';
import { condition, refused, storedObject } from '../../plan/contract.js';
import { API_SERVER_PORT, clusterChildren } from './cluster-topology.js';
import { clusterConditions, clusterFields, clusterProgress } from './cluster-status.js';
import { disruptionNotes, provisioningNotes } from './disruption.js';
import { guestClusterOf, type GuestCluster, type ModelResult } from './guest-cluster.js';
import { controlPlaneServiceName } from './names.js';
import { rolloutGate } from './topology-rollout.js';

/** Why a cluster cannot move from `live` to `next`, or undefined. */
export function transitionProblem(live: GuestCluster, next: GuestCluster): { field: keyof ClusterFields; message: string } | undefined {
  const from = releaseByVersion(live.version);
  const to = releaseByVersion(next.version);
  const upgrade = from && to && from !== to ? upgradeProblem(from, to) : undefined;
  if (upgrade) return { field: 'version', message: upgrade };
  if (next.controlPlane.replicas < live.controlPlane.replicas) {
    return { field: 'controlPlaneReplicas', message: `Forbidden: scaling the control plane down (${live.controlPlane.replicas} → ${next.controlPlane.replicas}) is not supported` };
  }
  return undefined;
}

const liveModel = (object: StoredObject | undefined): GuestCluster | undefined => {
  const model = object ? guestClusterOf(object) : undefined;
  return model?.ok ? model.cluster : undefined;
};

/**
 * The cluster its children follow: the desired one when it is valid and reachable from the live
 * one, else the live one (a refused change must not tear anything down).
 */
export function effectiveCluster(desired: ModelResult, live: StoredObject | undefined): GuestCluster | undefined {
  const before = liveModel(live);
  if (desired.ok && (!before || !transitionProblem(before, desired.cluster))) return desired.cluster;
  return before;
}

/** Where a kind spells the fields a change is refused for. */
export interface ClusterFields {
  readonly version: string;
  readonly controlPlaneReplicas: string;
}

/** Admission shared by Cluster and TanzuKubernetesCluster: the model, then the change from what runs. */
export function admitGuestCluster(desired: ManifestObject, live: StoredObject | undefined, ctx: PlanContext, fields: ClusterFields): Admission {
  const model = guestClusterOf(storedObject(desired));
  if (!model.ok) return refused('Invalid', `${model.problem.field}: ${model.problem.message}`);
  const before = liveModel(live);
  if (!before) return { allowed: true, notes: provisioningNotes(model.cluster) };
  const problem = transitionProblem(before, model.cluster);
  if (problem) return refused('Invalid', `${fields[problem.field]}: ${problem.message}`);
  return { allowed: true, notes: disruptionNotes(before, model.cluster, ctx) };
}

/** Status of a guest cluster (a Cluster, or the TanzuKubernetesCluster it stands for). */
export function guestClusterStatus(desired: ManifestObject, live: StoredObject, inventory: InventoryReader, problemOf: ProblemLookup): ObjectStatus & { cluster?: GuestCluster } {
  const cluster = effectiveCluster(guestClusterOf(storedObject(desired)), live);
  if (!cluster) return { conditions: [] };
  const progress = clusterProgress(inventory, cluster, problemOf);
  return { cluster, conditions: clusterConditions(progress), fields: clusterFields(progress, cluster) };
}

export const clusterReconciler = kubeObjectReconciler({
  group: 'cluster.x-k8s.io',
  kind: 'Cluster',
  check: (desired, live, ctx) => admitGuestCluster(desired, live?.object, ctx, { version: 'spec.topology.version', controlPlaneReplicas: 'spec.topology.controlPlane.replicas' }),
  derive(desired, { inventory }) {
    const live = findKubeObject(inventory, 'Cluster', desired.namespace, desired.name)?.object;
    const cluster = effectiveCluster(guestClusterOf(storedObject(desired)), live);
    if (!cluster) return [];
    const endpoint = inventory.find('Service', desired.namespace, controlPlaneServiceName(desired.name))?.loadBalancerIP;
    return clusterChildren(desired, cluster, endpoint, rolloutGate(inventory, cluster));
  },
  status(desired, live, inventory, problemOf) {
    const { conditions, fields } = guestClusterStatus(desired, live.object, inventory, problemOf);
    return { conditions, ...(fields ? { fields } : {}) };
  },
});

/** CAPV's VSphereCluster (Supervisor mode): ready once the control plane load balancer has its address. */
export const vsphereClusterReconciler = kubeObjectReconciler({
  group: 'vmware.infrastructure.cluster.x-k8s.io',
  kind: 'VSphereCluster',
  status(desired, _live, inventory) {
    const address = inventory.find('Service', desired.namespace, controlPlaneServiceName(desired.name))?.loadBalancerIP;
    return {
      conditions: [condition('LoadBalancerReady', address ? 'True' : 'False', address ? 'Ready' : 'WaitingForAddress')],
      fields: { ready: !!address, ...(address ? { controlPlaneEndpoint: { host: address, port: API_SERVER_PORT } } : {}) },
    };
  },
});
