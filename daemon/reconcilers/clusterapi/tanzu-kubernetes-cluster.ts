/**
 * run.tanzu.vmware.com TanzuKubernetesCluster: on vSphere 8 the TKG controller turns it into a
 * Cluster of class `tanzukubernetescluster` with the same name; pacific derives that Cluster, which
 * derives the rest. Status is the TKC's own: phase creating / running / updating, and the cluster's
 * conditions.
 */
import { findKubeObject } from '../../inventory/kube-object.js';
import { objectKey } from '../../manifests/types.js';
import { derivedObject } from '../shared/derived.js';
import { kubeObjectReconciler } from '../shared/kube-object.js';
import { refused, storedObject } from '../../plan/contract.js';
import { admitGuestCluster, effectiveCluster, guestClusterStatus, type ClusterFields } from './cluster.js';
import { clusterSpecOf, fromTanzuKubernetesCluster } from './guest-cluster.js';
import { CAPI } from './names.js';

const fieldsOf = (apiVersion: string): ClusterFields =>
  apiVersion.endsWith('/v1alpha1')
    ? { version: 'spec.distribution.version', controlPlaneReplicas: 'spec.topology.controlPlane.count' }
    : { version: 'spec.topology.controlPlane.tkr.reference.name', controlPlaneReplicas: 'spec.topology.controlPlane.replicas' };

export const tanzuKubernetesClusterReconciler = kubeObjectReconciler({
  group: 'run.tanzu.vmware.com',
  kind: 'TanzuKubernetesCluster',
  check(desired, live, ctx) {
    const cluster = ctx.desired.get(objectKey('cluster.x-k8s.io', 'Cluster', desired.namespace, desired.name));
    if (cluster && !cluster.owner) return refused('Forbidden', `a Cluster named ${desired.name} is declared too (${cluster.source.file}:${cluster.source.line}): a TanzuKubernetesCluster makes its own`);
    return admitGuestCluster(desired, live?.object, ctx, fieldsOf(desired.apiVersion));
  },
  derive(desired, { inventory }) {
    const live = findKubeObject(inventory, 'TanzuKubernetesCluster', desired.namespace, desired.name)?.object;
    const cluster = effectiveCluster(fromTanzuKubernetesCluster(storedObject(desired)), live);
    return cluster ? [derivedObject(desired, CAPI, 'Cluster', desired.name, { metadata: { labels: { 'run.tanzu.vmware.com/tkr': cluster.version.replace('+', '---') } }, spec: clusterSpecOf(cluster) })] : [];
  },
  status(desired, live, inventory, problemOf) {
    const { cluster, conditions, fields } = guestClusterStatus(desired, live.object, inventory, problemOf);
    if (!cluster) return { conditions };
    // creating until the control plane first runs; then running, or updating while it converges.
    const controlPlane = ((fields?.['machines'] ?? []) as { running: number }[])[0];
    const phase = conditions[0]?.status === 'True' ? 'running' : controlPlane?.running ? 'updating' : 'creating';
    return {
      conditions,
      fields: {
        phase,
        ...(fields?.['controlPlaneEndpoint'] ? { apiEndpoints: [fields['controlPlaneEndpoint']] } : {}),
        version: cluster.version.replace(/\+.*$/, ''),
        tkr: cluster.version.replace('+', '---'),
        machines: fields?.['machines'],
      },
    };
  },
});
