/** `v1` LimitRange: per-container, per-pod and per-claim bounds and defaults inside a namespace. */
import { enumOf, list, obj } from '../dsl/builders.js';
import type { KindDefinition } from '../dsl/kind.js';
import { resourceList } from './common.js';

const limitRangeItem = obj(
  {
    default: resourceList,
    defaultRequest: resourceList,
    max: resourceList,
    maxLimitRequestRatio: resourceList,
    min: resourceList,
    type: enumOf('Container', 'Pod', 'PersistentVolumeClaim'),
  },
  { required: ['type'] },
);

/**
 * `LimitRangeSpec`. The API server refuses two items of one type, so `limits` is keyed by `type`
 * here (the OpenAPI spec calls the list atomic).
 */
export const limitRangeSpec = obj({ limits: list(limitRangeItem, { mapKeys: ['type'] }) }, { required: ['limits'] });

/** `v1` LimitRange (namespaced, DNS-subdomain name). */
export const limitRangeV1: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'LimitRange',
  namespaced: true,
  nameFormat: 'dns-subdomain',
  fields: { spec: limitRangeSpec },
};
