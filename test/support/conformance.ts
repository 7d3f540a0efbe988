/**
 * The real-world corpus in `../shared/conformance` (CRDs and samples we did not write). Tests read it
 * when it exists and skip with a visible message when it does not; it is never copied into the project.
 * Also the helpers that hold pacific's schemas to the corpus CRDs: strict CRD registries, schema shapes,
 * and each corpus document with both verdicts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expect } from 'vitest';
import { loadManifestFile } from '../../daemon/manifests/load.js';
import { parseManifestFile } from '../../daemon/manifests/parse.js';
import { SchemaRegistry } from '../../daemon/manifests/schema-registry.js';
import { formatDiagnostic, splitApiVersion, type Diagnostic } from '../../daemon/manifests/types.js';
import { packageRoot } from '../../daemon/base/paths.js';

export const conformanceDir = resolve(process.env['PACIFIC_CONFORMANCE_DIR'] ?? join(packageRoot, '..', 'shared', 'conformance'));
export const hasConformance = existsSync(join(conformanceDir, 'samples'));

if (!hasConformance) {
  console.warn(`\n[pacific] conformance corpus not found at ${conformanceDir}: conformance tests are SKIPPED\n`);
}

/** Every file below `samples/<sub>` (templated files excluded), as paths relative to `samples/`. */
export function conformanceSamples(sub: string): string[] {
  const root = join(conformanceDir, 'samples');
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        if (entry !== 'templated') walk(path);
      } else if (/\.ya?ml$/.test(entry)) out.push(relative(root, path));
    }
  };
  if (hasConformance && existsSync(join(root, sub))) walk(join(root, sub));
  return out.sort();
}

type SchemaNode = Record<string, unknown>;

/** One served version of a CRD: its schema and where it belongs. */
export interface CrdSchema {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly schema: SchemaNode;
}

/** A CRD schema as `kubectl --validate=strict` applies it: objects with declared properties are closed. */
export function strict(node: SchemaNode): SchemaNode {
  const out: SchemaNode = { ...node };
  const sub = (v: unknown) => (v && typeof v === 'object' ? strict(v as SchemaNode) : v);
  if (node['properties']) out['properties'] = Object.fromEntries(Object.entries(node['properties'] as Record<string, SchemaNode>).map(([k, v]) => [k, strict(v)]));
  if (node['items']) out['items'] = sub(node['items']);
  if (node['additionalProperties']) out['additionalProperties'] = sub(node['additionalProperties']);
  for (const k of ['anyOf', 'allOf', 'oneOf']) if (Array.isArray(node[k])) out[k] = (node[k] as SchemaNode[]).map(strict);
  if (out['properties'] && !out['x-kubernetes-preserve-unknown-fields'] && out['additionalProperties'] === undefined) out['additionalProperties'] = false;
  return out;
}

/** A registry over corpus CRDs (strict), keyed like pacific's own, to cross-check verdicts with the same loader. */
export function crdRegistry(crds: readonly CrdSchema[], idSuffix = ''): SchemaRegistry {
  return SchemaRegistry.fromSchemas(
    crds.map((c) => ({
      ...strict(c.schema),
      $id: `https://conformance.test/crd/${c.group}/${c.version}/${c.kind}${idSuffix}.json`,
      'x-pacific-kind': { group: c.group, version: c.version, kind: c.kind, namespaced: c.namespaced },
    })),
  );
}

/** One line per schema node: its type and every constraint that decides validity or fills a value (no descriptions or int formats). */
export function describeNode(node: SchemaNode): string {
  const intOrString = node['x-kubernetes-int-or-string'] === true;
  const quantity = intOrString && (node['format'] === 'quantity' || String(node['pattern'] ?? '').includes('[KMGTPE]i'));
  const parts = [`type=${quantity ? 'quantity' : intOrString ? 'int-or-string' : String(node['type'] ?? 'any')}`];
  if (node['x-kubernetes-preserve-unknown-fields']) parts.push('preserve-unknown');
  if (node['additionalProperties'] === false) parts.push('closed');
  for (const k of ['minimum', 'maximum', 'minItems', 'maxItems', 'minLength', 'maxLength', 'minProperties', 'maxProperties']) if (node[k] !== undefined) parts.push(`${k}=${String(node[k])}`);
  if (node['pattern'] !== undefined && !quantity) parts.push(`pattern=${String(node['pattern'])}`);
  if (typeof node['format'] === 'string' && !['int32', 'int64', 'quantity'].includes(node['format'])) parts.push(`format=${node['format']}`);
  if (Array.isArray(node['enum'])) parts.push(`enum=${[...(node['enum'] as string[])].sort().join('|')}`);
  if (Array.isArray(node['required'])) parts.push(`required=${[...(node['required'] as string[])].sort().join(',')}`);
  if (node['x-kubernetes-list-type'] && node['x-kubernetes-list-type'] !== 'atomic') parts.push(`list=${String(node['x-kubernetes-list-type'])}`);
  if (Array.isArray(node['x-kubernetes-list-map-keys'])) parts.push(`keys=${(node['x-kubernetes-list-map-keys'] as string[]).join(',')}`);
  if (node['default'] !== undefined) parts.push(`default=${JSON.stringify(node['default'])}`);
  const cel = node['x-kubernetes-validations'] as { rule: string; message?: string }[] | undefined;
  if (cel) parts.push(`cel=${JSON.stringify(cel.map((r) => ({ rule: r.rule, message: r.message })))}`);
  return parts.join(' ');
}

/** Every node of a schema by path (`spec.a[].b{}`), described by `describeNode`. */
export function shape(node: SchemaNode, path: string, out = new Map<string, string>()): Map<string, string> {
  out.set(path, describeNode(node));
  for (const [name, child] of Object.entries((node['properties'] ?? {}) as Record<string, SchemaNode>)) shape(child, `${path}.${name}`, out);
  if (node['items'] && typeof node['items'] === 'object') shape(node['items'] as SchemaNode, `${path}[]`, out);
  if (node['additionalProperties'] && typeof node['additionalProperties'] === 'object') shape(node['additionalProperties'] as SchemaNode, `${path}{}`, out);
  return out;
}

/** The paths where two shapes differ, each with both descriptions. */
export function shapeDifferences(ours: Map<string, string>, crd: Map<string, string>): string[] {
  const paths = [...new Set([...ours.keys(), ...crd.keys()])].sort();
  return paths.filter((p) => ours.get(p) !== crd.get(p)).map((p) => `${p}\n    ours: ${ours.get(p) ?? '(absent)'}\n    crd:  ${crd.get(p) ?? '(absent)'}`);
}

export const errorsOf = (ds: readonly Diagnostic[]): Diagnostic[] => ds.filter((d) => d.severity === 'error');

/** One document of a corpus file with the diagnostics pacific's schemas and the CRDs give it. */
export interface CorpusDocument {
  readonly sample: string;
  readonly line: number;
  /** The line of `apiVersion:`, where an unsupported kind is reported. */
  readonly apiVersionLine: number;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly value: SchemaNode;
  readonly diagnostics: readonly Diagnostic[];
  readonly crdDiagnostics: readonly Diagnostic[];
}

/** Each document of a corpus file with the diagnostics that fall inside it (documents are split by line). */
export function corpusDocuments(sample: string, ours: SchemaRegistry, crd: SchemaRegistry): CorpusDocument[] {
  const bytes = readFileSync(join(conformanceDir, 'samples', sample));
  const { documents, diagnostics: syntax } = parseManifestFile(sample, new TextDecoder().decode(bytes));
  expect(syntax.map(formatDiagnostic), `YAML syntax in ${sample}`).toEqual([]);
  const loaded = loadManifestFile(sample, bytes, ours).diagnostics;
  const crdLoaded = loadManifestFile(sample, bytes, crd).diagnostics;
  return documents.map((doc, i) => {
    const end = documents[i + 1]?.firstLine ?? Number.POSITIVE_INFINITY;
    const inside = (d: Diagnostic) => d.line >= doc.firstLine && d.line < end;
    const value = (doc.value && typeof doc.value === 'object' && !Array.isArray(doc.value) ? doc.value : {}) as SchemaNode;
    const { group, version } = splitApiVersion(String(value['apiVersion'] ?? ''));
    const apiVersionAt = doc.text.split('\n').findIndex((l) => /^\s*apiVersion:/.test(l));
    return {
      sample,
      line: doc.line,
      apiVersionLine: doc.firstLine + apiVersionAt,
      group,
      version,
      kind: String(value['kind'] ?? ''),
      value,
      diagnostics: loaded.filter(inside),
      crdDiagnostics: crdLoaded.filter(inside),
    };
  });
}
