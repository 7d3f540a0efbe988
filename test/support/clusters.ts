/** Guest cluster manifests and readings for Cluster API tests. */
import type { InventoryReader } from '../../daemon/inventory/registry.js';

export const TKR_1_29 = 'v1.29.4---vmware.3-fips.1-tkg.1';
export const TKR_1_30 = 'v1.30.8---vmware.1-fips-vkr.1';
export const STORAGE = 'vsan-default-storage-policy';

export interface PoolYaml {
  readonly name: string;
  readonly replicas: number;
  readonly vmClass?: string;
  readonly storageClass?: string;
  readonly extra?: string;
}

export interface TkcOptions {
  readonly name?: string;
  readonly namespace?: string;
  readonly tkr?: string;
  readonly controlPlane?: number;
  readonly controlPlaneClass?: string;
  readonly pools?: readonly PoolYaml[];
}

export const THREE_BY_THREE: readonly PoolYaml[] = [
  { name: 'np-1', replicas: 3 },
  { name: 'np-2', replicas: 3, vmClass: 'best-effort-medium' },
];

/** A TanzuKubernetesCluster v1alpha3. */
export function tkcYaml(o: TkcOptions = {}): string {
  const pools = (o.pools ?? THREE_BY_THREE)
    .map((p) => `    - name: ${p.name}\n      replicas: ${p.replicas}\n      vmClass: ${p.vmClass ?? 'best-effort-small'}\n      storageClass: ${p.storageClass ?? STORAGE}\n${p.extra ?? ''}`)
    .join('');
  return `apiVersion: run.tanzu.vmware.com/v1alpha3
kind: TanzuKubernetesCluster
metadata: {name: ${o.name ?? 'tkc'}, namespace: ${o.namespace ?? 'team-a'}}
spec:
  topology:
    controlPlane:
      replicas: ${o.controlPlane ?? 3}
      vmClass: ${o.controlPlaneClass ?? 'best-effort-small'}
      storageClass: ${STORAGE}
      tkr: {reference: {name: ${o.tkr ?? TKR_1_29}}}
    nodePools:
${pools}`;
}

/** A Cluster of class tanzukubernetescluster, at v1beta1 (`class`) or v1beta2 (`classRef`). */
export function clusterYaml(o: { name?: string; version?: string; apiVersion?: 'v1beta1' | 'v1beta2'; controlPlane?: number; pools?: readonly PoolYaml[]; vmClass?: string } = {}): string {
  const v2 = o.apiVersion === 'v1beta2';
  const pools = (o.pools ?? [{ name: 'workers', replicas: 2 }])
    .map((p) => `      - class: node-pool\n        name: ${p.name}\n        replicas: ${p.replicas}\n${p.vmClass ? `        variables:\n          overrides:\n          - {name: vmClass, value: ${p.vmClass}}\n` : ''}`)
    .join('');
  return `apiVersion: cluster.x-k8s.io/${o.apiVersion ?? 'v1beta1'}
kind: Cluster
metadata: {name: ${o.name ?? 'cc'}, namespace: team-a}
spec:
  clusterNetwork:
    pods: {cidrBlocks: [192.168.0.0/16]}
    services: {cidrBlocks: [10.96.0.0/12]}
    serviceDomain: cluster.local
  topology:
    ${v2 ? 'classRef: {name: tanzukubernetescluster}' : 'class: tanzukubernetescluster'}
    version: ${o.version ?? TKR_1_29.replace('---', '+')}
    controlPlane: {replicas: ${o.controlPlane ?? 1}}
    variables:
    - {name: vmClass, value: ${o.vmClass ?? 'best-effort-small'}}
    - {name: storageClass, value: ${STORAGE}}
    workers:
      machineDeployments:
${pools}`;
}

/** Kube objects of a namespace by kind: how many of each. */
export function kindCounts(inventory: InventoryReader, namespace: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of inventory.inNamespace('KubeObject', namespace)) counts[o.object.kind] = (counts[o.object.kind] ?? 0) + 1;
  counts['VirtualMachine'] = inventory.inNamespace('VirtualMachine', namespace).length;
  return counts;
}

/** The cluster's VMs by name. */
export function clusterVms(inventory: InventoryReader, namespace: string, cluster: string) {
  return inventory.inNamespace('VirtualMachine', namespace).filter((vm) => vm.object.labels?.['cluster.x-k8s.io/cluster-name'] === cluster);
}
