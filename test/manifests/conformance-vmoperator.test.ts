/**
 * Holds pacific's own vm-operator schemas (every kind and version of `vmOperatorSchemaKinds`, served
 * or not yet) to the vm-operator corpus: every sample gets the verdict `../shared/conformance/EXPECTED.md`
 * gives it, naming the fields it names; the upstream CRD (read at test time, never copied) agrees with
 * every verdict; and the definitions have the CRD's structure field for field (defaults and CEL rules
 * included), so parts no sample exercises are covered too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { vmOperatorSchemaKinds } from '../../daemon/manifests/definitions/vmoperator/index.js';
import { documentSchema } from '../../daemon/manifests/definitions/dsl/kind.js';
import { loadManifestFile } from '../../daemon/manifests/load.js';
import { SchemaRegistry } from '../../daemon/manifests/schema-registry.js';
import { formatDiagnostic } from '../../daemon/manifests/types.js';
import { conformanceDir, conformanceSamples, corpusDocuments, crdRegistry, errorsOf, hasConformance, shape, shapeDifferences, strict, type CorpusDocument } from '../support/conformance.js';

type Node = Record<string, unknown>;

const GROUP = 'vmoperator.vmware.com';
const defined = new Map(vmOperatorSchemaKinds.map((d) => [`${d.kind}/${d.version}`, d]));
const definedKinds = [...new Set(vmOperatorSchemaKinds.map((d) => d.kind))];

interface ExpectedRejection {
  label: string;
  sample: RegExp;
  documents: number;
  /** Exactly the fields the error diagnostics name, strict unknown fields included. */
  paths: readonly string[];
  why: string;
}

/** EXPECTED.md's invalid vm-operator documents (strict: unknown fields rejected), with the fields a diagnostic must name. */
const EXPECTED_REJECTIONS: readonly ExpectedRejection[] = [
  {
    label: 'docs/v1alpha2..v1alpha6/*vm-service__block00.yaml',
    sample: /^vm-operator\/docs\/v1alpha[2-6]\/.*vm-service__block00\.yaml$/,
    documents: 5,
    paths: ['spec.ports[0].name', 'spec.type'],
    why: 'ports[].name missing, and no type',
  },
  {
    label: 'docs/v1alpha2..v1alpha6/*vm-service__block01.yaml',
    sample: /^vm-operator\/docs\/v1alpha[2-6]\/.*vm-service__block01\.yaml$/,
    documents: 5,
    paths: ['spec.ports[0].name'],
    why: 'ports[].name missing',
  },
  {
    label: 'docs/v1alpha4..v1alpha6/*guest-net-config__block06.yaml',
    sample: /^vm-operator\/docs\/v1alpha[456]\/.*guest-net-config__block06\.yaml$/,
    documents: 3,
    paths: ['spec.bootstrap.sysprep.sysprep.userData', 'spec.bootstrap.sysprep.sysprep.identification.joinDomain'],
    why: 'inline Sysprep requires userData, which is absent (strict: joinDomain left v1alpha3+ for spec.network.domainName)',
  },
  {
    label: 'docs/v1alpha6/*workloads-guest__block00.yaml',
    sample: /^vm-operator\/docs\/v1alpha6\/.*workloads-guest__block00\.yaml$/,
    documents: 1,
    paths: ['spec.bootstrap.cloudInit.cloudConfig.users[0].groups'],
    why: 'cloud-init users[].groups is a string where an array is wanted',
  },
  {
    label: 'api-testdata/v1alpha2/vm-with-sysprep.yaml',
    sample: /^vm-operator\/api-testdata\/v1alpha2\/vm-with-sysprep\.yaml$/,
    documents: 1,
    paths: ['spec.bootstrap.sysprep.sysprep.guiUnattended.timeZone'],
    why: 'a placeholder string where timeZone must be an integer',
  },
  {
    label: 'api-testdata/v1alpha3/vm-with-sysprep.yaml',
    sample: /^vm-operator\/api-testdata\/v1alpha3\/vm-with-sysprep\.yaml$/,
    documents: 1,
    paths: ['spec.bootstrap.sysprep.sysprep.guiUnattended.timeZone', 'spec.network.domainName'],
    why: 'a placeholder string where timeZone must be an integer (strict: written as v1alpha2, which lacks domainName)',
  },
  {
    label: 'config-samples/vmoperator_v1alpha1_virtualmachine.yaml',
    sample: /^vm-operator\/config-samples\/vmoperator_v1alpha1_virtualmachine\.yaml$/,
    documents: 1,
    paths: ['spec.className', 'spec.imageName', 'spec.foo'],
    why: 'scaffold `spec: {foo: bar}`: className and imageName missing, foo unknown',
  },
  {
    label: 'config-samples/vmoperator_v1alpha1_virtualmachineimage.yaml',
    sample: /^vm-operator\/config-samples\/vmoperator_v1alpha1_virtualmachineimage\.yaml$/,
    documents: 1,
    paths: ['spec.imageID', 'spec.providerRef', 'spec.type', 'spec.foo'],
    why: 'scaffold `spec: {foo: bar}`: imageID, providerRef and type missing, foo unknown',
  },
  {
    label: 'config-samples/vmoperator_v1alpha1_virtualmachineservice.yaml',
    sample: /^vm-operator\/config-samples\/vmoperator_v1alpha1_virtualmachineservice\.yaml$/,
    documents: 1,
    paths: ['spec.type', 'spec.foo'],
    why: 'scaffold `spec: {foo: bar}`: type missing, foo unknown',
  },
  {
    label: 'config-samples/vmoperator_v1alpha1_{virtualmachineclass,virtualmachinesetresourcepolicy}.yaml (strict)',
    sample: /^vm-operator\/config-samples\/vmoperator_v1alpha1_(virtualmachineclass|virtualmachinesetresourcepolicy)\.yaml$/,
    documents: 2,
    paths: ['spec.foo'],
    why: 'scaffold `spec: {foo: bar}`: foo is an unknown field',
  },
  {
    label: 'docs/v1alpha4/*workloads-vm__block24.yaml (vm placement, strict)',
    sample: /^vm-operator\/docs\/v1alpha4\/.*workloads-vm__block24\.yaml$/,
    documents: 1,
    paths: ['spec.affinity.vmAffinity.requiredDuringSchedulingIgnoredDuringExecution'],
    why: 'a vmAffinity field name the v1alpha4 schema lacks',
  },
  {
    // EXPECTED.md counts two `spec:` documents that hold only a comment; the corpus has three (these
    // two and tanzu-framework's TKR v1alpha3). The API server refuses a null object in each.
    label: 'docs/v1alpha5,v1alpha6/*workloads-vm-placement__block03.yaml (strict: null spec)',
    sample: /^vm-operator\/docs\/v1alpha[56]\/.*workloads-vm-placement__block03\.yaml$/,
    documents: 2,
    paths: ['spec'],
    why: 'spec: holds only a comment (null)',
  },
];

interface DocumentVerdict extends CorpusDocument {
  readonly checked: boolean;
}

const where = (v: DocumentVerdict) => `${v.sample}:${v.line} ${v.kind} ${v.version}`;
const expectedRejection = (v: DocumentVerdict) => EXPECTED_REJECTIONS.find((r) => r.sample.test(v.sample));

/** Each document of a file, checked when it is a kind and version pacific defines. */
function documentVerdicts(sample: string, ours: SchemaRegistry, crd: SchemaRegistry): DocumentVerdict[] {
  return corpusDocuments(sample, ours, crd).map((doc) => ({ ...doc, checked: doc.group === GROUP && defined.has(`${doc.kind}/${doc.version}`) }));
}

interface CrdVersion {
  name: string;
  served: boolean;
  schema: { openAPIV3Schema: Node };
}
interface Crd {
  spec: { scope: 'Namespaced' | 'Cluster'; names: { kind: string }; versions: CrdVersion[] };
}

/** The vm-operator CRDs of the corpus (external, vendored CRDs aside), by kind. */
function corpusCrds(): Map<string, Crd> {
  const dir = join(conformanceDir, 'crds', 'vm-operator');
  const crds = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => yaml.load(readFileSync(join(dir, f), 'utf8')) as Crd);
  return new Map(crds.map((c) => [c.spec.names.kind, c]));
}

/** A registry over the corpus CRDs, for the kinds and versions we define. */
function crdRegistryOf(crds: Map<string, Crd>): SchemaRegistry {
  return crdRegistry(
    vmOperatorSchemaKinds.map((def) => {
      const crd = crds.get(def.kind)!;
      const v = crd.spec.versions.find((x) => x.name === def.version)!;
      return { group: GROUP, version: v.name, kind: def.kind, namespaced: crd.spec.scope === 'Namespaced', schema: v.schema.openAPIV3Schema };
    }),
  );
}

/** A schema with its CEL rules removed (to measure what evaluating them costs). */
function withoutCelRules(node: Node): Node {
  if (Array.isArray(node)) return node.map((v) => (v && typeof v === 'object' ? withoutCelRules(v as Node) : v)) as unknown as Node;
  const out: Node = {};
  for (const [k, v] of Object.entries(node)) if (k !== 'x-kubernetes-validations') out[k] = v && typeof v === 'object' ? withoutCelRules(v as Node) : v;
  return out;
}

describe.skipIf(!hasConformance)('vm-operator conformance: every kind and version pacific defines', () => {
  const crds = hasConformance ? corpusCrds() : new Map<string, Crd>();
  let verdicts: DocumentVerdict[] = [];
  let checked: DocumentVerdict[] = [];
  const ours = SchemaRegistry.fromSchemas(vmOperatorSchemaKinds.map(documentSchema));

  beforeAll(() => {
    const crd = crdRegistryOf(crds);
    verdicts = conformanceSamples('vm-operator').flatMap((sample) => documentVerdicts(sample, ours, crd));
    checked = verdicts.filter((v) => v.checked);
    const rejected = checked.filter((v) => errorsOf(v.diagnostics).length > 0);
    const perKind = [...new Set(checked.map((v) => v.kind))]
      .sort()
      .map((kind) => {
        const of = checked.filter((v) => v.kind === kind);
        return `${kind} ${of.length} (${of.filter((v) => errorsOf(v.diagnostics).length > 0).length} rejected)`;
      });
    const perRow = EXPECTED_REJECTIONS.map((r) => `${r.label}: ${rejected.filter((v) => r.sample.test(v.sample)).length}/${r.documents} rejected`);
    console.log(
      `[pacific] vm-operator conformance: ${checked.length} documents of ${vmOperatorSchemaKinds.length} defined kind/versions checked, ` +
        `${checked.length - rejected.length} accepted, ${rejected.length} rejected; ${verdicts.length - checked.length} other documents ` +
        `(${verdicts.length} documents in ${new Set(verdicts.map((v) => v.sample)).size} files)\n  ${perKind.join('\n  ')}\n  ${perRow.join('\n  ')}`,
    );
  });

  it('evaluates every CEL rule of the vm-operator schemas but the one transition rule, which it lists as skipped', () => {
    const rules = ours.celRules();
    const skipped = ours.skippedCelRules().map((r) => `${r.kind} ${r.version} ${r.path}: ${r.reason}`);
    expect(skipped).toEqual(['VirtualMachineService v1alpha6 spec: transition rule: reads oldSelf, the previous object, which a manifest does not have']);
    expect(ours.celEvaluations()).toBeGreaterThan(0);
    // Cost: the same documents validated by the same schemas without their CEL rules.
    const samples = conformanceSamples('vm-operator').map((sample) => ({ sample, bytes: readFileSync(join(conformanceDir, 'samples', sample)) }));
    const withoutCel = SchemaRegistry.fromSchemas(vmOperatorSchemaKinds.map((d) => withoutCelRules(documentSchema(d))));
    const pass = (registry: SchemaRegistry) => {
      const start = performance.now();
      for (const { sample, bytes } of samples) loadManifestFile(sample, bytes, registry);
      return performance.now() - start;
    };
    const before = ours.celEvaluations();
    pass(withoutCel); // compiles its validators; ours were compiled by beforeAll
    // Interleaved passes, fastest of each: the machine is shared, so single timings are noisy.
    let celMs = Infinity;
    let plainMs = Infinity;
    for (let round = 0; round < 8; round++) {
      plainMs = Math.min(plainMs, pass(withoutCel));
      celMs = Math.min(celMs, pass(ours));
    }
    console.log(
      `[pacific] CEL on vm-operator: ${rules.length} rules (${rules.length - skipped.length} evaluated, ${skipped.length} skipped); ` +
        `${(ours.celEvaluations() - before) / 8} evaluations per pass over ${samples.length} files; ` +
        `a pass takes ${celMs.toFixed(1)} ms with CEL, ${plainMs.toFixed(1)} ms without`,
    );
  });

  it('finds documents of every defined kind to check', () => {
    expect(checked.length).toBeGreaterThan(0);
    const sampled = new Set(checked.map((v) => v.kind));
    // Kinds the corpus has no concrete sample of are still covered by the structure comparison below.
    expect(definedKinds.filter((k) => !sampled.has(k)).sort()).toEqual(['ClusterVirtualMachineImage', 'VirtualMachineGroupPublishRequest']);
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
      const named = [...new Set(errors.map((d) => d.path ?? '-'))].sort();
      expect(named, `${where(v)}: ${errors.map(formatDiagnostic).join(' | ') || 'accepted'}`).toEqual([...row.paths].sort());
    }
  });

  it('reports documents of kinds and versions it does not define as unsupported, and only that', () => {
    const others = verdicts.filter((v) => !v.checked);
    const unexpected = others.flatMap((v) =>
      v.diagnostics.length === 1 && v.diagnostics[0]!.code === 'UnsupportedKind' ? [] : [`${where(v)}: ${v.diagnostics.map(formatDiagnostic).join(' | ') || 'no diagnostic'}`],
    );
    expect(unexpected).toEqual([]);
    const undefinedVmOperatorKinds = [...new Set(others.filter((v) => v.diagnostics[0]?.message.includes(`"${GROUP}/`)).map((v) => `${v.kind} ${v.version}`))].sort();
    expect(undefinedVmOperatorKinds).toEqual([
      'ContentLibraryProvider v1alpha1',
      'ContentSource v1alpha1',
      'VirtualMachineWebConsoleRequest v1alpha4',
      'VirtualMachineWebConsoleRequest v1alpha5',
      'VirtualMachineWebConsoleRequest v1alpha6',
    ]);
  });

  it('agrees with the corpus CRD (strict, CEL evaluated) on every verdict', () => {
    const disagreements = checked
      .filter((v) => errorsOf(v.diagnostics).length > 0 !== errorsOf(v.crdDiagnostics).length > 0)
      .map((v) => `${where(v)}\n  ours: ${errorsOf(v.diagnostics).map(formatDiagnostic).join(' | ') || 'accepted'}\n  crd:  ${errorsOf(v.crdDiagnostics).map(formatDiagnostic).join(' | ') || 'accepted'}`);
    expect(disagreements).toEqual([]);
  });

  it.each(definedKinds)('defines %s at every version its CRD serves, with the CRD scope', (kind) => {
    const crd = crds.get(kind)!;
    const ours = vmOperatorSchemaKinds.filter((d) => d.kind === kind);
    expect(ours.map((d) => d.version)).toEqual(crd.spec.versions.filter((v) => v.served).map((v) => v.name));
    for (const d of ours) expect(d.namespaced, `${kind} ${d.version}`).toBe(crd.spec.scope === 'Namespaced');
  });

  it.each(vmOperatorSchemaKinds.map((d) => ({ kind: d.kind, version: d.version })))(
    '$kind $version has the CRD spec structure, field for field',
    ({ kind, version }) => {
      const ours = documentSchema(defined.get(`${kind}/${version}`)!);
      const crd = crds.get(kind)!.spec.versions.find((v) => v.name === version)!.schema.openAPIV3Schema;
      const ourProps = ours['properties'] as Record<string, Node>;
      const crdProps = crd['properties'] as Record<string, Node>;
      // Top-level fields besides type meta, metadata and status (which the API server keeps apart).
      const fields = (props: Record<string, Node>) => Object.keys(props).filter((f) => !['apiVersion', 'kind', 'metadata', 'status'].includes(f)).sort();
      expect(fields(ourProps)).toEqual(fields(crdProps));
      expect(shapeDifferences(shape(ourProps['spec']!, 'spec'), shape(strict(crdProps['spec']!), 'spec'))).toEqual([]);
      expect((ours['required'] as string[]).filter((f) => !['apiVersion', 'kind', 'metadata'].includes(f))).toEqual((crd['required'] as string[] | undefined) ?? []);
    },
  );
});
