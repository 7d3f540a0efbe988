/**
 * CAPV in Supervisor mode (`vmware.infrastructure.cluster.x-k8s.io`, v1beta1 and v1beta2): the
 * infrastructure side of a guest cluster on vSphere with Tanzu. VSphereCluster (and its template)
 * picks the network provider and the control-plane failure domains; ProviderServiceAccount grants
 * the guest cluster's cloud provider access to Supervisor objects. Not to be confused with the
 * govmomi-mode `infrastructure.cluster.x-k8s.io` kinds of the same names, which pacific does not serve.
 */
import { bool, enumOf, int, list, obj, str, type CelRule, type Schema } from '../dsl/builders.js';
import type { KindDefinition } from '../dsl/kind.js';
import type { CapiVersion } from './capi-common.js';
import { filled, req, text } from './dsl-extra.js';
import { labelSelector, labelsAndAnnotations, objectReference } from './kubernetes-core.js';

/** The API group of CAPV's Supervisor mode. */
export const SUPERVISOR_GROUP = 'vmware.infrastructure.cluster.x-k8s.io';

/** Transition rules (they compare with the old object, so they never fail a create). */
const NETWORK_KEPT: CelRule = { rule: '!has(oldSelf.network) || has(self.network)', message: "field 'network' cannot be removed once set" };
const NETWORK_RULES: CelRule[] = [
  { rule: 'has(self.nsxVPC) == has(oldSelf.nsxVPC)', message: "field 'nsxVPC' cannot be added or removed after creation" },
  { rule: '!has(oldSelf.provider) || self.provider == oldSelf.provider', message: 'provider is immutable once set' },
];
const SUBNET_SET_RULE: CelRule = {
  rule: 'has(self.createSubnetSet) == has(oldSelf.createSubnetSet) && self.createSubnetSet == oldSelf.createSubnetSet',
  message: 'createSubnetSet value cannot be changed after creation',
};

function vsphereClusterSpec(version: CapiVersion): Schema {
  const v1beta2 = version === 'v1beta2';
  const fields: Record<string, Schema> = {
    controlPlaneEndpoint: v1beta2 ? filled({ host: text(512), port: int({ minimum: 1, maximum: 65535 }) }) : obj({ host: str({ maxLength: 512 }), port: int() }),
    failureDomains: filled({ controlPlane: filled({ selector: labelSelector }) }),
    network: filled(
      { nsxVPC: filled({ createSubnetSet: bool() }, { cel: [SUBNET_SET_RULE] }), provider: enumOf('VSphereDistributed', 'NSXTier1', 'VPC') },
      { cel: NETWORK_RULES },
    ),
  };
  return v1beta2 ? filled(fields, { cel: [NETWORK_KEPT] }) : obj(fields, { cel: [NETWORK_KEPT] });
}

const vsphereClusterTemplateSpec = (version: CapiVersion): Schema =>
  version === 'v1beta2'
    ? req(['template'], { template: filled({ metadata: filled(labelsAndAnnotations), spec: vsphereClusterSpec(version) }) })
    : req(['template'], { template: req(['spec'], { spec: vsphereClusterSpec(version) }) });

function providerServiceAccountSpec(version: CapiVersion): Schema {
  const v1beta2 = version === 'v1beta2';
  const rule = req(['verbs'], { apiGroups: list(str()), nonResourceURLs: list(str()), resourceNames: list(str()), resources: list(str()), verbs: list(str()) });
  return req(['ref', 'rules', 'targetNamespace', 'targetSecretName'], {
    ref: objectReference,
    rules: v1beta2 ? list(rule, { maxItems: 1024 }) : list(rule),
    targetNamespace: v1beta2 ? text(63) : str(),
    targetSecretName: v1beta2 ? text(253) : str(),
  });
}

/** A Supervisor CAPV kind; `required` lists what the CRD requires at the root (`spec` for some v1beta2 kinds). */
export function supervisorKind(version: CapiVersion, kind: string, spec: Schema, required: readonly string[] = []): KindDefinition {
  return { group: SUPERVISOR_GROUP, version, kind, namespaced: true, nameFormat: 'dns-subdomain', fields: { spec }, ...(required.length ? { required } : {}) };
}

/** VSphereCluster, VSphereClusterTemplate and ProviderServiceAccount at v1beta1 and v1beta2. */
export const supervisorClusterKinds: readonly KindDefinition[] = (['v1beta1', 'v1beta2'] as const).flatMap((version) => [
  supervisorKind(version, 'VSphereCluster', vsphereClusterSpec(version)),
  supervisorKind(version, 'VSphereClusterTemplate', vsphereClusterTemplateSpec(version)),
  supervisorKind(version, 'ProviderServiceAccount', providerServiceAccountSpec(version), version === 'v1beta2' ? ['spec'] : []),
]);
