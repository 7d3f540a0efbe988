/** Fragments shared by the vmoperator.vmware.com kinds: references, selectors, resource quantities. */
import { list, mapOf, obj, quantity, str, type CelRule, type Schema } from '../dsl/builders.js';
import type { KindDefinition } from '../dsl/kind.js';

/** The API group of VM Operator. */
export const VMOPERATOR_GROUP = 'vmoperator.vmware.com';

/** The versions pacific serves with its own definitions (v1alpha1 predates `network`/`bootstrap`). */
export const VMOPERATOR_VERSIONS = ['v1alpha2', 'v1alpha3', 'v1alpha4', 'v1alpha5', 'v1alpha6'] as const;

/** One of the served VM Operator versions. */
export type VmOperatorVersion = (typeof VMOPERATOR_VERSIONS)[number];

/** Every version the VM Operator CRDs define, v1alpha1 (the original shapes) included. */
export const VMOPERATOR_ALL_VERSIONS = ['v1alpha1', ...VMOPERATOR_VERSIONS] as const;

/** One of the VM Operator versions, v1alpha1 included. */
export type VmOperatorAnyVersion = (typeof VMOPERATOR_ALL_VERSIONS)[number];

/** The versions from `first` on, in order (a kind introduced at v1alpha5 exists at v1alpha5 and v1alpha6). */
export function versionsFrom(first: VmOperatorAnyVersion): VmOperatorAnyVersion[] {
  return VMOPERATOR_ALL_VERSIONS.slice(VMOPERATOR_ALL_VERSIONS.indexOf(first));
}

/** A namespaced vmoperator.vmware.com kind at one version; names are DNS-1123 subdomains, as for every custom resource. */
export function vmOperatorKind(kind: string, version: VmOperatorAnyVersion, spec: Schema, namespaced = true): KindDefinition {
  return { group: VMOPERATOR_GROUP, version, kind, namespaced, nameFormat: 'dns-subdomain', fields: { spec } };
}

/** A key of a Secret in the object's namespace (`common.SecretKeySelector`); both fields required. */
export const secretKeySelector = obj({ key: str(), name: str() }, { required: ['key', 'name'] });

/** A Secret key selector whose key defaults to `key` when absent (both fields still listed as required). */
export function secretKeySelectorDefaulting(key: string): Schema {
  return obj({ key: str({ default: key }), name: str() }, { required: ['key', 'name'] });
}

/** A Secret key selector whose key defaults to `key`, so only the Secret name is required. */
export function secretNameSelector(key: string): Schema {
  return obj({ key: str({ default: key }), name: str() }, { required: ['name'] });
}

/** A value given inline or read from a Secret key (`common.ValueOrSecretKeySelector`). */
export const valueOrSecretKey = obj({ from: secretKeySelector, value: str() });

/** A name+kind reference to an image (`VirtualMachineImage` or `ClusterVirtualMachineImage`). */
export const imageRef = obj({ kind: str(), name: str() }, { required: ['kind', 'name'] });

/** A typed reference to another API object, apiVersion included. */
export const typedObjectRef = obj({ apiVersion: str(), kind: str(), name: str() }, { required: ['apiVersion', 'kind', 'name'] });

/** A `key`/`value` pair in a list keyed by `key` (extraConfig, guestInfo, advanced properties). */
export const keyValue = obj({ key: str(), value: str() }, { required: ['key'] });

/** metav1.LabelSelector. */
export const labelSelector = obj({
  matchExpressions: list(obj({ key: str(), operator: str(), values: list(str()) }, { required: ['key', 'operator'] })),
  matchLabels: mapOf(str()),
});

/** `cpu`/`memory` quantities, as a VM class or a VM states requests, limits or sizes. */
export function cpuMemory(cpuCel?: readonly CelRule[]): Schema {
  return obj({ cpu: quantity(cpuCel ? { cel: cpuCel } : {}), memory: quantity() });
}
