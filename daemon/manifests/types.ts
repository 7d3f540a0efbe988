/** The shapes that flow from files to validated objects: documents, diagnostics, object identity. */

/** Where something was written: repo-relative file, 1-based line and column. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export type Severity = 'error' | 'warning';

/** Closed vocabulary of problems a manifest can have. */
export type DiagnosticCode =
  | 'YAMLSyntax'
  | 'InvalidEncoding'
  | 'NotAnObject'
  | 'MissingTypeMeta'
  | 'UnsupportedKind'
  | 'SchemaViolation'
  /** Schema-valid, but a value the Supervisor's admission webhooks refuse (an unknown release). */
  | 'InvalidValue'
  | 'UnknownField'
  | 'RequiredField'
  | 'DuplicateObject'
  | 'IgnoredField'
  | 'UnsafePath'
  | 'TenancyViolation'
  | 'LimitExceeded'
  | 'ControlCharacter'
  | 'NonStringKey'
  | 'InternalError';

/** A user mistake, found at a place: never an exception, always one entry in a list. */
export interface Diagnostic {
  readonly severity: Severity;
  readonly code: DiagnosticCode;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** `Kind/namespace/name` (or `Kind/name` when cluster-scoped) when the document got that far. */
  readonly object?: string;
  /** Dotted field path (`spec.network.interfaces[0].name`) when the problem is a field. */
  readonly path?: string;
  readonly message: string;
}

/** One YAML document of a file, parsed but not yet validated. */
export interface ParsedDocument {
  readonly file: string;
  /** 0-based position among the file's documents. */
  readonly index: number;
  /** 1-based line of the document's first content line. */
  readonly line: number;
  /** 1-based line where the document's text starts (for locating fields inside it). */
  readonly firstLine: number;
  readonly text: string;
  readonly value: unknown;
}

/** A group/version/kind as the schemas key them. */
export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** A validated object of the desired state. Readonly: after validation nothing re-checks shapes. */
export interface ManifestObject extends GroupVersionKind {
  /** Identity across versions: `group/Kind/namespace/name`. */
  readonly key: string;
  readonly apiVersion: string;
  readonly namespace: string;
  readonly name: string;
  readonly namespaced: boolean;
  /** The document with nulls dropped and `status` removed, as the API server would store it. */
  readonly body: Readonly<Record<string, unknown>>;
  readonly source: SourceLocation;
  /** Set on objects pacific derives from a declared one (`Kind/namespace/name` of the owner). */
  readonly owner?: string;
  /** Set on objects a tenant folder declares (the tenancy rule): written by the namespace's developers, not the VI admin. */
  readonly tenant?: true;
}

/** `group/Kind/namespace/name`: the identity of an object whatever version declared it. */
export function objectKey(group: string, kind: string, namespace: string, name: string): string {
  return `${group}/${kind}/${namespace}/${name}`;
}

/** `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects: how users read an object. */
export function displayName(kind: string, namespace: string, name: string): string {
  return namespace ? `${kind}/${namespace}/${name}` : `${kind}/${name}`;
}

/** `file:line:column: Kind/namespace/name: field.path: message`, one problem per line. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}:${d.line}:${d.column}`;
  const prefix = d.severity === 'warning' ? 'warning: ' : '';
  return `${where}: ${d.object ?? '-'}: ${d.path || '-'}: ${prefix}${d.message}`;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}
