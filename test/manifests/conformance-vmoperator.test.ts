/**
 * Holds pacific's own VirtualMachine and VirtualMachineClass schemas (v1alpha2..v1alpha6) to the
 * vm-operator corpus: every sample gets the verdict `../shared/conformance/EXPECTED.md` gives it, the
 * upstream CRD (read at test time, never copied) agrees with every verdict, and the definitions have
 * the CRD's structure field for field, so parts no sample exercises are covered too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderSchemas } from '../../daemon/manifests/definitions/generate.js';
import { loadManifestFile } from '../../daemon/manifests/load.js';
import { parseManifestFile } from '../../daemon/manifests/parse.js';
import { SchemaRegistry } from '../../daemon/manifests/schema-registry.js';
import { formatDiagnostic, splitApiVersion, type Diagnostic } from '../../daemon/manifests/types.js';
import { conformanceDir, conformanceSamples, hasConformance } from '../support/conformance.js';

type Node = Record<string, unknown>;

const GROUP = 'vmoperator.vmware.com';
const VERSIONS = ['v1alpha2', 'v1alpha3', 'v1alpha4', 'v1alpha5', 'v1alpha6'];
const CRD_FILES: Record<string, string> = {
  VirtualMachine: 'vmoperator.vmware.com_virtualmachines.yaml',
  VirtualMachineClass: 'vmoperator.vmware.com_virtualmachineclasses.yaml',
};

/** EXPECTED.md's invalid vm-operator documents of these kinds/versions: which samples, and the field a diagnostic must name. */
const EXPECTED_REJECTIONS: readonly { label: string; sample: RegExp; documents: number; path: string; why: string }[] = [
  {
    label: 'docs/v1alpha4..v1alpha6/*guest-net-config__block06.yaml',
    sample: /^vm-operator\/docs\/v1alpha[456]\/.*guest-net-config__block06\.yaml$/,
    documents: 3,
    path: 'spec.bootstrap.sysprep.sysprep.userData',
    why: 'inline Sysprep requires userData, which is absent',
  },
  {
    label: 'docs/v1alpha6/*workloads-guest__block00.yaml',
    sample: /^vm-operator\/docs\/v1alpha6\/.*workloads-guest__block00\.yaml$/,
    documents: 1,
    path: 'spec.bootstrap.cloudInit.cloudConfig.users[0].groups',
    why: 'cloud-init users[].groups is a string where an array is wanted',
  },
  {
    label: 'api-testdata/{v1alpha2,v1alpha3}/vm-with-sysprep.yaml',
    sample: /^vm-operator\/api-testdata\/v1alpha[23]\/vm-with-sysprep\.yaml$/,
    documents: 2,
    path: 'guiUnattended.timeZone',
    why: 'a placeholder string where timeZone must be an integer',
  },
  {
    label: 'docs/v1alpha4/*workloads-vm__block24.yaml (vm placement)',
    sample: /^vm-operator\/docs\/v1alpha4\/.*workloads-vm__block24\.yaml$/,
    documents: 1,
    path: 'spec.affinity.vmAffinity.requiredDuringSchedulingIgnoredDuringExecution',
    why: 'a vmAffinity field name the v1alpha4 schema lacks (unknown field, strict)',
  },
];

interface DocumentVerdict {
  readonly sample: string;
  readonly line: number;
  readonly kind: string;
  readonly version: string;
  readonly checked: boolean;
  readonly diagnostics: readonly Diagnostic[];
  readonly crdDiagnostics: readonly Diagnostic[];
}

const errorsOf = (ds: readonly Diagnostic[]) => ds.filter((d) => d.severity === 'error');
const where = (v: DocumentVerdict) => `${v.sample}:${v.line} ${v.kind} ${v.version}`;
const expectedRejection = (v: DocumentVerdict) => EXPECTED_REJECTIONS.find((r) => r.sample.test(v.sample));

/** Each document of a file with the diagnostics that fall inside it (documents are split by line). */
function documentVerdicts(sample: string, ours: SchemaRegistry, crd: SchemaRegistry): DocumentVerdict[] {
  const bytes = readFileSync(join(conformanceDir, 'samples', sample));
  const { documents, diagnostics: syntax } = parseManifestFile(sample, new TextDecoder().decode(bytes));
  expect(syntax.map(formatDiagnostic), `YAML syntax in ${sample}`).toEqual([]);
  const loaded = loadManifestFile(sample, bytes, ours).diagnostics;
  const crdLoaded = loadManifestFile(sample, bytes, crd).diagnostics;
  return documents.map((doc, i) => {
    const end = documents[i + 1]?.firstLine ?? Number.POSITIVE_INFINITY;
    const inside = (d: Diagnostic) => d.line >= doc.firstLine && d.line < end;
    const value = (doc.value ?? {}) as Record<string, unknown>;
    const { group, version } = splitApiVersion(String(value['apiVersion'] ?? ''));
    const kind = String(value['kind'] ?? '');
    return {
      sample,
      line: doc.line,
      kind,
      version,
      checked: group === GROUP && VERSIONS.includes(version) && kind in CRD_FILES,
      diagnostics: loaded.filter(inside),
      crdDiagnostics: crdLoaded.filter(inside),
    };
  });
}

interface CrdVersion {
  name: string;
  schema: { openAPIV3Schema: Node };
}

function crdVersions(kind: string): CrdVersion[] {
  const crd = yaml.load(readFileSync(join(conformanceDir, 'crds', 'vm-operator', CRD_FILES[kind]!), 'utf8')) as { spec: { versions: CrdVersion[] } };
  return crd.spec.versions.filter((v) => VERSIONS.includes(v.name));
}

/** The CRD schema as `kubectl --validate=strict` applies it: objects with declared properties are closed. */
function strict(node: Node): Node {
  const out: Node = { ...node };
  const sub = (v: unknown) => (v && typeof v === 'object' ? strict(v as Node) : v);
  if (node['properties']) out['properties'] = Object.fromEntries(Object.entries(node['properties'] as Record<string, Node>).map(([k, v]) => [k, strict(v)]));
  if (node['items']) out['items'] = sub(node['items']);
  if (node['additionalProperties']) out['additionalProperties'] = sub(node['additionalProperties']);
  for (const k of ['anyOf', 'allOf', 'oneOf']) if (Array.isArray(node[k])) out[k] = (node[k] as Node[]).map(strict);
  if (out['properties'] && !out['x-kubernetes-preserve-unknown-fields'] && out['additionalProperties'] === undefined) out['additionalProperties'] = false;
  return out;
}

/** A registry over the corpus CRDs, keyed like ours, to cross-check verdicts with the same loader. */
function crdRegistry(): SchemaRegistry {
  return SchemaRegistry.fromSchemas(
    Object.keys(CRD_FILES).flatMap((kind) =>
      crdVersions(kind).map((v) => ({
        ...strict(v.schema.openAPIV3Schema),
        $id: `https://conformance.test/crd/${v.name}/${kind}.json`,
        'x-pacific-kind': { group: GROUP, version: v.name, kind, namespaced: true },
      })),
    ),
  );
}

/** One line per schema node: its type and every constraint that decides validity (no descriptions, defaults or int formats). */
function describeNode(node: Node): string {
  const intOrString = node['x-kubernetes-int-or-string'] === true;
  const quantity = intOrString && (node['format'] === 'quantity' || String(node['pattern'] ?? '').includes('[KMGTPE]i'));
  const parts = [`type=${quantity ? 'quantity' : intOrString ? 'int-or-string' : String(node['type'] ?? 'any')}`];
  if (node['x-kubernetes-preserve-unknown-fields']) parts.push('preserve-unknown');
  for (const k of ['minimum', 'maximum', 'minItems', 'maxItems', 'minLength', 'maxLength']) if (node[k] !== undefined) parts.push(`${k}=${String(node[k])}`);
  if (node['pattern'] !== undefined && !quantity) parts.push(`pattern=${String(node['pattern'])}`);
  if (typeof node['format'] === 'string' && !['int32', 'int64', 'quantity'].includes(node['format'])) parts.push(`format=${node['format']}`);
  if (Array.isArray(node['enum'])) parts.push(`enum=${[...(node['enum'] as string[])].sort().join('|')}`);
  if (Array.isArray(node['required'])) parts.push(`required=${[...(node['required'] as string[])].sort().join(',')}`);
  if (node['x-kubernetes-list-type'] && node['x-kubernetes-list-type'] !== 'atomic') parts.push(`list=${String(node['x-kubernetes-list-type'])}`);
  if (Array.isArray(node['x-kubernetes-list-map-keys'])) parts.push(`keys=${(node['x-kubernetes-list-map-keys'] as string[]).join(',')}`);
  const cel = node['x-kubernetes-validations'] as { rule: string; message?: string }[] | undefined;
  if (cel) parts.push(`cel=${JSON.stringify(cel.map((r) => ({ rule: r.rule, message: r.message })))}`);
  return parts.join(' ');
}

function shape(node: Node, path: string, out: Map<string, string>): Map<string, string> {
  out.set(path, describeNode(node));
  for (const [name, child] of Object.entries((node['properties'] ?? {}) as Record<string, Node>)) shape(child, `${path}.${name}`, out);
  if (node['items'] && typeof node['items'] === 'object') shape(node['items'] as Node, `${path}[]`, out);
  if (node['additionalProperties'] && typeof node['additionalProperties'] === 'object') shape(node['additionalProperties'] as Node, `${path}{}`, out);
  return out;
}

function shapeDifferences(ours: Map<string, string>, crd: Map<string, string>): string[] {
  const paths = [...new Set([...ours.keys(), ...crd.keys()])].sort();
  return paths.filter((p) => ours.get(p) !== crd.get(p)).map((p) => `${p}\n    ours: ${ours.get(p) ?? '(absent)'}\n    crd:  ${crd.get(p) ?? '(absent)'}`);
}

describe.skipIf(!hasConformance)('vm-operator conformance: VirtualMachine and VirtualMachineClass v1alpha2..v1alpha6', () => {
  let verdicts: DocumentVerdict[] = [];
  let checked: DocumentVerdict[] = [];

  beforeAll(() => {
    const ours = SchemaRegistry.load();
    const crd = crdRegistry();
    verdicts = conformanceSamples('vm-operator').flatMap((sample) => documentVerdicts(sample, ours, crd));
    checked = verdicts.filter((v) => v.checked);
    const rejected = checked.filter((v) => errorsOf(v.diagnostics).length > 0).length;
    console.log(
      `[pacific] vm-operator conformance: ${checked.length} VirtualMachine/VirtualMachineClass documents checked, ` +
        `${checked.length - rejected} accepted, ${rejected} rejected (${verdicts.length} documents in ${new Set(verdicts.map((v) => v.sample)).size} files)`,
    );
  });

  it('finds documents to check', () => {
    expect(checked.length).toBeGreaterThan(0);
  });

  it('accepts every document EXPECTED.md calls valid, with no error diagnostics', () => {
    const wronglyRejected = checked
      .filter((v) => !expectedRejection(v) && errorsOf(v.diagnostics).length > 0)
      .map((v) => `${where(v)}\n  ${errorsOf(v.diagnostics).map(formatDiagnostic).join('\n  ')}`);
    expect(wronglyRejected).toEqual([]);
  });

  it.each(EXPECTED_REJECTIONS)('rejects $label: $why', (row) => {
    const matching = checked.filter((v) => row.sample.test(v.sample));
    expect(matching.map(where)).toHaveLength(row.documents);
    for (const v of matching) {
      const errors = errorsOf(v.diagnostics);
      expect(errors.some((d) => d.path?.includes(row.path)), `${where(v)}: ${errors.map(formatDiagnostic).join(' | ') || 'accepted'}`).toBe(true);
    }
  });

  it('reports other kinds and versions as unsupported at most, never crashing', () => {
    const unexpected = verdicts
      .filter((v) => !v.checked)
      .flatMap((v) => v.diagnostics.filter((d) => d.code !== 'UnsupportedKind').map((d) => `${where(v)}: ${formatDiagnostic(d)}`));
    expect(unexpected).toEqual([]);
  });

  it('agrees with the corpus CRD (strict) on every verdict', () => {
    const disagreements = checked
      .filter((v) => errorsOf(v.diagnostics).length > 0 !== errorsOf(v.crdDiagnostics).length > 0)
      .map((v) => `${where(v)}\n  ours: ${errorsOf(v.diagnostics).map(formatDiagnostic).join(' | ') || 'accepted'}\n  crd:  ${errorsOf(v.crdDiagnostics).map(formatDiagnostic).join(' | ') || 'accepted'}`);
    expect(disagreements).toEqual([]);
  });

  const rendered = [...renderSchemas().values()].map((s) => JSON.parse(s) as Node);
  it.each(Object.keys(CRD_FILES).flatMap((kind) => VERSIONS.map((version) => ({ kind, version }))))(
    '$kind $version has the CRD spec structure, field for field',
    ({ kind, version }) => {
      const ours = rendered.find((s) => {
        const k = s['x-pacific-kind'] as { group: string; version: string; kind: string };
        return k.group === GROUP && k.version === version && k.kind === kind;
      });
      const crd = crdVersions(kind).find((v) => v.name === version)!.schema.openAPIV3Schema;
      const ourSpec = (ours?.['properties'] as Record<string, Node>)['spec']!;
      const crdSpec = (crd['properties'] as Record<string, Node>)['spec']!;
      expect(shapeDifferences(shape(ourSpec, 'spec', new Map()), shape(strict(crdSpec), 'spec', new Map()))).toEqual([]);
      expect((ours?.['required'] as string[]).filter((f) => !['apiVersion', 'kind', 'metadata'].includes(f))).toEqual((crd['required'] as string[] | undefined) ?? []);
    },
  );
});
