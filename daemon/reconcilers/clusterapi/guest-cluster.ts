/**
 * One model of a guest cluster, whatever the user wrote: a TanzuKubernetesCluster (v1alpha1..3) or
 * a Cluster API Cluster (v1beta1, v1beta2) with a managed topology of the Supervisor's ClusterClass
 * `tanzukubernetescluster`. Pure: manifest in, model (or the first problem, with its field) out.
 */
import { KUBERNETES_RELEASES, releaseByName, releaseByVersion, releaseProblem, resolveVersionHint } from '../../catalog/kubernetes-releases.js';
import { versionedSpecOf, type VersionedSpec } from '../../manifests/typed-spec.js';

/** The ClusterClass vSphere 8 Supervisors ship; TKC v1alpha3 clusters are Clusters of this class. */
export const SUPERVISOR_CLUSTER_CLASS = 'tanzukubernetescluster';

export interface NodeVolume {
  readonly name: string;
  readonly mountPath: string;
  /** A quantity, as written: `20Gi`. */
  readonly capacity: string;
  readonly storageClass?: string;
}

/** A set of identical machines: the control plane or one worker pool. */
export interface MachinePool {
  readonly name: string;
  readonly replicas: number;
  readonly vmClass: string;
  readonly storageClass: string;
  readonly volumes: readonly NodeVolume[];
  readonly failureDomain?: string;
}

export interface GuestCluster {
  readonly name: string;
  readonly namespace: string;
  /** Cluster API form of the release: `v1.29.4+vmware.3-fips.1-tkg.1`. */
  readonly version: string;
  readonly controlPlane: MachinePool;
  readonly workers: readonly MachinePool[];
  readonly network: { readonly pods: readonly string[]; readonly services: readonly string[]; readonly serviceDomain: string };
}

export interface ModelProblem {
  readonly field: string;
  readonly message: string;
}

export type ModelResult = { readonly ok: true; readonly cluster: GuestCluster } | { readonly ok: false; readonly problem: ModelProblem };

interface Source {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly spec?: Record<string, unknown>;
}

type Json = Record<string, unknown>;
// For what a spec leaves untyped: ClusterClass variables' values (a volume list among them).
const asObject = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const asList = (v: unknown): Json[] => (Array.isArray(v) ? v.map(asObject) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** TKG's defaults for a guest cluster's networks (TanzuKubernetesCluster `settings.network`). */
const DEFAULT_NETWORK = { pods: ['192.168.0.0/16'], services: ['10.96.0.0/12'], serviceDomain: 'cluster.local' };
const CONTROL_PLANE_REPLICAS = [1, 3];

const problem = (field: string, message: string): ModelResult => ({ ok: false, problem: { field, message } });

function volumesOf(list: unknown): NodeVolume[] {
  return asList(list).map((v) => ({
    name: String(v['name']),
    mountPath: String(v['mountPath']),
    capacity: String(asObject(v['capacity'])['storage'] ?? v['capacity'] ?? ''),
    ...(str(v['storageClass']) ? { storageClass: String(v['storageClass']) } : {}),
  }));
}

interface Network {
  readonly pods?: { readonly cidrBlocks?: readonly string[] };
  readonly services?: { readonly cidrBlocks?: readonly string[] };
  readonly serviceDomain?: string;
}

/** A TanzuKubernetesCluster's `settings.network` or a Cluster's `clusterNetwork`: the same three fields. */
function networkOf(network: Network | undefined): GuestCluster['network'] {
  return {
    pods: network?.pods?.cidrBlocks ?? DEFAULT_NETWORK.pods,
    services: network?.services?.cidrBlocks ?? DEFAULT_NETWORK.services,
    serviceDomain: str(network?.serviceDomain) ?? DEFAULT_NETWORK.serviceDomain,
  };
}

/** The model's common checks: a usable release and a control plane of 1 or 3. */
function checked(cluster: GuestCluster, fields: { version: string; controlPlaneReplicas: string }): ModelResult {
  const release = releaseProblem(cluster.version);
  if (release) return problem(fields.version, release);
  if (!CONTROL_PLANE_REPLICAS.includes(cluster.controlPlane.replicas)) {
    return problem(fields.controlPlaneReplicas, `Unsupported value: ${cluster.controlPlane.replicas}: supported values: "1", "3"`);
  }
  const names = new Set<string>();
  for (const [i, pool] of cluster.workers.entries()) {
    if (pool.replicas < 0) return problem(`spec.topology.workers[${i}].replicas`, 'must be greater than or equal to 0');
    if (names.has(pool.name)) return problem(`spec.topology.workers[${i}].name`, `Duplicate value: "${pool.name}"`);
    names.add(pool.name);
  }
  return { ok: true, cluster };
}

// ---- TanzuKubernetesCluster ----

type TkcSpec = VersionedSpec<'TanzuKubernetesCluster'>;

function tkcReleaseOf(tkc: TkcSpec): { version?: string; field: string; problem?: string } {
  const reference = tkc.version === 'v1alpha1' ? undefined : str(tkc.spec?.topology.controlPlane.tkr?.reference?.name);
  if (reference) {
    const release = releaseByName(reference);
    return release ? { version: release.version, field: 'spec.topology.controlPlane.tkr.reference.name' } : { field: 'spec.topology.controlPlane.tkr.reference.name', problem: `TanzuKubernetesRelease ${reference} not found (available: ${KUBERNETES_RELEASES.filter((r) => r.compatible).map((r) => r.name).join(', ')})` };
  }
  const full = str(tkc.spec?.distribution?.fullVersion);
  if (full) return { version: releaseByVersion(full)?.version ?? full, field: 'spec.distribution.fullVersion' };
  const hint = str(tkc.spec?.distribution?.version);
  if (hint) {
    const release = resolveVersionHint(hint);
    return release ? { version: release.version, field: 'spec.distribution.version' } : { field: 'spec.distribution.version', problem: `no compatible TanzuKubernetesRelease matches version ${hint}` };
  }
  // v1alpha3 without a TKR reference: the newest compatible release, as the TKR resolver's default.
  if (tkc.version === 'v1alpha3') return { version: resolveVersionHint('v1')!.version, field: 'spec.topology.controlPlane.tkr.reference.name' };
  return { field: 'spec.topology.controlPlane.tkr.reference.name', problem: 'Required value: a TanzuKubernetesRelease reference or spec.distribution' };
}

export function fromTanzuKubernetesCluster(object: Source): ModelResult {
  const tkc = versionedSpecOf(object, 'TanzuKubernetesCluster');
  const network = networkOf(tkc.spec?.settings?.network);
  const release = tkcReleaseOf(tkc);
  if (!release.version) return problem(release.field, release.problem!);
  const base = { name: object.name, namespace: object.namespace, version: release.version, network };

  if (tkc.version === 'v1alpha1') {
    const pool = (p: { readonly class?: string; readonly count?: number; readonly storageClass?: string } | undefined, name: string): MachinePool => ({ name, replicas: Number(p?.count ?? 1), vmClass: String(p?.class), storageClass: String(p?.storageClass), volumes: [] });
    // v1alpha1's single worker pool is the node pool "workers" of later versions (TKG's conversion).
    return checked(
      { ...base, controlPlane: pool(tkc.spec?.topology.controlPlane, 'control-plane'), workers: [pool(tkc.spec?.topology.workers, 'workers')] },
      { version: release.field, controlPlaneReplicas: 'spec.topology.controlPlane.count' },
    );
  }
  const cp = tkc.spec?.topology.controlPlane;
  const controlPlane: MachinePool = { name: 'control-plane', replicas: Number(cp?.replicas ?? 1), vmClass: String(cp?.vmClass), storageClass: String(cp?.storageClass), volumes: volumesOf(cp?.volumes) };
  const pools: readonly (NonNullable<typeof tkc.spec>['topology']['nodePools'][number] & { readonly failureDomain?: string })[] = tkc.spec?.topology.nodePools ?? [];
  for (const [i, p] of pools.entries()) {
    const ref = str(p.tkr?.reference?.name);
    if (ref && releaseByName(ref)?.version !== release.version) {
      return problem(`spec.topology.nodePools[${i}].tkr.reference.name`, `node pools run the control plane's TanzuKubernetesRelease (${release.version.replace('+', '---')}), not ${ref}`);
    }
  }
  const workers = pools.map((p): MachinePool => ({
    name: String(p.name),
    replicas: Number(p.replicas ?? 1),
    vmClass: String(p.vmClass),
    storageClass: String(p.storageClass),
    volumes: volumesOf(p.volumes),
    ...(str(p.failureDomain) ? { failureDomain: String(p.failureDomain) } : {}),
  }));
  return checked({ ...base, controlPlane, workers }, { version: release.field, controlPlaneReplicas: 'spec.topology.controlPlane.replicas' });
}

// ---- Cluster (cluster.x-k8s.io) ----

function variables(list: readonly { readonly name: string; readonly value: unknown }[] | undefined): Map<string, unknown> {
  return new Map((list ?? []).map((v) => [String(v.name), v.value]));
}

export function fromCluster(object: Source): ModelResult {
  const typed = versionedSpecOf(object, 'Cluster');
  const topology = typed.spec?.topology;
  if (!topology) return problem('spec.topology', `Required value: pacific reconciles Clusters with a managed topology of ClusterClass ${SUPERVISOR_CLUSTER_CLASS}`);
  const v1beta2 = typed.version === 'v1beta2';
  const className = typed.version === 'v1beta2' ? str(typed.spec?.topology?.classRef.name) : str(typed.spec?.topology?.class);
  const classField = v1beta2 ? 'spec.topology.classRef.name' : 'spec.topology.class';
  if (className !== SUPERVISOR_CLUSTER_CLASS) return problem(classField, `Unsupported value: "${className}": the Supervisor's ClusterClass is "${SUPERVISOR_CLUSTER_CLASS}"`);

  const global = variables(topology.variables);
  const pool = (name: string, replicas: unknown, overrides: Map<string, unknown>, field: string): MachinePool | ModelProblem => {
    const value = (key: string) => overrides.get(key) ?? global.get(key);
    const vmClass = str(value('vmClass'));
    const storageClass = str(value('storageClass'));
    if (!vmClass) return { field, message: `Required value: variable "vmClass" of ClusterClass ${SUPERVISOR_CLUSTER_CLASS} (in spec.topology.variables or this pool's variables.overrides)` };
    if (!storageClass) return { field, message: `Required value: variable "storageClass" of ClusterClass ${SUPERVISOR_CLUSTER_CLASS} (in spec.topology.variables or this pool's variables.overrides)` };
    const volumes = volumesOf(name === 'control-plane' ? value('controlPlaneVolumes') : value('nodePoolVolumes'));
    return { name, replicas: typeof replicas === 'number' ? replicas : 1, vmClass, storageClass, volumes };
  };
  const cp = topology.controlPlane;
  const controlPlane = pool('control-plane', cp?.replicas, variables(cp?.variables?.overrides), 'spec.topology.variables');
  if ('field' in controlPlane) return { ok: false, problem: controlPlane };
  const workers: MachinePool[] = [];
  for (const [i, md] of (topology.workers?.machineDeployments ?? []).entries()) {
    const worker = pool(String(md.name), md.replicas, variables(md.variables?.overrides), `spec.topology.workers.machineDeployments[${i}].variables`);
    if ('field' in worker) return { ok: false, problem: worker };
    workers.push({ ...worker, ...(str(md.failureDomain) ? { failureDomain: String(md.failureDomain) } : {}) });
  }
  const version = String(topology.version ?? '');
  const cluster: GuestCluster = { name: object.name, namespace: object.namespace, version, controlPlane, workers, network: networkOf(typed.spec?.clusterNetwork) };
  return checked(cluster, { version: 'spec.topology.version', controlPlaneReplicas: 'spec.topology.controlPlane.replicas' });
}

/** The model of a TanzuKubernetesCluster or Cluster manifest. */
export function guestClusterOf(object: Source): ModelResult {
  return object.kind === 'TanzuKubernetesCluster' ? fromTanzuKubernetesCluster(object) : fromCluster(object);
}

/** The Cluster (v1beta1, class tanzukubernetescluster) a TanzuKubernetesCluster stands for on vSphere 8. */
export function clusterSpecOf(cluster: GuestCluster): Json {
  const volumes = (list: readonly NodeVolume[]) => list.map((v) => ({ name: v.name, mountPath: v.mountPath, capacity: { storage: v.capacity }, ...(v.storageClass ? { storageClass: v.storageClass } : {}) }));
  const overrides = (pool: MachinePool, volumeVariable: string) => [
    { name: 'vmClass', value: pool.vmClass },
    { name: 'storageClass', value: pool.storageClass },
    ...(pool.volumes.length ? [{ name: volumeVariable, value: volumes(pool.volumes) }] : []),
  ];
  return {
    clusterNetwork: { pods: { cidrBlocks: [...cluster.network.pods] }, services: { cidrBlocks: [...cluster.network.services] }, serviceDomain: cluster.network.serviceDomain },
    topology: {
      class: SUPERVISOR_CLUSTER_CLASS,
      version: cluster.version,
      controlPlane: { replicas: cluster.controlPlane.replicas },
      variables: overrides(cluster.controlPlane, 'controlPlaneVolumes'),
      workers: {
        machineDeployments: cluster.workers.map((w) => ({
          class: 'node-pool',
          name: w.name,
          replicas: w.replicas,
          ...(w.failureDomain ? { failureDomain: w.failureDomain } : {}),
          variables: { overrides: overrides(w, 'nodePoolVolumes') },
        })),
      },
    },
  };
}
