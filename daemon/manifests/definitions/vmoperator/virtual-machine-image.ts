/**
 * VirtualMachineImage (namespaced) and ClusterVirtualMachineImage (cluster-scoped): a content library
 * item as VM Operator lists it. Both share one spec per version. At v1alpha1 the spec describes the
 * image itself (OVF environment, product and OS info); from v1alpha2 on only the provider reference
 * is spec, everything else moved to status.
 */
import { int, mapOf, obj, str, type Schema } from '../dsl/builders.js';
import type { KindDefinition } from '../dsl/kind.js';
import { versionsFrom, vmOperatorKind, type VmOperatorAnyVersion } from './common.js';

const ovfProperty = obj(
  { default: str(), description: str(), key: str(), label: str(), type: str() },
  { required: ['key', 'type'] },
);

/** `spec` at v1alpha1: the image's identity, type and provider are required. */
const specV1alpha1 = obj(
  {
    hwVersion: int(),
    imageID: str(),
    imageSourceType: str(),
    osInfo: obj({ type: str(), version: str() }),
    ovfEnv: mapOf(ovfProperty),
    productInfo: obj({ fullVersion: str(), product: str(), vendor: str(), version: str() }),
    providerRef: obj({ apiVersion: str(), kind: str(), name: str(), namespace: str() }, { required: ['kind', 'name'] }),
    type: str(),
  },
  { required: ['imageID', 'providerRef', 'type'] },
);

/** `spec` at v1alpha2..v1alpha6: the typed reference to the provider object (a content library item). */
const specV1alpha2 = obj({
  providerRef: obj({ apiVersion: str(), kind: str(), name: str() }, { required: ['apiVersion', 'kind', 'name'] }),
});

function specAt(version: VmOperatorAnyVersion): Schema {
  return version === 'v1alpha1' ? specV1alpha1 : specV1alpha2;
}

/** VirtualMachineImage at v1alpha1..v1alpha6. */
export const virtualMachineImageKinds: readonly KindDefinition[] = versionsFrom('v1alpha1').map((version) =>
  vmOperatorKind('VirtualMachineImage', version, specAt(version)),
);

/** ClusterVirtualMachineImage at v1alpha1..v1alpha6: the same spec, cluster-scoped. */
export const clusterVirtualMachineImageKinds: readonly KindDefinition[] = versionsFrom('v1alpha1').map((version) =>
  vmOperatorKind('ClusterVirtualMachineImage', version, specAt(version), false),
);
