/**
 * The Tanzu Kubernetes releases (TKRs) the simulated Supervisor offers, and the content library
 * their node images come from ("Kubernetes Service content library", subscribed on a real vCenter
 * from wp-content.vmware.com). Names are VMware's: a TKR name spells the version's `+` as `---`
 * because `+` is not allowed in a Kubernetes name.
 *
 * The catalog is a subset of VMware's published TKRs: the two the product documents as its upgrade
 * path (v1.29.4 → v1.30.8), v1.28.8 before them, the two zshippable releases the tanzu-framework
 * samples name, and one legacy TKR that a vSphere 8 Supervisor marks incompatible (legacy TKRs
 * predate ClusterClass; VMware's "Verify TKR compatibility" documentation).
 */
import { nameUuid } from '../base/ids.js';
import { GiB } from '../base/quantity.js';

export interface KubernetesRelease {
  /** The TanzuKubernetesRelease name: `v1.29.4---vmware.3-fips.1-tkg.1`. */
  readonly name: string;
  /** The Cluster API version: the same with `+`: `v1.29.4+vmware.3-fips.1-tkg.1`. */
  readonly version: string;
  /** The upstream Kubernetes version: `v1.29.4`. */
  readonly kubernetesVersion: string;
  readonly os: 'photon-3' | 'photon-5';
  /** The TKR's `Compatible` condition on this Supervisor. */
  readonly compatible: boolean;
}

/** The content library holding the node images; guest clusters use it whatever the namespace's policy. */
export const KUBERNETES_RELEASES_LIBRARY = 'kubernetes-releases';

/** Node OVA disk: "The virtual machine nodes that are built from the OVA package have a 16 GB disk size" (vSphere docs, Content Libraries for TKG releases). */
const NODE_IMAGE_DISK_BYTES = 16 * GiB;

const release = (name: string, os: KubernetesRelease['os'], compatible = true): KubernetesRelease => ({
  name,
  version: name.replace('---', '+'),
  kubernetesVersion: name.slice(0, name.indexOf('---')),
  os,
  compatible,
});

export const KUBERNETES_RELEASES: readonly KubernetesRelease[] = [
  release('v1.21.6---vmware.1-tkg.1.b3d708a', 'photon-3', false),
  release('v1.22.8---vmware.1-tkg.2-zshippable', 'photon-3'),
  release('v1.23.5---vmware.1-tkg.1-zshippable', 'photon-3'),
  release('v1.28.8---vmware.1-fips.1-tkg.2', 'photon-5'),
  release('v1.29.4---vmware.3-fips.1-tkg.1', 'photon-5'),
  release('v1.30.8---vmware.1-fips-vkr.1', 'photon-5'),
];

/** The library item of a release's node image (pacific's naming, after the subscribed library's `<os>-k8s-<tkr>` items). */
export function nodeImageItem(r: KubernetesRelease): { name: string; uuid: string; osType: string; diskCapacityBytes: number } {
  return { name: `${r.os}-k8s-${r.name}`, uuid: nameUuid(`kubernetes-release/${r.name}`), osType: 'vmwarePhoton64Guest', diskCapacityBytes: NODE_IMAGE_DISK_BYTES };
}

export function releaseByName(name: string): KubernetesRelease | undefined {
  return KUBERNETES_RELEASES.find((r) => r.name === name);
}

/** The release of a Cluster API version (`v1.29.4+vmware.3-fips.1-tkg.1`), or of a TKR name. */
export function releaseByVersion(version: string): KubernetesRelease | undefined {
  return KUBERNETES_RELEASES.find((r) => r.version === version || r.name === version);
}

/**
 * TanzuKubernetesCluster v1alpha1/v1alpha2 `distribution.version` is a hint: a version prefix
 * (`v1.29`, `v1.29.4`, `1.29.4+vmware.3`) resolving to the newest compatible release matching it.
 */
export function resolveVersionHint(hint: string): KubernetesRelease | undefined {
  const prefix = (hint.startsWith('v') ? hint : `v${hint}`).replace('---', '+');
  const matches = KUBERNETES_RELEASES.filter((r) => r.compatible && (r.version === prefix || r.version.startsWith(`${prefix}.`) || r.version.startsWith(`${prefix}+`) || r.version.startsWith(`${prefix}-`)));
  return matches.sort((a, b) => compareVersions(b.kubernetesVersion, a.kubernetesVersion))[0];
}

function parts(kubernetesVersion: string): [number, number, number] {
  const [major, minor, patch] = kubernetesVersion.replace(/^v/, '').split('.').map(Number);
  return [major ?? 0, minor ?? 0, patch ?? 0];
}

export function compareVersions(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** Why a release cannot be used at all, or undefined. */
export function releaseProblem(version: string): string | undefined {
  const r = releaseByVersion(version);
  if (!r) return `unknown TanzuKubernetesRelease for version ${version} (available: ${KUBERNETES_RELEASES.filter((k) => k.compatible).map((k) => k.version).join(', ')})`;
  if (!r.compatible) return `TanzuKubernetesRelease ${r.name} is not compatible with this Supervisor (its Compatible condition is False)`;
  return undefined;
}

/**
 * Why moving a cluster from one release to another is refused, or undefined: Kubernetes upgrades go
 * one minor version at a time and never back (kubeadm's version skew policy, which TKG enforces).
 */
export function upgradeProblem(from: KubernetesRelease, to: KubernetesRelease): string | undefined {
  const [a, b] = [parts(from.kubernetesVersion), parts(to.kubernetesVersion)];
  if (compareVersions(to.kubernetesVersion, from.kubernetesVersion) < 0) return `cannot downgrade from ${from.version} to ${to.version}`;
  if (b[0] !== a[0] || b[1] > a[1] + 1) return `cannot upgrade from ${from.version} to ${to.version}: upgrade one minor version at a time (next: v${a[0]}.${a[1] + 1})`;
  return undefined;
}
