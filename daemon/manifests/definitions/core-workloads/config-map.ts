/** `v1` ConfigMap and Secret: key/value data that pods read as files or environment variables. */
import { bool, str } from '../dsl/builders.js';
import type { KindDefinition } from '../dsl/kind.js';
import { BASE64, CONFIG_MAP_KEY, keyedMap } from './dsl-extra.js';

const text = () => keyedMap(str(), CONFIG_MAP_KEY);
const bytes = () => keyedMap(str({ pattern: BASE64 }), CONFIG_MAP_KEY);

/** `v1` ConfigMap: `data` as text, `binaryData` as base64, keys as `IsConfigMapKey` allows. */
export const configMapV1: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  namespaced: true,
  nameFormat: 'dns-subdomain',
  fields: { binaryData: bytes(), data: text(), immutable: bool() },
};

/** `v1` Secret: `data` as base64, `stringData` as text (merged into data on write), any `type`. */
export const secretV1: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  namespaced: true,
  nameFormat: 'dns-subdomain',
  fields: { data: bytes(), immutable: bool(), stringData: text(), type: str() },
};
