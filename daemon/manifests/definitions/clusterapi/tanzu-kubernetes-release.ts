/**
 * run.tanzu.vmware.com TanzuKubernetesRelease (cluster-scoped): a Kubernetes version the TKG
 * Service can run, with its images. v1alpha1 and v1alpha2 share one shape; v1alpha3 describes the
 * Kubernetes components, OS images and bootstrap packages.
 */
import { list, obj, str, type Schema } from '../dsl/builders.js';
import type { KindDefinition } from '../dsl/kind.js';
import { req } from './dsl-extra.js';
import { objectReference } from './kubernetes-core.js';
import { RUN_GROUP } from './tanzu-kubernetes-cluster.js';

const specV1alpha1 = req(['version'], {
  images: list(req(['name'], { name: str(), repository: str(), tag: str() })),
  kubernetesVersion: str(),
  nodeImageRef: objectReference,
  repository: str(),
  version: str(),
});

const image = obj({ imageRepository: str(), imageTag: str() });
const byName = list(obj({ name: str() }));

const specV1alpha3 = req(['kubernetes', 'version'], {
  bootstrapPackages: byName,
  kubernetes: req(['version'], { coredns: image, etcd: image, imageRepository: str(), 'kube-vip': image, pause: image, version: str() }),
  osImages: byName,
  version: str(),
});

function tkr(version: string, spec: Schema): KindDefinition {
  return { group: RUN_GROUP, version, kind: 'TanzuKubernetesRelease', namespaced: false, nameFormat: 'dns-subdomain', fields: { spec } };
}

/** TanzuKubernetesRelease at v1alpha1, v1alpha2 and v1alpha3; names such as `v1.29.4---vmware.3-fips.1-tkg.1` are DNS subdomains. */
export const tanzuKubernetesReleaseKinds: readonly KindDefinition[] = [tkr('v1alpha1', specV1alpha1), tkr('v1alpha2', specV1alpha1), tkr('v1alpha3', specV1alpha3)];
