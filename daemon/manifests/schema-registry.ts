/**
 * The served kinds and their compiled validators. Schemas are read from `schemas/` once and compiled
 * lazily per group/version/kind; ajv learns the Kubernetes extensions the schemas use, CEL rules
 * (`./cel.ts`) included.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type AnySchemaObject, type ValidateFunction, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { schemasDir } from '../base/paths.js';
import { splitApiVersion, type GroupVersionKind } from './types.js';
import { normalizeBySchema } from './normalize.js';
import { celFailureMessage, celRule, celRuleSites, celValue, skippedCelRules, type CelRule, type CelRuleSite, type SkippedCelRule } from './cel.js';

// ajv-formats ships CommonJS with a default export object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv, formats: string[]) => Ajv;

/** One served group/version/kind. */
export interface ServedKind extends GroupVersionKind {
  readonly namespaced: boolean;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** The resource.Quantity grammar of k8s.io/apimachinery. */
export const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?(\d+(\.\d*)?|\.\d+)))?$/;

/** ajv's convention for a `validate` keyword reporting its own errors. */
function setErrors(fn: unknown, errors: Partial<ErrorObject>[]): void {
  (fn as { errors: Partial<ErrorObject>[] }).errors = errors;
}

/** Whether `data` has the JSON type a schema node declares (CEL rules only judge well-typed nodes). */
function hasDeclaredType(schema: AnySchemaObject, data: unknown): boolean {
  switch (schema['type']) {
    case 'object':
      return !!data && typeof data === 'object' && !Array.isArray(data);
    case 'array':
      return Array.isArray(data);
    case 'string':
      return typeof data === 'string';
    case 'integer':
    case 'number':
      return typeof data === 'number';
    case 'boolean':
      return typeof data === 'boolean';
    default:
      return true;
  }
}

/** How many CEL rule evaluations a registry's validators have run (to measure their cost). */
interface CelCounter {
  evaluations: number;
}

function createAjv(cel: CelCounter): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictTuples: false, validateFormats: true });
  addFormats(ajv, ['date-time', 'date', 'uri', 'email', 'ipv4', 'ipv6', 'uuid', 'hostname']);
  ajv.addFormat('dns1123-label', DNS_LABEL);
  ajv.addFormat('dns1123-subdomain', DNS_SUBDOMAIN);
  ajv.addFormat('quantity', QUANTITY);
  // CRD formats that the API server itself does not enforce on custom resources.
  for (const f of ['int32', 'int64', 'byte', 'password', 'cidr', 'mac', 'duration', 'datetime']) ajv.addFormat(f, true);
  ajv.addKeyword({
    keyword: 'x-kubernetes-int-or-string',
    errors: true,
    validate: function intOrString(enabled: boolean, data: unknown) {
      if (!enabled || typeof data === 'string' || Number.isInteger(data)) return true;
      setErrors(intOrString, [{ keyword: 'x-kubernetes-int-or-string', message: 'must be an integer or a string', params: {} }]);
      return false;
    },
  });
  ajv.addKeyword({
    keyword: 'x-kubernetes-list-map-keys',
    type: 'array',
    errors: true,
    validate: function uniqueKeys(keys: string[], data: unknown[], parentSchema?: AnySchemaObject) {
      const seen = new Map<string, number>();
      const errors: Partial<ErrorObject>[] = [];
      // A key field left out takes its default before keys are compared, as the API server defaults first.
      const itemProperties = ((parentSchema?.['items'] as AnySchemaObject | undefined)?.['properties'] ?? {}) as Record<string, AnySchemaObject>;
      data.forEach((item, index) => {
        if (!item || typeof item !== 'object') return;
        const id = JSON.stringify(keys.map((k) => (item as Record<string, unknown>)[k] ?? itemProperties[k]?.['default'] ?? null));
        const first = seen.get(id);
        if (first === undefined) seen.set(id, index);
        else
          errors.push({
            keyword: 'x-kubernetes-list-map-keys',
            message: `duplicate entry with ${keys.map((k) => `${k}=${JSON.stringify((item as Record<string, unknown>)[k])}`).join(', ')} (first at [${first}])`,
            params: { index },
          });
      });
      setErrors(uniqueKeys, errors);
      return errors.length === 0;
    },
  });
  ajv.addKeyword({
    keyword: 'x-kubernetes-list-type',
    type: 'array',
    errors: true,
    validate: function uniqueSet(listType: string, data: unknown[]) {
      if (listType !== 'set') return true;
      const seen = new Set<string>();
      for (const [index, item] of data.entries()) {
        const id = JSON.stringify(item);
        if (seen.has(id)) {
          setErrors(uniqueSet, [{ keyword: 'x-kubernetes-list-type', message: `duplicate value ${id} in a set`, params: { index } }]);
          return false;
        }
        seen.add(id);
      }
      return true;
    },
  });
  // CEL rules: each compiled once; a rule that cannot be judged is listed by `skippedCelRules()`.
  ajv.addKeyword({
    keyword: 'x-kubernetes-validations',
    errors: true,
    compile(rules: CelRule[], parentSchema: AnySchemaObject) {
      const evaluated = rules.flatMap((rule) => {
        const compiled = celRule(rule.rule);
        return compiled.status === 'evaluated' ? [{ rule, compiled }] : [];
      });
      const validate: ((data: unknown) => boolean) & { errors?: Partial<ErrorObject>[] } = (data: unknown) => {
        if (!evaluated.length || !hasDeclaredType(parentSchema, data)) return true;
        const self = celValue(data, parentSchema);
        const errors: Partial<ErrorObject>[] = [];
        for (const { rule, compiled } of evaluated) {
          cel.evaluations++;
          const outcome = compiled.evaluate(self);
          if (!outcome.holds) errors.push({ keyword: 'x-kubernetes-validations', message: celFailureMessage(rule, outcome), params: { rule: rule.rule } });
        }
        validate.errors = errors;
        return errors.length === 0;
      };
      return validate;
    },
  });
  // Annotations: kept in the schemas, meaningful to the planner or documented as skipped.
  for (const keyword of [
    'x-kubernetes-preserve-unknown-fields',
    'x-kubernetes-embedded-resource',
    'x-kubernetes-map-type',
    'x-pacific-kind',
  ]) {
    ajv.addKeyword({ keyword });
  }
  return ajv;
}

/**
 * The schema as the API server applies it: defaults are filled in before validation, so a field
 * that is both required and defaulted can never be missing; it is dropped from `required`.
 */
function defaultsSatisfyRequired(node: AnySchemaObject): AnySchemaObject {
  const out: AnySchemaObject = { ...node };
  const properties = node['properties'] as Record<string, AnySchemaObject> | undefined;
  if (properties) {
    out['properties'] = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, defaultsSatisfyRequired(v)]));
    if (Array.isArray(node['required'])) out['required'] = (node['required'] as string[]).filter((k) => properties[k]?.['default'] === undefined);
  }
  for (const k of ['items', 'additionalProperties'] as const) {
    if (node[k] && typeof node[k] === 'object') out[k] = defaultsSatisfyRequired(node[k] as AnySchemaObject);
  }
  for (const k of ['anyOf', 'allOf', 'oneOf'] as const) {
    if (Array.isArray(node[k])) out[k] = (node[k] as AnySchemaObject[]).map(defaultsSatisfyRequired);
  }
  return out;
}

function listSchemaFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...listSchemaFiles(path));
    else if (entry.endsWith('.json')) out.push(path);
  }
  return out;
}

function gvkId(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}

/** Served kinds keyed by group+version+kind, with validators compiled on first use. */
export class SchemaRegistry {
  private readonly cel: CelCounter = { evaluations: 0 };
  private readonly ajv = createAjv(this.cel);
  private readonly schemas = new Map<string, { kind: ServedKind; schema: AnySchemaObject }>();
  private readonly validators = new Map<string, ValidateFunction>();
  /** Normalized specs by apiVersion and kind, then by spec object (see `normalizeSpec`). */
  private readonly normalized = new Map<string, WeakMap<object, unknown>>();
  /** Identifies this set of schemas: cached verdicts made under other schemas are void. */
  readonly fingerprint: string;

  private constructor(schemas: readonly AnySchemaObject[]) {
    this.fingerprint = createHash('sha1').update(JSON.stringify(schemas)).digest('hex').slice(0, 16);
    for (const schema of schemas) {
      const kind = schema['x-pacific-kind'] as ServedKind | undefined;
      if (!kind) continue; // a shared fragment, not a kind
      this.schemas.set(gvkId(kind.group, kind.version, kind.kind), { kind, schema: defaultsSatisfyRequired(schema) });
    }
  }

  /** Reads every schema below `dir` (default: the package's `schemas/`). */
  static load(dir: string = schemasDir): SchemaRegistry {
    return new SchemaRegistry(listSchemaFiles(dir).map((f) => JSON.parse(readFileSync(f, 'utf8')) as AnySchemaObject));
  }

  /** A registry over schemas given in memory (tests, generated definitions). */
  static fromSchemas(schemas: readonly AnySchemaObject[]): SchemaRegistry {
    return new SchemaRegistry(schemas);
  }

  /** The served kind for group/version/kind, or undefined when pacific does not serve it. */
  kind(group: string, version: string, kind: string): ServedKind | undefined {
    return this.schemas.get(gvkId(group, version, kind))?.kind;
  }

  /** Versions served for a group+kind (to tell a user which versions exist when theirs does not). */
  versionsOf(group: string, kind: string): string[] {
    return [...this.schemas.values()].filter((s) => s.kind.group === group && s.kind.kind === kind).map((s) => s.kind.version).sort();
  }

  /** Every served group/version/kind. */
  servedKinds(): ServedKind[] {
    return [...this.schemas.values()].map((s) => s.kind);
  }

  /** The JSON Schema of a served kind. */
  schema(group: string, version: string, kind: string): AnySchemaObject | undefined {
    return this.schemas.get(gvkId(group, version, kind))?.schema;
  }

  /**
   * A spec in canonical form for its kind's schema (quantities spelled one way). Specs are immutable
   * values, so each is normalized once: a Deployment's pods share their template's spec, and a live
   * pod keeps its spec from pass to pass (planning 5,000 pods compared 10,000 specs every pass).
   */
  normalizeSpec(apiVersion: string, kind: string, spec: unknown): unknown {
    const id = `${apiVersion}\u0000${kind}`;
    let memo = this.normalized.get(id);
    if (!memo) this.normalized.set(id, (memo = new WeakMap()));
    if (typeof spec === 'object' && spec !== null && memo.has(spec)) return memo.get(spec);
    const { group, version } = splitApiVersion(apiVersion);
    const schema = this.schema(group, version, kind) as { properties?: Record<string, Record<string, unknown>> } | undefined;
    const normalized = normalizeBySchema(schema?.properties?.['spec'], spec);
    if (typeof spec === 'object' && spec !== null) memo.set(spec, normalized);
    return normalized;
  }

  /** Every CEL rule of the served kinds, with where it sits. */
  celRules(): CelRuleSite[] {
    return [...this.schemas.values()].flatMap(({ kind, schema }) => celRuleSites(schema, kind));
  }

  /** The CEL rules the validators skip (transition rules, rules the evaluator cannot compile), each with the reason. */
  skippedCelRules(): SkippedCelRule[] {
    return skippedCelRules([...this.schemas.values()]);
  }

  /** How many CEL rule evaluations this registry's validators have run so far. */
  celEvaluations(): number {
    return this.cel.evaluations;
  }

  /** The compiled validator of a served kind (compiled once, on first use). */
  validator(group: string, version: string, kind: string): ValidateFunction | undefined {
    const id = gvkId(group, version, kind);
    let validate = this.validators.get(id);
    if (!validate) {
      const entry = this.schemas.get(id);
      if (!entry) return undefined;
      validate = this.ajv.compile(entry.schema);
      this.validators.set(id, validate);
    }
    return validate;
  }
}
