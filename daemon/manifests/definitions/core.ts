/** Core Kubernetes kinds pacific serves (`v1`), as the API server defines them. */
import { obj, str, list, mapOf, quantity, enumOf } from './dsl/builders.js';
import type { KindDefinition } from './dsl/kind.js';

const resourceList = mapOf(quantity());

const scopedResourceSelectorRequirement = obj(
  {
    scopeName: str(),
    operator: enumOf('In', 'NotIn', 'Exists', 'DoesNotExist'),
    values: list(str()),
  },
  { required: ['scopeName', 'operator'] },
);

export const namespaceV1: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  namespaced: false,
  nameFormat: 'dns-label',
  fields: {
    spec: obj({ finalizers: list(str()) }),
  },
};

export const resourceQuotaV1: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'ResourceQuota',
  namespaced: true,
  nameFormat: 'dns-subdomain',
  fields: {
    spec: obj({
      hard: resourceList,
      scopes: list(enumOf('Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity')),
      scopeSelector: obj({ matchExpressions: list(scopedResourceSelectorRequirement) }),
    }),
  },
};

export const coreKinds: readonly KindDefinition[] = [namespaceV1, resourceQuotaV1];
