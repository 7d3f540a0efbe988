/**
 * Every resource the Kubernetes API serves: its group, versions (preferred first), kind, names as
 * the real CRDs and Kubernetes declare them (plural, singular, short names, categories) and scope.
 * Which versions are served comes from `schemas/` where pacific has a schema for the kind; the kinds
 * pacific only derives (ReplicaSet, the Cluster API machinery) are served at the version it makes.
 */
import type { SchemaRegistry } from '../manifests/schema-registry.js';

export interface ResourceType {
  readonly group: string;
  /** Served versions, the preferred (newest) first. */
  readonly versions: readonly string[];
  readonly kind: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly namespaced: boolean;
  /** Whether pacific holds the kind in Git (dry runs answer; a real write names the file); else read-only. */
  readonly declarable: boolean;
}

interface Row {
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  readonly shortNames?: readonly string[];
  readonly categories?: readonly string[];
  readonly namespaced?: boolean;
  /** Versions when no schema says (derived and inventory kinds). */
  readonly versions?: readonly string[];
}

const VMOP = 'vmoperator.vmware.com';
const CAPI = 'cluster.x-k8s.io';
const VMOP_CATEGORIES = ['vmoperator'];
const CAPI_CATEGORIES = ['cluster-api'];

/** Names from Kubernetes (`kubectl api-resources`) and the vm-operator, TKG and Cluster API CRDs. */
const ROWS: readonly Row[] = [
  { group: '', kind: 'Namespace', plural: 'namespaces', shortNames: ['ns'], namespaced: false },
  { group: '', kind: 'Node', plural: 'nodes', shortNames: ['no'], namespaced: false, versions: ['v1'] },
  { group: '', kind: 'Pod', plural: 'pods', shortNames: ['po'], categories: ['all'] },
  { group: '', kind: 'Service', plural: 'services', shortNames: ['svc'], categories: ['all'] },
  { group: '', kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', shortNames: ['pvc'] },
  { group: '', kind: 'ConfigMap', plural: 'configmaps', shortNames: ['cm'] },
  { group: '', kind: 'Secret', plural: 'secrets' },
  { group: '', kind: 'ResourceQuota', plural: 'resourcequotas', shortNames: ['quota'] },
  { group: '', kind: 'LimitRange', plural: 'limitranges', shortNames: ['limits'] },
  { group: '', kind: 'Event', plural: 'events', shortNames: ['ev'], versions: ['v1'] },
  { group: 'events.k8s.io', kind: 'Event', plural: 'events', shortNames: ['ev'], versions: ['v1'] },
  { group: 'apps', kind: 'Deployment', plural: 'deployments', shortNames: ['deploy'], categories: ['all'] },
  { group: 'apps', kind: 'ReplicaSet', plural: 'replicasets', shortNames: ['rs'], categories: ['all'], versions: ['v1'] },
  { group: 'pacific.dev', kind: 'NamespacePolicy', plural: 'namespacepolicies', shortNames: ['nspolicy'] },
  { group: VMOP, kind: 'VirtualMachine', plural: 'virtualmachines', shortNames: ['vm'], categories: VMOP_CATEGORIES },
  { group: VMOP, kind: 'VirtualMachineClass', plural: 'virtualmachineclasses', shortNames: ['vmclass'], categories: VMOP_CATEGORIES },
  { group: VMOP, kind: 'VirtualMachineImage', plural: 'virtualmachineimages', shortNames: ['vmi', 'vmimage'], categories: VMOP_CATEGORIES },
  { group: VMOP, kind: 'ClusterVirtualMachineImage', plural: 'clustervirtualmachineimages', shortNames: ['cvmi', 'cvmimage', 'clustervmimage'], categories: VMOP_CATEGORIES, namespaced: false },
  { group: VMOP, kind: 'VirtualMachineService', plural: 'virtualmachineservices', shortNames: ['vmservice'], categories: VMOP_CATEGORIES },
  { group: VMOP, kind: 'VirtualMachineSetResourcePolicy', plural: 'virtualmachinesetresourcepolicies', categories: VMOP_CATEGORIES },
  { group: VMOP, kind: 'VirtualMachineSnapshot', plural: 'virtualmachinesnapshots', shortNames: ['vmsnapshot'], categories: VMOP_CATEGORIES },
  { group: VMOP, kind: 'VirtualMachinePublishRequest', plural: 'virtualmachinepublishrequests', shortNames: ['vmpub'], categories: VMOP_CATEGORIES },
  { group: VMOP, kind: 'VirtualMachineGroup', plural: 'virtualmachinegroups', shortNames: ['vmg'], categories: VMOP_CATEGORIES },
  { group: 'run.tanzu.vmware.com', kind: 'TanzuKubernetesCluster', plural: 'tanzukubernetesclusters', shortNames: ['tkc'], categories: ['all', 'tanzu'] },
  { group: CAPI, kind: 'Cluster', plural: 'clusters', shortNames: ['cl'], categories: CAPI_CATEGORIES },
  { group: CAPI, kind: 'MachineDeployment', plural: 'machinedeployments', shortNames: ['md'], categories: CAPI_CATEGORIES, versions: ['v1beta1'] },
  { group: CAPI, kind: 'MachineSet', plural: 'machinesets', shortNames: ['ms'], categories: CAPI_CATEGORIES, versions: ['v1beta1'] },
  { group: CAPI, kind: 'Machine', plural: 'machines', shortNames: ['ma'], categories: CAPI_CATEGORIES, versions: ['v1beta1'] },
  { group: 'controlplane.cluster.x-k8s.io', kind: 'KubeadmControlPlane', plural: 'kubeadmcontrolplanes', shortNames: ['kcp'], categories: CAPI_CATEGORIES, versions: ['v1beta1'] },
  { group: 'vmware.infrastructure.cluster.x-k8s.io', kind: 'VSphereCluster', plural: 'vsphereclusters', categories: CAPI_CATEGORIES, versions: ['v1beta1'] },
  { group: 'vmware.infrastructure.cluster.x-k8s.io', kind: 'VSphereMachine', plural: 'vspheremachines', categories: CAPI_CATEGORIES, versions: ['v1beta1'] },
  { group: 'vmware.infrastructure.cluster.x-k8s.io', kind: 'VSphereMachineTemplate', plural: 'vspheremachinetemplates', categories: CAPI_CATEGORIES, versions: ['v1beta1'] },
];

/** Kubernetes' version priority: GA before beta before alpha, higher numbers first (`kube-aware` sort). */
export function compareVersions(a: string, b: string): number {
  const rank = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    return [m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [x, y] = [rank(a), rank(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return y[i]! - x[i]!;
  return a.localeCompare(b);
}

/** The served resources, looked up by group + plural, group + kind, or a name kubectl might use. */
export class ResourceTable {
  readonly all: readonly ResourceType[];
  private readonly byPlural = new Map<string, ResourceType>();
  private readonly byKind = new Map<string, ResourceType>();

  constructor(schemas: SchemaRegistry) {
    const declarable = new Set(schemas.servedKinds().map((k) => `${k.group}/${k.kind}`));
    this.all = ROWS.map((row) => {
      const versions = [...new Set([...schemas.versionsOf(row.group, row.kind), ...(row.versions ?? [])])].sort(compareVersions);
      const served = row.group === '' || row.group === 'apps' ? versions.filter((v) => v === 'v1') : versions;
      return {
        group: row.group,
        versions: served,
        kind: row.kind,
        plural: row.plural,
        singular: row.kind.toLowerCase(),
        shortNames: row.shortNames ?? [],
        categories: row.categories ?? [],
        namespaced: row.namespaced ?? true,
        declarable: declarable.has(`${row.group}/${row.kind}`),
      };
    });
    for (const r of this.all) {
      this.byPlural.set(`${r.group}/${r.plural}`, r);
      // The core Event is the one objects name; events.k8s.io serves the same objects.
      if (!this.byKind.has(`${r.group}/${r.kind}`)) this.byKind.set(`${r.group}/${r.kind}`, r);
    }
  }

  /** The resource at `/api[s]/<group>/<version>/<plural>`, when that version is served. */
  resource(group: string, version: string, plural: string): ResourceType | undefined {
    const r = this.byPlural.get(`${group}/${plural}`);
    return r && r.versions.includes(version) ? r : undefined;
  }

  ofKind(group: string, kind: string): ResourceType | undefined {
    return this.byKind.get(`${group}/${kind}`);
  }

  /** Groups with their versions, the preferred first (the group's newest version every resource shares, else its newest). */
  groups(): { group: string; versions: string[] }[] {
    const byGroup = new Map<string, Set<string>>();
    for (const r of this.all) {
      const set = byGroup.get(r.group) ?? new Set<string>();
      for (const v of r.versions) set.add(v);
      byGroup.set(r.group, set);
    }
    return [...byGroup].map(([group, set]) => {
      const versions = [...set].sort(compareVersions);
      const members = this.all.filter((r) => r.group === group);
      const shared = versions.find((v) => members.every((r) => r.versions.includes(v)));
      return { group, versions: shared ? [shared, ...versions.filter((v) => v !== shared)] : versions };
    });
  }

  /** Resources of a group served at a version. */
  inGroupVersion(group: string, version: string): ResourceType[] {
    return this.all.filter((r) => r.group === group && r.versions.includes(version));
  }
}
