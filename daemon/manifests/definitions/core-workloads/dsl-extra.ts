/**
 * Builders the core workload kinds need beyond `../dsl.ts`: the name grammars the API server checks
 * (RFC 1035 labels, IANA service names, ConfigMap keys, base64), ports, and maps with checked keys.
 * Everything here is plain JSON Schema that `../../schema-registry.ts` already compiles.
 */
import { intOrString, int, obj, str, type Schema } from '../dsl/builders.js';

/**
 * An RFC 1035 label as `k8s.io/apimachinery` checks it (`IsDNS1035Label`): lowercase, starts with a
 * letter. Service names use it. Meant to become the ajv format `dns1035-label`; until the registry
 * knows that format, schemas carry it as a `pattern`.
 */
export const DNS1035_LABEL = '^[a-z]([-a-z0-9]*[a-z0-9])?$';

/** The format name `DNS1035_LABEL` should be registered under in `schema-registry.ts`. */
export const DNS1035_LABEL_FORMAT = 'dns1035-label';

/** An IANA service name (`IsValidPortName`): at most 15 characters, a letter somewhere, no `--`. */
export const IANA_SVC_NAME = '^(?=.{1,15}$)(?=.*[a-z])(?!.*--)[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

/** A ConfigMap or Secret key (`IsConfigMapKey`). */
export const CONFIG_MAP_KEY = '^[-._a-zA-Z0-9]+$';

/**
 * Standard padded base64 as Go's `encoding/json` decodes `[]byte`: groups of four, `=` padding, and
 * CR/LF anywhere (YAML block scalars wrap long values), which the decoder skips.
 */
export const BASE64 =
  '^[\\r\\n]*(?:(?:[A-Za-z0-9+/][\\r\\n]*){4})*(?:(?:[A-Za-z0-9+/][\\r\\n]*){2}=[\\r\\n]*=|(?:[A-Za-z0-9+/][\\r\\n]*){3}=)?[\\r\\n]*$';

/** A string matched against one of the patterns above. */
export function matching(pattern: string, maxLength?: number): Schema {
  return maxLength === undefined ? str({ pattern }) : str({ pattern, maxLength });
}

/** A TCP/UDP/SCTP port number, 1..65535. */
export function portNumber(): Schema {
  return int({ minimum: 1, maximum: 65535 });
}

/** A port given by number (1..65535) or by IANA name, as probes and Service targetPorts take it. */
export function namedPort(): Schema {
  return { ...intOrString(), minimum: 1, maximum: 65535, pattern: IANA_SVC_NAME };
}

/** A count or percentage ("25%"), as rolling updates take maxSurge and maxUnavailable. */
export function countOrPercent(): Schema {
  return { ...intOrString(), minimum: 0, pattern: '^[0-9]+%$' };
}

/** A map whose keys must match `keyPattern` (ConfigMap and Secret keys), with typed values. */
export function keyedMap(values: Schema, keyPattern: string, keyMaxLength = 253): Schema {
  return { type: 'object', propertyNames: { pattern: keyPattern, maxLength: keyMaxLength }, additionalProperties: values };
}

/** A map with free keys and typed values in which some keys must be present (`requests.storage`). */
export function mapWithKeys(values: Schema, ...keys: string[]): Schema {
  return { type: 'object', properties: Object.fromEntries(keys.map((k) => [k, values])), additionalProperties: values, required: keys };
}

/** A closed object built by `obj` with some required fields made optional (templates carry no name). */
export function optional(base: Schema, ...names: string[]): Schema {
  const required = ((base['required'] as string[] | undefined) ?? []).filter((r) => !names.includes(r));
  return obj({ ...((base['properties'] ?? {}) as Record<string, Schema>) }, { required });
}

/** A closed object built by `obj` with more fields required. */
export function requiring(base: Schema, ...names: string[]): Schema {
  const required = [...new Set([...((base['required'] as string[] | undefined) ?? []), ...names])];
  return { ...base, required };
}
