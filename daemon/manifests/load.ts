/**
 * Manifest files → validated objects of one revision. Per-file work is pure and cacheable by blob
 * id; checks across files (the same object declared twice) run over the assembled set.
 */
import { decodeManifest, parseManifestFile } from './parse.js';
import { fileSizeProblem } from './limits.js';
import { grouped, manifestLimits, type ManifestLimits } from '../base/input-limits.js';
import type { SchemaRegistry } from './schema-registry.js';
import { validateDocument } from './validate.js';
import { isUnsafePath, tenancyViolations, tenantOf, tenantRootProblem, type TenancyRule } from './tenancy.js';
import { displayName, type Diagnostic, type ManifestObject } from './types.js';

/** What one file declares: valid objects and every problem found in it. */
export interface FileManifests {
  readonly file: string;
  readonly objects: readonly ManifestObject[];
  readonly diagnostics: readonly Diagnostic[];
}

/** The validated desired objects of a revision, or the reasons it cannot be applied. */
export interface LoadedManifests {
  readonly objects: readonly ManifestObject[];
  readonly diagnostics: readonly Diagnostic[];
}

/** How files are read: the tenancy rule (undefined turns it off) and the size limits (unset fields: defaults). */
export interface LoadOptions {
  readonly tenancy?: TenancyRule;
  readonly limits?: Partial<ManifestLimits>;
  /** When given, the milliseconds spent validating documents are added to it (the rest of a load is parsing). */
  readonly timing?: { validateMs: number };
}

function refused(file: string, code: Diagnostic['code'], message: string, line = 1, column = 1): FileManifests {
  return { file, objects: [], diagnostics: [{ severity: 'error', code, file, line, column, message }] };
}

/** The first `max` diagnostics by place and one more that counts the rest (an error when any of the rest is). */
function capped(file: string, diagnostics: Diagnostic[], max: number): Diagnostic[] {
  if (diagnostics.length <= max) return diagnostics;
  const sorted = [...diagnostics].sort((a, b) => a.line - b.line || a.column - b.column);
  const rest = sorted.slice(max);
  const first = rest[0]!;
  const severity = rest.some((d) => d.severity === 'error') ? 'error' : 'warning';
  const message = `${grouped(rest.length)} more problems in this file from here on are not listed (limit maxDiagnosticsPerFile)`;
  return [...sorted.slice(0, max), { severity, code: 'LimitExceeded', file, line: first.line, column: first.column, message }];
}

/** A file refused before it is read: its size, known from an object header or a stat, is over `maxFileBytes`. */
export function oversizedFile(file: string, size: number, options: LoadOptions = {}): FileManifests {
  return refused(file, 'LimitExceeded', fileSizeProblem(size, manifestLimits(options.limits)) ?? `file is ${grouped(size)} bytes: not read`);
}

/**
 * The first `max` diagnostics of a revision and one more that counts the rest (an error when any
 * of the rest is): many files each within their own bound still make a flood.
 */
export function cappedPerRevision(diagnostics: readonly Diagnostic[], max: number): readonly Diagnostic[] {
  if (diagnostics.length <= max) return diagnostics;
  const rest = diagnostics.slice(max);
  const first = rest[0]!;
  const files = new Set(rest.map((d) => d.file)).size;
  const severity = rest.some((d) => d.severity === 'error') ? 'error' : 'warning';
  const message = `${grouped(rest.length)} more problems in ${grouped(files)} file(s) from here on are not listed (limit maxDiagnosticsPerRevision)`;
  return [...diagnostics.slice(0, max), { severity, code: 'LimitExceeded', file: first.file, line: first.line, column: first.column, message }];
}

/** Parses and validates one file. Pure: same bytes, path and options, same result; never throws for bad input. */
export function loadManifestFile(file: string, bytes: Uint8Array, registry: SchemaRegistry, options: LoadOptions = {}): FileManifests {
  if (isUnsafePath(file)) return refused(file, 'UnsafePath', 'path has empty, "." or ".." segments: not read');
  const noOnes = tenantRootProblem(file, options.tenancy);
  if (noOnes) return refused(file, 'TenancyViolation', noOnes);
  const limits = manifestLimits(options.limits);
  const tooBig = fileSizeProblem(bytes.length, limits);
  if (tooBig) return refused(file, 'LimitExceeded', tooBig);
  const decoded = decodeManifest(bytes);
  if ('problem' in decoded) return refused(file, 'InvalidEncoding', decoded.problem.message, decoded.problem.line, decoded.problem.column);
  const parsed = parseManifestFile(file, decoded.text, limits);
  const tenant = tenantOf(file, options.tenancy);
  const objects: ManifestObject[] = [];
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  for (const doc of parsed.documents) {
    let result: ReturnType<typeof validateDocument>;
    const started = options.timing ? performance.now() : 0;
    try {
      result = validateDocument(doc, registry, tenant ?? 'default');
      if (options.timing) options.timing.validateMs += performance.now() - started;
    } catch (err) {
      // A bug, not the author's mistake; still one diagnostic, so the other documents are read and the revision is not applied.
      const message = `pacific could not validate this document (${err instanceof Error ? err.message : String(err)}); please report it`;
      diagnostics.push({ severity: 'error', code: 'InternalError', file, line: doc.line, column: 1, message });
      continue;
    }
    diagnostics.push(...result.diagnostics);
    if (!result.object) continue;
    const violations = options.tenancy ? tenancyViolations(result.object, tenant, options.tenancy) : [];
    if (violations.length) diagnostics.push(...violations);
    else objects.push(tenant !== undefined && options.tenancy ? { ...result.object, tenant: true } : result.object);
  }
  return { file, objects, diagnostics: capped(file, diagnostics, limits.maxDiagnosticsPerFile) };
}

/** One error per place an object is declared more than once, each naming all the places. */
export function duplicateDiagnostics(declared: readonly ManifestObject[]): Diagnostic[] {
  const places = declared.map((o) => `${o.source.file}:${o.source.line}`);
  return declared.map((o) => ({
    severity: 'error',
    code: 'DuplicateObject',
    file: o.source.file,
    line: o.source.line,
    column: 1,
    object: displayName(o.kind, o.namespace, o.name),
    path: 'metadata.name',
    message: `the same object is declared ${declared.length} times: ${places.join(', ')}`,
  }));
}

/** Joins per-file results into one revision: reports objects declared more than once, naming every place. */
export function assembleManifests(files: readonly FileManifests[]): LoadedManifests {
  const byKey = new Map<string, ManifestObject[]>();
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    diagnostics.push(...file.diagnostics);
    for (const object of file.objects) {
      const same = byKey.get(object.key);
      if (same) same.push(object);
      else byKey.set(object.key, [object]);
    }
  }
  const objects: ManifestObject[] = [];
  for (const declared of byKey.values()) {
    if (declared.length === 1) {
      objects.push(declared[0]!);
      continue;
    }
    diagnostics.push(...duplicateDiagnostics(declared));
  }
  diagnostics.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return { objects, diagnostics };
}

/** True when a revision may be applied: no error-level diagnostics. */
export function isApplicable(loaded: LoadedManifests): boolean {
  return !loaded.diagnostics.some((d) => d.severity === 'error');
}
