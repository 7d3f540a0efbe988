/**
 * A small builder for the JSON Schemas in `schemas/`: our own definitions of the Kubernetes and
 * vSphere APIs pacific serves, written once here and generated into one file per
 * group/version/kind by `generate.ts`. The builders emit plain JSON Schema plus the OpenAPI
 * extensions CRDs use (`x-kubernetes-*`), which `../schema-registry.ts` teaches ajv.
 */

export type Schema = Record<string, unknown>;

/** Options shared by every builder. */
interface Common {
  /** CEL rules as the CRD states them; evaluated or explicitly skipped by the validator. */
  cel?: readonly CelRule[];
  /**
   * The value the API server fills in when the field is absent (the CRD's `default:`), emitted as
   * JSON Schema `default` so the planner can tell a default from drift.
   */
  default?: unknown;
}

export interface CelRule {
  rule: string;
  message?: string;
}

function withCommon(schema: Schema, opts: Common | undefined): Schema {
  if (opts?.cel?.length) schema['x-kubernetes-validations'] = opts.cel;
  if (opts?.default !== undefined) schema['default'] = opts.default;
  return schema;
}

/** A copy of `schema` whose absent value defaults to `value` (for builders without options, e.g. `enumOf`). */
export function withDefault(schema: Schema, value: unknown): Schema {
  return { ...schema, default: value };
}

export interface StringOptions extends Common {
  enum?: readonly string[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
}

export function str(opts: StringOptions = {}): Schema {
  const { cel, default: def, ...rest } = opts;
  return withCommon({ type: 'string', ...rest }, { cel, default: def });
}

export function enumOf(...values: string[]): Schema {
  return { type: 'string', enum: values };
}

export interface NumberOptions extends Common {
  minimum?: number;
  maximum?: number;
  format?: 'int32' | 'int64';
}

export function int(opts: NumberOptions = {}): Schema {
  const { cel, format, default: def, ...rest } = opts;
  return withCommon({ type: 'integer', ...rest }, { cel, default: def });
}

export function num(opts: NumberOptions = {}): Schema {
  const { cel, format, default: def, ...rest } = opts;
  return withCommon({ type: 'number', ...rest }, { cel, default: def });
}

export function bool(opts: Common = {}): Schema {
  return withCommon({ type: 'boolean' }, opts);
}

/** A Kubernetes resource quantity ("4Gi", "500m", 2): int-or-string with the quantity grammar. */
export function quantity(opts: Common = {}): Schema {
  return withCommon({ 'x-kubernetes-int-or-string': true, format: 'quantity' }, opts);
}

/** An int-or-string field (ports, percentages). */
export function intOrString(opts: Common = {}): Schema {
  return withCommon({ 'x-kubernetes-int-or-string': true }, opts);
}

/** An RFC 3339 timestamp, as metav1.Time serializes. */
export function time(): Schema {
  return { type: 'string', format: 'date-time' };
}

/** A free-form JSON value kept as written (`x-kubernetes-preserve-unknown-fields`). */
export function anyValue(): Schema {
  return { 'x-kubernetes-preserve-unknown-fields': true };
}

/** An object whose unknown fields are kept as written. */
export function openObject(properties: Record<string, Schema> = {}): Schema {
  return { type: 'object', properties, 'x-kubernetes-preserve-unknown-fields': true };
}

export interface ObjectOptions extends Common {
  required?: readonly string[];
  minProperties?: number;
}

/** A closed object: unknown fields are errors, as `kubectl --validate=strict` reports them. */
export function obj(properties: Record<string, Schema>, opts: ObjectOptions = {}): Schema {
  const schema: Schema = { type: 'object', properties, additionalProperties: false };
  if (opts.required?.length) schema['required'] = [...opts.required];
  if (opts.minProperties !== undefined) schema['minProperties'] = opts.minProperties;
  return withCommon(schema, opts);
}

/** A map with free keys and typed values (labels, annotations, resource lists). */
export function mapOf(values: Schema): Schema {
  return { type: 'object', additionalProperties: values };
}

export interface ListOptions extends Common {
  /** `x-kubernetes-list-type: map` keyed by these fields: duplicates are invalid, diffs pair by key. */
  mapKeys?: readonly string[];
  /** `x-kubernetes-list-type: set`: items are unique scalars. */
  set?: boolean;
  minItems?: number;
  maxItems?: number;
}

export function list(items: Schema, opts: ListOptions = {}): Schema {
  const schema: Schema = { type: 'array', items };
  if (opts.mapKeys) {
    schema['x-kubernetes-list-type'] = 'map';
    schema['x-kubernetes-list-map-keys'] = [...opts.mapKeys];
  } else if (opts.set) {
    schema['x-kubernetes-list-type'] = 'set';
  }
  if (opts.minItems !== undefined) schema['minItems'] = opts.minItems;
  if (opts.maxItems !== undefined) schema['maxItems'] = opts.maxItems;
  return withCommon(schema, opts);
}

/** Adds or replaces properties of a closed object built by `obj` (versions evolve by small deltas). */
export function extend(base: Schema, properties: Record<string, Schema>, opts: ObjectOptions = {}): Schema {
  const baseProps = (base['properties'] ?? {}) as Record<string, Schema>;
  const required = [...((base['required'] as string[] | undefined) ?? []), ...(opts.required ?? [])];
  return obj(
    { ...baseProps, ...properties },
    {
      ...opts,
      required: [...new Set(required)],
      cel: opts.cel ?? (base['x-kubernetes-validations'] as CelRule[] | undefined),
      default: opts.default ?? base['default'],
    },
  );
}

/** Removes properties from a closed object built by `obj`. */
export function omit(base: Schema, ...names: string[]): Schema {
  const baseProps = { ...((base['properties'] ?? {}) as Record<string, Schema>) };
  for (const name of names) delete baseProps[name];
  const required = ((base['required'] as string[] | undefined) ?? []).filter((r) => !names.includes(r));
  return obj(baseProps, { required, cel: base['x-kubernetes-validations'] as CelRule[] | undefined, default: base['default'] });
}
