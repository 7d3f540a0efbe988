/**
 * `pacific.dev/v1alpha1` NamespacePolicy: what a VI admin sets on a vSphere Namespace that
 * Kubernetes has no word for: which VM classes, images and storage policies it may use, who may do
 * what in it, its image registry, and namespace-wide operations (encryption, snapshots, HA restart
 * priority, host placement). A list left out means "no restriction"; an empty list means "none".
 * `defaultContentLibrary` is the namespace's default content library: where a
 * VirtualMachinePublishRequest without `spec.target.location` publishes (vm-operator's library
 * labelled `imageregistry.vmware.com/default`); without it such a request is refused.
 */
import { bool, enumOf, int, list, obj, quantity, str } from './dsl/builders.js';
import type { KindDefinition } from './dsl/kind.js';

const subject = obj({ kind: enumOf('User', 'Group'), name: str({ minLength: 1 }) }, { required: ['kind', 'name'] });

export const namespacePolicyV1alpha1: KindDefinition = {
  group: 'pacific.dev',
  version: 'v1alpha1',
  kind: 'NamespacePolicy',
  namespaced: true,
  nameFormat: 'dns-subdomain',
  required: ['spec'],
  fields: {
    spec: obj({
      /** vCenter VM classes bound to the namespace (classes declared in the namespace are usable when admitted, see below). */
      vmClasses: list(str(), { set: true }),
      /** The largest class any VM of the namespace may use, whoever declared the class (vCenter, the VI admin, a tenant). */
      vmClassLimits: obj({ cpus: int({ minimum: 1 }), memory: quantity() }, { minProperties: 1 }),
      /** Whether the namespace's developers may declare VirtualMachineClasses in their folder (default: no; classes come from the VI admin). */
      tenantVmClasses: bool(),
      /** Content libraries whose images VMs of the namespace may use. */
      contentLibraries: list(str(), { set: true }),
      /** The namespace's default content library (publish requests without a location); one of contentLibraries when they are listed. */
      defaultContentLibrary: str({ minLength: 1 }),
      /** Further content libraries the namespace may publish into (its default one is writable too); without either it publishes nowhere. */
      writableContentLibraries: list(str(), { set: true }),
      /** Storage policies (storage classes) VMs, pods and PVCs of the namespace may use. */
      storagePolicies: list(str(), { set: true }),
      permissions: list(obj({ subject, role: enumOf('view', 'edit', 'owner') }, { required: ['subject', 'role'] })),
      registry: obj({ enabled: bool(), storageQuota: quantity() }, { required: ['enabled'] }),
      encryption: obj({ required: bool(), keyProvider: str() }, { required: ['required'] }),
      snapshots: obj({ schedule: str({ minLength: 1 }), retention: int({ minimum: 1, maximum: 64 }) }, { required: ['schedule', 'retention'] }),
      ha: obj({ restartPriority: enumOf('disabled', 'lowest', 'low', 'medium', 'high', 'highest') }),
      placement: obj({ hosts: list(str(), { set: true, minItems: 1 }), hostGroup: str({ minLength: 1 }) }, { minProperties: 1 }),
    }),
  },
};

/**
 * `pacific.dev/v1alpha1` RegistryProject: the embedded registry's project a NamespacePolicy with
 * the registry enabled derives (never read from a file, so not served); defined so its reconciler
 * reads the spec through a type. Roles are Harbor's.
 */
export const registryProjectV1alpha1: KindDefinition = {
  group: 'pacific.dev',
  version: 'v1alpha1',
  kind: 'RegistryProject',
  namespaced: true,
  nameFormat: 'dns-subdomain',
  required: ['spec'],
  fields: {
    spec: obj(
      {
        members: list(obj({ subject, role: enumOf('projectAdmin', 'developer', 'guest') }, { required: ['subject', 'role'] })),
        storageQuota: str(),
      },
      { required: ['members'] },
    ),
  },
};

export const pacificKinds: readonly KindDefinition[] = [namespacePolicyV1alpha1];
