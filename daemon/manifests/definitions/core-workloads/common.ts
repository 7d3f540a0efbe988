/** Fragments shared by the core workload kinds: selectors, references, resource lists, template metadata. */
import { enumOf, list, mapOf, obj, quantity, str, type Schema } from '../dsl/builders.js';
import { objectMeta } from '../dsl/kind.js';
import { optional } from './dsl-extra.js';

/** metav1.LabelSelector: `matchLabels` and `matchExpressions` (In, NotIn, Exists, DoesNotExist). */
export const labelSelector = obj({
  matchExpressions: list(
    obj({ key: str(), operator: enumOf('In', 'NotIn', 'Exists', 'DoesNotExist'), values: list(str()) }, { required: ['key', 'operator'] }),
  ),
  matchLabels: mapOf(str()),
});

/** A name in the object's own namespace (`LocalObjectReference`); the name may be empty for old clients. */
export const localObjectReference = obj({ name: str() });

/** Quantities by resource name (`cpu`, `memory`, `storage`, `hugepages-2Mi`, extended resources). */
export const resourceList = mapOf(quantity());

/** `TypedLocalObjectReference`: a kind and name in the same namespace, apiGroup empty for core kinds. */
export const typedLocalObjectReference = obj({ apiGroup: str(), kind: str(), name: str() }, { required: ['kind', 'name'] });

/** `TypedObjectReference`: like `typedLocalObjectReference`, possibly in another namespace. */
export const typedObjectReference = obj({ apiGroup: str(), kind: str(), name: str(), namespace: str() }, { required: ['kind', 'name'] });

/** ObjectMeta inside a template (pod template, volume claim template): the name is not required. */
export const templateMetadata: Schema = optional(objectMeta('dns-subdomain'), 'name');
