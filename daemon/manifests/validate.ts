/**
 * Documents → validated objects. Checks type meta, looks the kind up by group+version+kind,
 * validates against its schema and turns every ajv error into a diagnostic at file:line:column.
 */
import type { ErrorObject } from 'ajv';
import type { SchemaRegistry } from './schema-registry.js';
import { formatPath, locateField, parsePointer, type PathSegment } from './locate.js';
import { scalarHint } from './parse.js';
import { documentRuleProblems, unservedKindHint } from './document-rules.js';
import {
  displayName,
  objectKey,
  splitApiVersion,
  type Diagnostic,
  type DiagnosticCode,
  type ManifestObject,
  type ParsedDocument,
} from './types.js';

export interface DocumentResult {
  readonly object?: ManifestObject;
  readonly diagnostics: Diagnostic[];
}

/**
 * Drops null-valued fields of objects, recursively. Applied to ObjectMeta only (the API server
 * reads it into Go types, where null is absent); elsewhere a null is validated as written, so a
 * `spec:` holding only a comment is refused, as `kubectl --validate=strict` refuses it.
 */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = dropNulls(v);
    return out;
  }
  return value;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return `${typeof value} ${String(value)}`;
}

/**
 * A Secret's value never appears in a diagnostic: diagnostics reach status, events and the log,
 * which people who may not read the Secret read. Its type and length say what is wrong.
 */
function describeSecret(value: unknown): string {
  if (typeof value === 'string') return `a string of ${value.length} characters (a Secret's value is not shown)`;
  if (value === null || typeof value === 'object') return describeValue(value);
  return `a ${typeof value} (a Secret's value is not shown)`;
}

/** True for the fields of a Secret that hold its values. */
function isSecretValue(kind: string, path: readonly PathSegment[]): boolean {
  return kind === 'Secret' && (path[0] === 'data' || path[0] === 'stringData');
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let node = root;
  for (const s of path) node = node && typeof node === 'object' ? (node as Record<string | number, unknown>)[s] : undefined;
  return node;
}

const FORMAT_MESSAGES: Record<string, string> = {
  'dns1123-label': "must be a lowercase RFC 1123 label: a-z, 0-9 and '-', starting and ending with a letter or digit",
  'dns1123-subdomain': "must be a lowercase RFC 1123 subdomain: a-z, 0-9, '-' and '.', starting and ending with a letter or digit",
  quantity: 'must be a Kubernetes quantity such as 4Gi, 500m or 2',
  'date-time': 'must be an RFC 3339 timestamp',
};

interface FieldProblem {
  code: DiagnosticCode;
  path: PathSegment[];
  message: string;
}

/**
 * The first .inf, -.inf or .nan in a document, where YAML 1.1 reads one: JSON has no such numbers,
 * so kubectl refuses the document, and pacific would otherwise store it as null.
 */
function nonFiniteNumber(value: unknown, path: PathSegment[]): [PathSegment[], number] | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : [[...path], value];
  if (value === null || typeof value !== 'object') return undefined;
  // One path array, pushed and popped: most documents have none, and this walks every node.
  const entries: Iterable<[PathSegment, unknown]> = Array.isArray(value) ? value.entries() : Object.entries(value);
  for (const [key, child] of entries) {
    if (typeof child !== 'object' && typeof child !== 'number') continue;
    path.push(key);
    const found = nonFiniteNumber(child, path);
    path.pop();
    if (found) return found;
  }
  return undefined;
}

/** Keywords that judge a value of the right type; after a type error at the same place they repeat it. */
const VALUE_KEYWORDS = new Set(['enum', 'const', 'format', 'pattern']);

/** One ajv error → the field it names and a message a user can act on. */
function explain(error: ErrorObject, body: unknown, kind: string): FieldProblem {
  const path = parsePointer(error.instancePath, body);
  const params = error.params as Record<string, unknown>;
  const describe = isSecretValue(kind, path) ? describeSecret : describeValue;
  switch (error.keyword) {
    case 'additionalProperties':
      return { code: 'UnknownField', path: [...path, String(params['additionalProperty'])], message: `unknown field "${String(params['additionalProperty'])}"` };
    case 'required':
      return { code: 'RequiredField', path: [...path, String(params['missingProperty'])], message: 'required field is missing' };
    case 'type':
      return { code: 'SchemaViolation', path, message: `must be ${String(params['type'])}, got ${describe(valueAt(body, path))}${scalarHint(params['type'], valueAt(body, path))}` };
    case 'enum':
      return {
        code: 'SchemaViolation',
        path,
        message: `must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}; got ${describe(valueAt(body, path))}`,
      };
    case 'format': {
      const format = String(params['format']);
      return { code: 'SchemaViolation', path, message: `${FORMAT_MESSAGES[format] ?? `must be a valid ${format}`}; got ${describe(valueAt(body, path))}` };
    }
    case 'x-kubernetes-validations':
      return { code: 'SchemaViolation', path, message: error.message ?? `failed rule: ${String(params['rule'])}` };
    case 'x-kubernetes-list-map-keys':
    case 'x-kubernetes-list-type':
      return { code: 'SchemaViolation', path: [...path, Number(params['index'])], message: error.message ?? 'duplicate list entry' };
    default:
      return { code: 'SchemaViolation', path, message: `${error.message ?? 'is invalid'}; got ${describe(valueAt(body, path))}` };
  }
}

/**
 * Validates one parsed document against the registry; never throws for bad input. A namespaced
 * object without metadata.namespace gets `defaultNamespace` (kubectl's `default`, or the tenant
 * folder's namespace).
 */
export function validateDocument(doc: ParsedDocument, registry: SchemaRegistry, defaultNamespace = 'default'): DocumentResult {
  const at = (path: readonly PathSegment[]) => (path.length ? locateField(doc, path) : { line: doc.line, column: 1 });
  const problem = (code: DiagnosticCode, path: PathSegment[], message: string, object?: string): Diagnostic => ({
    severity: 'error',
    code,
    file: doc.file,
    ...at(path),
    ...(object ? { object } : {}),
    ...(path.length ? { path: formatPath(path) } : {}),
    message,
  });

  if (!doc.value || typeof doc.value !== 'object' || Array.isArray(doc.value)) {
    return { diagnostics: [problem('NotAnObject', [], `a manifest must be a YAML mapping, got ${describeValue(doc.value)}`)] };
  }
  const raw = doc.value as Record<string, unknown>;
  const missing = (['apiVersion', 'kind'] as const).filter((f) => typeof raw[f] !== 'string' || raw[f] === '');
  if (missing.length) {
    return { diagnostics: missing.map((f) => problem('MissingTypeMeta', raw[f] === undefined ? [] : [f], `${f} is required and must be a string`)) };
  }
  const apiVersion = raw['apiVersion'] as string;
  const kind = raw['kind'] as string;
  const { group, version } = splitApiVersion(apiVersion);
  const meta = raw['metadata'] && typeof raw['metadata'] === 'object' ? (raw['metadata'] as Record<string, unknown>) : {};
  const name = typeof meta['name'] === 'string' ? meta['name'] : '';
  const writtenNamespace = typeof meta['namespace'] === 'string' ? meta['namespace'] : '';
  const served = registry.kind(group, version, kind);
  if (!served) {
    const versions = registry.versionsOf(group, kind);
    const hint = versions.length ? `; ${group ? group + ' ' : ''}${kind} is served at ${versions.join(', ')}` : (unservedKindHint(group, kind) ?? '');
    return {
      diagnostics: [
        problem('UnsupportedKind', ['apiVersion'], `unsupported apiVersion/kind "${apiVersion}" "${kind}"${hint}`, displayName(kind, writtenNamespace, name || '?')),
      ],
    };
  }

  // As the API server stores it: status is the system's; nulls in metadata mean "absent".
  const { status: _status, ...rest } = raw;
  const body = 'metadata' in rest ? { ...rest, metadata: dropNulls(rest['metadata']) } : rest;
  const namespace = served.namespaced ? writtenNamespace || defaultNamespace : '';
  const id = displayName(kind, namespace, name || '?');
  const validate = registry.validator(group, version, kind)!;
  // kubectl refuses such a document while converting it to JSON, before any schema sees it.
  const infinite = nonFiniteNumber(body, []);
  if (infinite) {
    const [path, value] = infinite;
    return { diagnostics: [problem('InvalidValue', path, `${value} is not a number JSON can hold: Kubernetes refuses the document (json: unsupported value); quote it to keep it as text`, id)] };
  }
  const diagnostics: Diagnostic[] = [];
  if (!validate(body)) {
    const errors = validate.errors ?? [];
    // A value of the wrong type is one problem: its enum, format or pattern says nothing more (`powerState: on` is a boolean, not an unknown state).
    const mistyped = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
    const seen = new Set<string>();
    for (const error of errors) {
      if (VALUE_KEYWORDS.has(error.keyword) && mistyped.has(error.instancePath)) continue;
      const p = explain(error, body, kind);
      const dedupe = `${formatPath(p.path)}|${p.message}`;
      if (seen.has(dedupe)) continue;
      seen.add(dedupe);
      diagnostics.push(problem(p.code, p.path, p.message, id));
    }
  }
  if (!diagnostics.length) for (const r of documentRuleProblems(group, kind, body)) diagnostics.push(problem('InvalidValue', [...r.path], r.message, id));
  if (!served.namespaced && writtenNamespace) {
    diagnostics.push({ ...problem('IgnoredField', ['metadata', 'namespace'], `${kind} is cluster-scoped; metadata.namespace is ignored`, id), severity: 'warning' });
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return {
    object: {
      key: objectKey(group, kind, namespace, name),
      apiVersion,
      group,
      version,
      kind,
      namespace,
      name,
      namespaced: served.namespaced,
      body,
      source: { file: doc.file, line: doc.line, column: 1 },
    },
    diagnostics,
  };
}
