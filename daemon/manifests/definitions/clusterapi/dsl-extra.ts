/**
 * Small builders on top of `../dsl.ts` for the shapes Cluster API repeats everywhere: bounded
 * strings, bounded lists, objects that must not be empty (v1beta2's `minProperties: 1`) and the
 * name patterns its validation markers use. They emit nothing `dsl.ts` could not; they only
 * keep the definitions short enough to read against the API.
 */
import { list, obj, str, type ListOptions, type ObjectOptions, type Schema, type StringOptions } from '../dsl/builders.js';

/** A DNS-1123 subdomain (names of most objects, API groups). */
export const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
/** A Kind: a letter, then letters, digits and dashes. */
export const KIND_NAME = '^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$';
/** `group/version` (a core-group version alone does not match). */
export const GROUP_VERSION = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/[a-z]([-a-z0-9]*[a-z0-9])?$';
/** A qualified name with an optional DNS-subdomain prefix (condition types, label keys). */
export const QUALIFIED_NAME = '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$';

/** A string of 1 to `maxLength` characters, Cluster API's usual bound. */
export function text(maxLength: number, opts: StringOptions = {}): Schema {
  return str({ minLength: 1, maxLength, ...opts });
}

/** A list of at most `maxItems` items. */
export function upTo(maxItems: number, items: Schema, opts: ListOptions = {}): Schema {
  return list(items, { maxItems, ...opts });
}

/** A list of 1 to `maxItems` items (v1beta2 refuses empty lists where v1beta1 allowed them). */
export function oneToMany(maxItems: number, items: Schema, opts: ListOptions = {}): Schema {
  return list(items, { minItems: 1, maxItems, ...opts });
}

/** A closed object that must set at least one field (`minProperties: 1`). */
export function filled(properties: Record<string, Schema>, opts: ObjectOptions = {}): Schema {
  return obj(properties, { ...opts, minProperties: 1 });
}

/** A closed object with some required fields: `req(['name'], {...})`. */
export function req(required: readonly string[], properties: Record<string, Schema>, opts: ObjectOptions = {}): Schema {
  return obj(properties, { ...opts, required });
}

/** A string with one CEL rule (and any other string constraints). */
export function celString(rule: string, message: string, opts: StringOptions = {}): Schema {
  return str({ ...opts, cel: [{ rule, message }] });
}

/**
 * The schema with the CRD's `default:` value (JSON Schema `default`), which the API server fills in
 * when the field is absent. Same output as `default` in the `../dsl.ts` builders; kept here so these
 * definitions do not depend on which builders take the option.
 */
export function defaulted(schema: Schema, value: unknown): Schema {
  return { ...schema, default: value };
}
