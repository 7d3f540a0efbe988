/**
 * Printer columns: the vm-operator, TKG and Cluster API CRDs' `additionalPrinterColumns`, and
 * Kubernetes' own table printers for the built-in kinds (kubectl shows what the server returns).
 * A cell reads the object as served at the requested version; priority 1 columns are `-o wide`.
 */
import { humanDuration } from './age.js';

type Obj = Record<string, unknown>;
export interface Column {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  readonly priority?: 1;
  readonly description?: string;
  cell(o: Obj, version: string, now: number): unknown;
}

/** The value at a dotted path, or null (a missing JSONPath is an empty cell). */
export function at(o: unknown, path: string): unknown {
  let node = o;
  for (const p of path.split('.')) node = node && typeof node === 'object' ? (node as Obj)[p] : undefined;
  return node ?? null;
}

const col = (name: string, path: string, type: Column['type'] = 'string', priority?: 1): Column => ({ name, type, ...(priority ? { priority } : {}), cell: (o) => at(o, path) });
const fn = (name: string, cell: Column['cell'], priority?: 1, type: Column['type'] = 'string'): Column => ({ name, type, ...(priority ? { priority } : {}), cell });
const age = (name = 'Age', path = 'metadata.creationTimestamp'): Column => ({
  name,
  type: 'date',
  cell: (o, _v, now) => {
    const t = at(o, path);
    return typeof t === 'string' ? humanDuration(now - Date.parse(t)) : '<unknown>';
  },
});
const NAME: Column = { name: 'Name', type: 'string', description: 'Name must be unique within a namespace.', cell: (o) => at(o, 'metadata.name') };
const list = (v: unknown) => (Array.isArray(v) ? v.join(',') : v === null ? '<none>' : String(v));
const conditionStatus = (o: Obj, type: string) => (at(o, 'status.conditions') as { type: string; status: string }[] | null)?.find((c) => c.type === type)?.status ?? null;
const containers = (o: Obj) => (at(o, 'spec.template.spec.containers') ?? at(o, 'spec.containers') ?? []) as { name: string; image: string }[];
const selector = (o: Obj) => {
  const s = (at(o, 'spec.selector.matchLabels') ?? at(o, 'spec.selector')) as Record<string, string> | null;
  return s && Object.keys(s).length ? Object.entries(s).map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
};

const VM_IMAGE_COLUMNS = [
  col('Display Name', 'status.name'),
  col('Type', 'status.type'),
  col('Image Version', 'status.productInfo.version'),
  col('OS Name', 'status.osInfo.type'),
  col('OS Version', 'status.osInfo.version'),
  col('Hardware Version', 'status.hardwareVersion', 'integer'),
];

/** Columns by group/Kind; every table starts with Name. */
const COLUMNS: Record<string, (version: string) => Column[]> = {
  'vmoperator.vmware.com/VirtualMachine': (v) =>
    v === 'v1alpha1'
      ? [col('Power-State', 'status.powerState'), col('Class', 'spec.className', 'string', 1), col('Image', 'spec.imageName', 'string', 1), col('Primary-IP', 'status.vmIp', 'string', 1), age()]
      : // The image reference, or the imageName vm-operator's webhook would have resolved it from.
        [col('Power-State', 'status.powerState'), col('Class', 'spec.className', 'string', 1), fn('Image', (o) => (v === 'v1alpha2' ? null : at(o, 'spec.image.name')) ?? at(o, 'spec.imageName'), 1), col('Primary-IP4', 'status.network.primaryIP4', 'string', 1), age()],
  'vmoperator.vmware.com/VirtualMachineClass': (v) => (v === 'v1alpha1' ? [col('CPU', 'spec.hardware.cpus', 'integer'), col('Memory', 'spec.hardware.memory'), age()] : [col('CPU', 'spec.hardware.cpus', 'integer'), col('Memory', 'spec.hardware.memory'), col('Capabilities', 'status.capabilities', 'string', 1)]),
  'vmoperator.vmware.com/VirtualMachineImage': () => [...VM_IMAGE_COLUMNS, col('Capabilities', 'status.capabilities', 'string', 1)],
  'vmoperator.vmware.com/ClusterVirtualMachineImage': () => VM_IMAGE_COLUMNS,
  'vmoperator.vmware.com/VirtualMachineService': () => [col('Type', 'spec.type'), age()],
  'run.tanzu.vmware.com/TanzuKubernetesCluster': () => [
    col('Control Plane', 'spec.topology.controlPlane.replicas', 'integer'),
    fn('Worker', (o) => ((at(o, 'spec.topology.nodePools') ?? []) as { replicas?: number }[]).reduce((n, p) => n + (p.replicas ?? 0), 0), undefined, 'integer'),
    col('TKR Name', 'status.tkr'),
    age(),
    fn('Ready', (o) => conditionStatus(o, 'Ready')),
    fn('TKR Compatible', () => 'True'),
    fn('Updates Available', () => null),
  ],
  'cluster.x-k8s.io/Cluster': (v) => [col('ClusterClass', v === 'v1beta2' ? 'spec.topology.classRef.name' : 'spec.topology.class'), col('Phase', 'status.phase'), age(), col('Version', 'spec.topology.version')],
  'cluster.x-k8s.io/MachineDeployment': () => [col('Cluster', 'spec.clusterName'), col('Replicas', 'status.replicas', 'integer'), col('Ready', 'status.readyReplicas', 'integer'), col('Updated', 'status.updatedReplicas', 'integer'), col('Phase', 'status.phase'), age(), col('Version', 'spec.template.spec.version')],
  'cluster.x-k8s.io/MachineSet': () => [col('Cluster', 'spec.clusterName'), col('Replicas', 'status.replicas', 'integer'), col('Ready', 'status.readyReplicas', 'integer'), age(), col('Version', 'spec.template.spec.version')],
  'cluster.x-k8s.io/Machine': () => [col('Cluster', 'spec.clusterName'), col('NodeName', 'status.nodeRef.name'), col('ProviderID', 'spec.providerID'), col('Phase', 'status.phase'), age(), col('Version', 'spec.version')],
  'controlplane.cluster.x-k8s.io/KubeadmControlPlane': () => [fn('Cluster', (o) => (at(o, 'metadata.labels') as Record<string, string> | null)?.['cluster.x-k8s.io/cluster-name'] ?? null), col('Initialized', 'status.initialized', 'boolean'), col('Replicas', 'status.replicas', 'integer'), col('Ready', 'status.readyReplicas', 'integer'), col('Updated', 'status.updatedReplicas', 'integer'), age(), col('Version', 'spec.version')],
  '/Namespace': () => [col('Status', 'status.phase'), age()],
  '/Node': () => [
    fn('Status', (o) => {
      const ready = conditionStatus(o, 'Ready');
      return (ready === 'True' ? 'Ready' : ready === 'False' ? 'NotReady' : 'Unknown') + (at(o, 'spec.unschedulable') ? ',SchedulingDisabled' : '');
    }),
    fn('Roles', () => 'agent'),
    age(),
    col('Version', 'status.nodeInfo.kubeletVersion'),
    fn('Internal-IP', () => '<none>', 1),
    fn('External-IP', () => '<none>', 1),
    col('OS-Image', 'status.nodeInfo.osImage', 'string', 1),
    fn('Kernel-Version', () => '<unknown>', 1),
    fn('Container-Runtime', () => 'crx://pacific', 1),
  ],
  '/Pod': () => [
    fn('Ready', (o) => `${at(o, 'status.phase') === 'Running' ? containers(o).length : 0}/${containers(o).length}`),
    col('Status', 'status.phase'),
    fn('Restarts', () => 0, undefined, 'integer'),
    age(),
    fn('IP', (o) => at(o, 'status.podIP') ?? '<none>', 1),
    fn('Node', (o) => at(o, 'spec.nodeName') ?? '<none>', 1),
    fn('Nominated Node', () => '<none>', 1),
    fn('Readiness Gates', () => '<none>', 1),
  ],
  '/Service': () => [
    fn('Type', (o) => at(o, 'spec.type') ?? 'ClusterIP'),
    fn('Cluster-IP', (o) => at(o, 'spec.clusterIP') ?? at(o, 'status.clusterIP') ?? '<none>'),
    fn('External-IP', (o) => list(((at(o, 'status.loadBalancer.ingress') ?? []) as { ip: string }[]).map((i) => i.ip)) || (at(o, 'spec.type') === 'LoadBalancer' ? '<pending>' : '<none>')),
    fn('Port(s)', (o) => ((at(o, 'spec.ports') ?? []) as { port: number; protocol?: string }[]).map((p) => `${p.port}/${p.protocol ?? 'TCP'}`).join(',') || '<none>'),
    age(),
    fn('Selector', (o) => selector(o), 1),
  ],
  '/PersistentVolumeClaim': () => [
    fn('Status', (o) => at(o, 'status.phase') ?? 'Pending'),
    fn('Volume', (o) => at(o, 'status.volumeName') ?? ''),
    fn('Capacity', (o) => at(o, 'status.capacity.storage') ?? ''),
    fn('Access Modes', (o) => ((at(o, 'spec.accessModes') ?? []) as string[]).map((m) => ({ ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' })[m] ?? m).join(',')),
    fn('StorageClass', (o) => at(o, 'spec.storageClassName') ?? at(o, 'status.storageClassName') ?? '<unset>'),
    fn('VolumeAttributesClass', () => '<unset>'),
    age(),
    fn('VolumeMode', (o) => at(o, 'spec.volumeMode') ?? 'Filesystem', 1),
  ],
  'apps/Deployment': () => [
    fn('Ready', (o) => `${(at(o, 'status.readyReplicas') as number | null) ?? 0}/${(at(o, 'spec.replicas') as number | null) ?? 1}`),
    fn('Up-to-date', (o) => at(o, 'status.updatedReplicas') ?? 0, undefined, 'integer'),
    fn('Available', (o) => at(o, 'status.availableReplicas') ?? 0, undefined, 'integer'),
    age(),
    fn('Containers', (o) => containers(o).map((c) => c.name).join(','), 1),
    fn('Images', (o) => containers(o).map((c) => c.image).join(','), 1),
    fn('Selector', selector, 1),
  ],
  'apps/ReplicaSet': () => [
    fn('Desired', (o) => at(o, 'spec.replicas') ?? 0, undefined, 'integer'),
    fn('Current', (o) => at(o, 'status.replicas') ?? 0, undefined, 'integer'),
    fn('Ready', (o) => at(o, 'status.readyReplicas') ?? 0, undefined, 'integer'),
    age(),
    fn('Containers', (o) => containers(o).map((c) => c.name).join(','), 1),
    fn('Images', (o) => containers(o).map((c) => c.image).join(','), 1),
    fn('Selector', selector, 1),
  ],
  '/Event': () => [
    age('Last Seen', 'lastTimestamp'),
    col('Type', 'type'),
    col('Reason', 'reason'),
    fn('Object', (o) => `${String(at(o, 'involvedObject.kind')).toLowerCase()}/${String(at(o, 'involvedObject.name'))}`),
    fn('Source', () => 'pacific', 1),
    col('Message', 'message'),
    age('First Seen', 'firstTimestamp'),
    fn('Count', (o) => at(o, 'count') ?? 1, 1, 'integer'),
    { ...NAME, priority: 1 },
  ],
  '/ConfigMap': () => [fn('Data', (o) => Object.keys((at(o, 'data') ?? {}) as object).length, undefined, 'integer'), age()],
  '/Secret': () => [col('Type', 'type'), fn('Data', (o) => Object.keys((at(o, 'data') ?? {}) as object).length, undefined, 'integer'), age()],
  '/ResourceQuota': () => [age(), fn('Request', (o) => Object.entries((at(o, 'spec.hard') ?? {}) as Record<string, unknown>).filter(([k]) => !k.startsWith('limits.')).map(([k, v]) => `${k}: ${String(v)}`).join(', ')), fn('Limit', (o) => Object.entries((at(o, 'spec.hard') ?? {}) as Record<string, unknown>).filter(([k]) => k.startsWith('limits.')).map(([k, v]) => `${k}: ${String(v)}`).join(', '))],
};

/** The columns of a resource at a version (Name first). */
export function columnsOf(group: string, kind: string, version: string): Column[] {
  // Events lead with when, as the API server's event table does; their name is a wide column.
  if (kind === 'Event') return COLUMNS['/Event']!(version);
  return [NAME, ...(COLUMNS[`${group}/${kind}`]?.(version) ?? [age()])];
}
