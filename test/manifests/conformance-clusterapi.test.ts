/**
 * Holds pacific's own Cluster API, CAPV Supervisor and Tanzu definitions (`definitions/clusterapi`)
 * to the corpus: every concrete sample of cluster-api, cluster-api-provider-vsphere, tanzu-framework
 * and the vsphere-csi-driver TKC gets the verdict `../shared/conformance/EXPECTED.md` gives it, the
 * upstream CRDs (read at test time, never copied) agree with every verdict, and every defined
 * kind × version has its CRD's spec structure field for field, CEL rules and defaults included.
 * The kinds are not served yet, so registries are built in memory from the definitions.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { clusterApiSchemaKinds } from '../../daemon/manifests/definitions/clusterapi/index.js';
import { TKC_V1ALPHA3_ADDITIONS } from '../../daemon/manifests/definitions/clusterapi/tanzu-kubernetes-cluster.js';
import { POLICIES_IMMUTABLE } from '../../daemon/manifests/definitions/clusterapi/vsphere-machine.js';
import { servedKindDefinitions } from '../../daemon/manifests/definitions/index.js';
import { documentSchema, type KindDefinition } from '../../daemon/manifests/definitions/dsl/kind.js';
import { loadManifestFile } from '../../daemon/manifests/load.js';
import { SchemaRegistry } from '../../daemon/manifests/schema-registry.js';
import { formatDiagnostic, type Diagnostic } from '../../daemon/manifests/types.js';
import { conformanceDir, conformanceSamples, corpusDocuments, crdRegistry, errorsOf, hasConformance, shape, shapeDifferences, strict, type CorpusDocument, type CrdSchema } from '../support/conformance.js';

type Node = Record<string, unknown>;

/** The sample folders this test owns (the vsphere-csi-driver TKC is the only public v1alpha3 one). */
const PROJECTS = ['cluster-api', 'cluster-api-provider-vsphere', 'tanzu-framework', 'vsphere-csi-driver/tkc'];
/** The CRD folders whose kinds the definitions cover (the govmomi CAPV group included, to key by group). */
const CRD_DIRS = [
  'cluster-api',
  'cluster-api-provider-vsphere/supervisor',
  'cluster-api-provider-vsphere/govmomi',
  'tanzu-framework',
  'tanzu-framework/v1alpha1',
  'tanzu-framework/v1alpha2',
];

interface Rejection {
  label: string;
  sample: RegExp;
  kind: string;
  documents: number;
  /** Every one of these must be named by an error of each matching document. */
  fields: readonly RegExp[];
  why: string;
}

/** EXPECTED.md's invalid documents of these projects, and the fields a diagnostic must name. */
const EXPECTED_REJECTIONS: readonly Rejection[] = [
  {
    label: 'docs-book/*certs-auto-rotate*block00.yaml (v1beta1, v1beta2)',
    sample: /^cluster-api\/docs-book\/v1beta[12]\/.*certs-auto-rotate.*block00\.yaml$/,
    kind: 'KubeadmControlPlane',
    documents: 2,
    fields: [
      /^spec\.kubeadmConfigSpec\.clusterConfiguration$/,
      /^spec\.kubeadmConfigSpec\.initConfiguration$/,
      /^spec\.kubeadmConfigSpec\.joinConfiguration$/,
      /^spec\.machineTemplate\.(spec\.)?infrastructureRef$/,
    ],
    why: 'literal `...` placeholders where objects are wanted',
  },
  {
    label: 'docs-book/v1beta2/*write-clusterclass__block02.yaml (ClusterClass)',
    sample: /^cluster-api\/docs-book\/v1beta2\/.*write-clusterclass__block02\.yaml$/,
    kind: 'ClusterClass',
    documents: 1,
    fields: [/^spec\.controlPlane$/, /^spec\.infrastructure$/],
    why: 'abbreviated snippet: a v1beta2 ClusterClass requires controlPlane and infrastructure',
  },
  {
    label: 'docs-book/v1beta1/*write-clusterclass__block03.yaml (Cluster)',
    sample: /^cluster-api\/docs-book\/v1beta1\/.*write-clusterclass__block03\.yaml$/,
    kind: 'Cluster',
    documents: 1,
    fields: [/^spec\.topology\.class$/, /^spec\.topology\.version$/],
    why: 'abbreviated snippet: topology without class and version',
  },
  {
    label: 'docs-book/v1beta2/*write-clusterclass__block03.yaml (Cluster)',
    sample: /^cluster-api\/docs-book\/v1beta2\/.*write-clusterclass__block03\.yaml$/,
    kind: 'Cluster',
    documents: 1,
    fields: [/^spec\.topology\.classRef$/, /^spec\.topology\.version$/],
    why: 'abbreviated snippet: topology without classRef and version',
  },
  {
    label: 'docs-book/v1beta2/*operate-cluster__block00.yaml (ClusterClass)',
    sample: /^cluster-api\/docs-book\/v1beta2\/.*operate-cluster__block00\.yaml$/,
    kind: 'ClusterClass',
    documents: 1,
    fields: [/^spec\.controlPlane$/, /^spec\.infrastructure\.templateRef\.name$/],
    why: 'abbreviated snippet: no controlPlane, template reference without a name',
  },
  {
    label: 'docs-book/v1beta2/*workload-bootstrap-gitops__block00.yaml (Cluster)',
    sample: /^cluster-api\/docs-book\/v1beta2\/.*workload-bootstrap-gitops__block00\.yaml$/,
    kind: 'Cluster',
    documents: 1,
    fields: [/^spec$/],
    why: 'abbreviated snippet: a v1beta2 Cluster requires spec',
  },
  {
    label: 'docs-book/*kubeadm-bootstrap-index__block01.yaml (Machine v1beta1, v1beta2)',
    sample: /^cluster-api\/docs-book\/v1beta[12]\/.*kubeadm-bootstrap-index__block01\.yaml$/,
    kind: 'Machine',
    documents: 2,
    fields: [/^spec\.clusterName$/],
    why: 'abbreviated snippet: a Machine requires clusterName',
  },
  {
    label: 'docker-templates/v1beta1/clusterclass-in-memory.yaml (strict: null)',
    sample: /^cluster-api\/docker-templates\/v1beta1\/clusterclass-in-memory\.yaml$/,
    kind: 'ClusterClass',
    documents: 1,
    fields: [/^spec\.controlPlane\.metadata\.annotations$/],
    why: 'annotations: null, refused as the API server refuses a null object (nulls are dropped only in ObjectMeta)',
  },
  {
    label: 'tanzu-framework/run_v1alpha3_tanzukubernetesrelease.yaml (strict: null spec)',
    sample: /^tanzu-framework\/\/?run_v1alpha3_tanzukubernetesrelease\.yaml$/,
    kind: 'TanzuKubernetesRelease',
    documents: 1,
    fields: [/^spec$/],
    why: 'spec: holds only a comment (null)',
  },
  {
    label: 'docs-book/v1beta2/*using-kustomize__block02.yaml (MachineHealthCheck, strict)',
    sample: /^cluster-api\/docs-book\/v1beta2\/.*using-kustomize__block02\.yaml$/,
    kind: 'MachineHealthCheck',
    documents: 1,
    fields: [/^spec\.nodeStartupTimeout$/, /^spec\.unhealthyNodeConditions$/, /^spec\.unhealthyMachineConditions$/],
    why: 'a v1beta2 MachineHealthCheck written with v1beta1 field names (unknown fields)',
  },
];

/** Every served version of every corpus CRD in `CRD_DIRS` (old `apiextensions/v1beta1` CRDs share one schema). */
function crdVersions(): CrdSchema[] {
  const out: CrdSchema[] = [];
  for (const dir of CRD_DIRS) {
    for (const file of readdirSync(join(conformanceDir, 'crds', dir)).filter((f) => f.endsWith('.yaml'))) {
      const crd = yaml.load(readFileSync(join(conformanceDir, 'crds', dir, file), 'utf8')) as {
        spec: { group: string; scope: string; names: { kind: string }; validation?: { openAPIV3Schema: Node }; versions: { name: string; served: boolean; schema?: { openAPIV3Schema: Node } }[] };
      };
      for (const v of crd.spec.versions.filter((x) => x.served)) {
        const schema = v.schema?.openAPIV3Schema ?? crd.spec.validation?.openAPIV3Schema;
        if (schema) out.push({ group: crd.spec.group, version: v.name, kind: crd.spec.names.kind, namespaced: crd.spec.scope === 'Namespaced', schema });
      }
    }
  }
  return out;
}

const key = (k: { group: string; version: string; kind: string }) => `${k.group}/${k.version}/${k.kind}`;

interface DocumentVerdict extends CorpusDocument {
  readonly checked: boolean;
  readonly hasCrd: boolean;
}

const rejected = (v: DocumentVerdict) => errorsOf(v.diagnostics).length > 0;

/**
 * Schema-valid documents that pacific's validation still refuses, as the Supervisor's TKG webhook
 * would: the release they name does not exist here (see daemon/manifests/document-rules.ts).
 */
const RELEASE_REFUSALS = [
  // "this will be replaced with the actual image name by pipeline", says the sample.
  { sample: /^vsphere-csi-driver\/tkc\/tkg\.yaml$/, path: 'spec.topology.controlPlane.tkr.reference.name', message: /^TanzuKubernetesRelease replaceImage not found/ },
];
const refusedForItsRelease = (v: DocumentVerdict) =>
  RELEASE_REFUSALS.some((r) => r.sample.test(v.sample)) && errorsOf(v.diagnostics).every((d) => d.code === 'InvalidValue');
const where = (v: DocumentVerdict) => `${v.sample}:${v.line} ${v.kind} ${v.group}/${v.version}`;
const explain = (ds: readonly Diagnostic[]) => errorsOf(ds).map(formatDiagnostic).join(' | ') || 'accepted';

/** Each document of a file, checked when pacific defines its kind and version. */
function documentVerdicts(sample: string, ours: SchemaRegistry, crd: SchemaRegistry, defined: Set<string>, crdKinds: Set<string>): DocumentVerdict[] {
  return corpusDocuments(sample, ours, crd).map((doc) => ({ ...doc, checked: defined.has(key(doc)), hasCrd: crdKinds.has(key(doc)) }));
}

/** The spec schema of a definition as rendered, and its root `required` beyond type meta and metadata. */
function rendered(def: KindDefinition): { spec: Node; required: string[] } {
  const doc = documentSchema(def);
  return {
    spec: (doc['properties'] as Record<string, Node>)['spec']!,
    required: (doc['required'] as string[]).filter((f) => !['apiVersion', 'kind', 'metadata'].includes(f)),
  };
}

/** CEL rules of a schema subtree, with how many compare with the old object. */
function celCount(node: unknown): { rules: number; transition: number } {
  let rules = 0;
  let transition = 0;
  const walk = (n: unknown) => {
    if (!n || typeof n !== 'object') return;
    for (const r of ((n as Node)['x-kubernetes-validations'] ?? []) as { rule: string }[]) {
      rules++;
      if (r.rule.includes('oldSelf')) transition++;
    }
    for (const child of Object.values(((n as Node)['properties'] ?? {}) as Record<string, unknown>)) walk(child);
    walk((n as Node)['items']);
    if (typeof (n as Node)['additionalProperties'] === 'object') walk((n as Node)['additionalProperties']);
  };
  walk(node);
  return { rules, transition };
}

/**
 * Cases no sample exercises, written here: each is held to both our definitions and the CRD.
 * `fields` empty means accepted; otherwise each pattern must be named by an error.
 */
const FIXTURES: readonly { name: string; yaml: string; fields: readonly RegExp[]; cel?: boolean }[] = [
  {
    name: 'ClusterClass v1beta1 variable schema with keys literally named x-kubernetes-*, default and required (data, not keywords)',
    yaml: `apiVersion: cluster.x-k8s.io/v1beta1
kind: ClusterClass
metadata: {name: tkc-like}
spec:
  controlPlane: {ref: {apiVersion: controlplane.cluster.x-k8s.io/v1beta1, kind: KubeadmControlPlaneTemplate, name: cp}}
  infrastructure: {ref: {apiVersion: vmware.infrastructure.cluster.x-k8s.io/v1beta1, kind: VSphereClusterTemplate, name: infra}}
  variables:
  - name: vmClass
    required: true
    schema:
      openAPIV3Schema:
        type: string
        default: best-effort-small
        x-kubernetes-validations:
        - {rule: "self == 'never'", message: "data here, never evaluated against this document"}
  - name: extra
    required: false
    schema:
      openAPIV3Schema:
        type: object
        required: [storageClass]
        x-kubernetes-preserve-unknown-fields: true
        properties:
          storageClass: {type: string, x-kubernetes-validations: [{rule: "self.size() > 100"}]}
          port: {x-kubernetes-int-or-string: true}
`,
    fields: [],
  },
  {
    name: 'ClusterClass v1beta2 variable schema with an x-kubernetes-preserve-unknown-fields that is not a boolean',
    yaml: `apiVersion: cluster.x-k8s.io/v1beta2
kind: ClusterClass
metadata: {name: tkc-like}
spec:
  controlPlane: {templateRef: {apiVersion: controlplane.cluster.x-k8s.io/v1beta2, kind: KubeadmControlPlaneTemplate, name: cp}}
  infrastructure: {templateRef: {apiVersion: vmware.infrastructure.cluster.x-k8s.io/v1beta2, kind: VSphereClusterTemplate, name: infra}}
  variables:
  - name: extra
    required: false
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: "yes"}
`,
    fields: [/^spec\.variables\[0\]\.schema\.openAPIV3Schema\.x-kubernetes-preserve-unknown-fields$/],
  },
  {
    name: 'Cluster v1beta1 of class tanzukubernetescluster, a vSphere 8 version, free-form variable values',
    yaml: `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata: {name: guest, namespace: ns1}
spec:
  topology:
    class: tanzukubernetescluster
    version: v1.30.8+vmware.1-fips-vkr.1
    controlPlane: {replicas: 3}
    workers:
      machineDeployments:
      - {class: node-pool, name: np-1, replicas: 3, strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: "0%"}}}
      - {class: node-pool, name: np-2, replicas: 3}
    variables:
    - {name: vmClass, value: best-effort-small}
    - {name: storageClass, value: gold}
    - {name: extra, value: {x-kubernetes-preserve-unknown-fields: true, nested: [1, "two"]}}
`,
    fields: [],
  },
  {
    name: 'Cluster v1beta1 with two machineDeployments of the same name (list keyed by name)',
    yaml: `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata: {name: guest}
spec:
  topology:
    class: tanzukubernetescluster
    version: v1.29.4+vmware.3-fips.1-tkg.1
    workers:
      machineDeployments:
      - {class: node-pool, name: np-1}
      - {class: node-pool, name: np-1}
`,
    fields: [/^spec\.topology\.workers\.machineDeployments\[1\]$/],
  },
  {
    name: 'Cluster v1beta2 of classRef tanzukubernetescluster; maxSurge neither int nor string; duration written as v1beta1 did',
    yaml: `apiVersion: cluster.x-k8s.io/v1beta2
kind: Cluster
metadata: {name: guest}
spec:
  topology:
    classRef: {name: tanzukubernetescluster}
    version: v1.30.8+vmware.1-fips-vkr.1
    controlPlane:
      replicas: 3
      healthCheck: {checks: {nodeStartupTimeoutSeconds: 10m}}
    workers:
      machineDeployments:
      - {class: node-pool, name: np-1, replicas: 2, rollout: {strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: true}}}}
`,
    fields: [/^spec\.topology\.controlPlane\.healthCheck\.checks\.nodeStartupTimeoutSeconds$/, /^spec\.topology\.workers\.machineDeployments\[0\]\.rollout\.strategy\.rollingUpdate\.maxSurge$/],
  },
  {
    name: 'Cluster v1beta2 still written with topology.class (renamed classRef.name)',
    yaml: `apiVersion: cluster.x-k8s.io/v1beta2
kind: Cluster
metadata: {name: guest}
spec:
  topology: {class: tanzukubernetescluster, version: v1.30.8+vmware.1-fips-vkr.1}
`,
    fields: [/^spec\.topology\.class$/, /^spec\.topology\.classRef$/],
  },
  {
    name: 'TanzuKubernetesRelease v1alpha3 named as the issue names releases (cluster-scoped)',
    yaml: `apiVersion: run.tanzu.vmware.com/v1alpha3
kind: TanzuKubernetesRelease
metadata: {name: v1.30.8---vmware.1-fips-vkr.1}
spec:
  version: v1.30.8+vmware.1-fips-vkr.1
  kubernetes: {version: v1.30.8+vmware.1, imageRepository: localhost:5000/vmware, etcd: {imageTag: v3.5.16_vmware.1}}
  osImages: [{name: ubuntu-2204-v1.30.8---vmware.1-fips-vkr.1}]
`,
    fields: [],
  },
  {
    name: 'Supervisor VSphereMachine v1beta1 with an unknown powerOffMode and a secondary interface name too short',
    yaml: `apiVersion: vmware.infrastructure.cluster.x-k8s.io/v1beta1
kind: VSphereMachine
metadata: {name: guest-np-1-abcde, namespace: ns1}
spec:
  className: best-effort-small
  imageName: ubuntu-2204
  powerOffMode: gentle
  network:
    interfaces:
      secondary: [{name: e, network: {apiVersion: crd.nsx.vmware.com/v1alpha1, kind: SubnetSet, name: pods}}]
`,
    fields: [/^spec\.powerOffMode$/, /^spec\.network\.interfaces\.secondary\[0\]\.name$/],
  },
  {
    name: 'Supervisor VSphereCluster v1beta2 created with an NSX VPC network (its transition rules never fail a create)',
    yaml: `apiVersion: vmware.infrastructure.cluster.x-k8s.io/v1beta2
kind: VSphereCluster
metadata: {name: guest, namespace: ns1}
spec:
  network: {provider: VPC, nsxVPC: {createSubnetSet: true}}
`,
    fields: [],
  },
  {
    name: 'MachineHealthCheck v1beta2 watching the Ready condition Cluster API owns (CEL)',
    yaml: `apiVersion: cluster.x-k8s.io/v1beta2
kind: MachineHealthCheck
metadata: {name: mhc}
spec:
  clusterName: guest
  selector: {matchLabels: {pool: np-1}}
  checks:
    unhealthyMachineConditions: [{type: Ready, status: "False", timeoutSeconds: 300}]
`,
    fields: [/^spec\.checks\.unhealthyMachineConditions\[0\]\.type$/],
    cel: true,
  },
  {
    name: 'KubeadmConfigTemplate v1beta2 with one argument given twice, and a partition with both layout and diskLayout (CEL)',
    yaml: `apiVersion: bootstrap.cluster.x-k8s.io/v1beta2
kind: KubeadmConfigTemplate
metadata: {name: workers}
spec:
  template:
    spec:
      clusterConfiguration:
        apiServer:
          extraArgs: [{name: audit-log-maxage, value: "10"}, {name: audit-log-maxage, value: "20"}]
      diskSetup:
        partitions: [{device: /dev/sdb, layout: true, diskLayout: [{percentage: 100}]}]
`,
    fields: [/^spec\.template\.spec\.clusterConfiguration\.apiServer\.extraArgs$/, /^spec\.template\.spec\.diskSetup\.partitions\[0\]$/],
    cel: true,
  },
];

/** Whether the validator evaluates CEL rules (another part of pacific; until then such rules are recorded only). */
function evaluatesCel(): boolean {
  const probe = SchemaRegistry.fromSchemas([
    documentSchema({ group: 'probe.pacific.dev', version: 'v1', kind: 'Probe', namespaced: true, nameFormat: 'dns-subdomain', fields: { spec: { type: 'string', 'x-kubernetes-validations': [{ rule: "self == 'yes'" }] } } }),
  ]);
  const doc = 'apiVersion: probe.pacific.dev/v1\nkind: Probe\nmetadata: {name: p}\nspec: "no"\n';
  return loadManifestFile('probe.yaml', new TextEncoder().encode(doc), probe).diagnostics.length > 0;
}

describe.skipIf(!hasConformance)('cluster-api conformance: Cluster API, CAPV Supervisor and Tanzu kinds', () => {
  const crds = hasConformance ? crdVersions() : [];
  const defined = new Set(clusterApiSchemaKinds.map(key));
  const crdKinds = new Set(crds.map(key));
  let verdicts: DocumentVerdict[] = [];
  let checked: DocumentVerdict[] = [];

  beforeAll(() => {
    const ours = SchemaRegistry.fromSchemas([...servedKindDefinitions, ...clusterApiSchemaKinds].map(documentSchema));
    const crd = crdRegistry(crds);
    verdicts = PROJECTS.flatMap((project) => conformanceSamples(project)).flatMap((sample) => documentVerdicts(sample, ours, crd, defined, crdKinds));
    checked = verdicts.filter((v) => v.checked);
    for (const project of PROJECTS) {
      const mine = verdicts.filter((v) => v.sample.startsWith(`${project}/`));
      const c = mine.filter((v) => v.checked);
      const r = c.filter(rejected).length;
      console.log(
        `[pacific] ${project} conformance: ${c.length} documents of defined kinds checked, ${c.length - r} accepted, ${r} rejected ` +
          `(${mine.length} documents in ${new Set(mine.map((v) => v.sample)).size} files; ${mine.length - c.length} of other kinds)`,
      );
    }
  });

  it('finds documents to check in every project', () => {
    for (const project of PROJECTS) expect(checked.filter((v) => v.sample.startsWith(`${project}/`)).length, project).toBeGreaterThan(0);
  });

  it('accepts every document EXPECTED.md calls valid, with no error diagnostics', () => {
    const expectedToFail = (v: DocumentVerdict) => EXPECTED_REJECTIONS.some((r) => r.sample.test(v.sample) && r.kind === v.kind);
    const wronglyRejected = checked.filter((v) => !expectedToFail(v) && !refusedForItsRelease(v) && rejected(v)).map((v) => `${where(v)}\n  ${explain(v.diagnostics)}`);
    expect(wronglyRejected).toEqual([]);
  });

  it.each(EXPECTED_REJECTIONS)('rejects $label: $why', (row) => {
    const matching = checked.filter((v) => row.sample.test(v.sample) && v.kind === row.kind);
    expect(matching.map(where)).toHaveLength(row.documents);
    for (const v of matching) {
      expect(rejected(v), `${where(v)} is rejected`).toBe(true);
      for (const field of row.fields) {
        expect(errorsOf(v.diagnostics).some((d) => field.test(d.path ?? '')), `${where(v)} names ${String(field)}: ${explain(v.diagnostics)}`).toBe(true);
      }
    }
  });

  it('accepts the tanzu-framework TKR v1alpha1 sample, which the CRD refuses only in status', () => {
    const v = checked.find((d) => d.sample.endsWith('run_v1alpha1_tanzukubernetesrelease.yaml'))!;
    expect(explain(v.diagnostics)).toBe('accepted');
    const crd = crds.find((c) => c.group === 'run.tanzu.vmware.com' && c.version === 'v1alpha1' && c.kind === 'TanzuKubernetesRelease')!;
    const withStatus = crdRegistry([crd], '/status');
    const validate = withStatus.validator(crd.group, crd.version, crd.kind)!;
    expect(validate(v.value)).toBe(false);
    const paths = [...new Set((validate.errors ?? []).map((e) => e.instancePath))];
    expect(paths.filter((p) => !p.startsWith('/status/'))).toEqual([]);
    expect(paths).toContain('/status/conditions/0/status');
    const { status: _status, ...withoutStatus } = v.value;
    expect(validate(withoutStatus), JSON.stringify(validate.errors)).toBe(true);
  });

  it('accepts the v1alpha3 TanzuKubernetesCluster sample (no public CRD) but for its placeholder release', () => {
    const tkc = checked.filter((v) => v.kind === 'TanzuKubernetesCluster' && v.version === 'v1alpha3');
    expect(tkc.map(where)).toEqual(['vsphere-csi-driver/tkc/tkg.yaml:1 TanzuKubernetesCluster run.tanzu.vmware.com/v1alpha3']);
    const errors = errorsOf(tkc[0]!.diagnostics);
    const [refusal] = RELEASE_REFUSALS;
    expect(errors.map((d) => [d.code, d.path])).toEqual([['InvalidValue', refusal!.path]]);
    expect(errors[0]!.message).toMatch(refusal!.message);
  });

  it('reports API versions that no longer exist and Docker/in-memory provider kinds as unsupported, at their line', () => {
    const gone = verdicts.filter((v) => /^(infrastructure\.)?cluster\.x-k8s\.io$/.test(v.group) && v.version === 'v1alpha3');
    const providers = verdicts.filter((v) => /^(Docker|Dev)/.test(v.kind));
    expect(gone.map((v) => `${v.kind} ${v.group}`).sort()).toEqual([
      'MachineHealthCheck cluster.x-k8s.io',
      'VSphereCluster infrastructure.cluster.x-k8s.io',
      'VSphereCluster infrastructure.cluster.x-k8s.io',
      'VSphereClusterIdentity infrastructure.cluster.x-k8s.io',
      'VSphereMachineTemplate infrastructure.cluster.x-k8s.io',
    ]);
    expect(providers.length).toBeGreaterThan(30);
    for (const v of [...gone, ...providers]) {
      expect(v.diagnostics.map((d) => d.code), where(v)).toEqual(['UnsupportedKind']);
      expect(v.diagnostics[0]!.line, where(v)).toBe(v.apiVersionLine);
    }
    console.log(`[pacific] cluster-api conformance: ${gone.length} documents of removed API versions and ${providers.length} Docker/in-memory provider documents reported unsupported`);
  });

  it('reports every other kind as unsupported at most, never crashing', () => {
    const unexpected = verdicts
      .filter((v) => !v.checked)
      .flatMap((v) => v.diagnostics.filter((d) => d.code !== 'UnsupportedKind' && !(d.code === 'NotAnObject' && v.kind === '')).map((d) => `${where(v)}: ${formatDiagnostic(d)}`));
    expect(unexpected).toEqual([]);
  });

  it('agrees with the corpus CRDs (strict) on every verdict', () => {
    const withCrd = checked.filter((v) => v.hasCrd);
    expect(withCrd.length).toBe(checked.filter((v) => !(v.kind === 'TanzuKubernetesCluster' && v.version === 'v1alpha3')).length);
    const disagreements = withCrd
      .filter((v) => rejected(v) !== errorsOf(v.crdDiagnostics).length > 0)
      .map((v) => `${where(v)}\n  ours: ${explain(v.diagnostics)}\n  crd:  ${explain(v.crdDiagnostics)}`);
    expect(disagreements).toEqual([]);
  });

  it('compiles every defined kind in strict ajv, samples or not', () => {
    const ours = SchemaRegistry.fromSchemas(clusterApiSchemaKinds.map(documentSchema));
    for (const def of clusterApiSchemaKinds) expect(() => ours.validator(def.group, def.version, def.kind), key(def)).not.toThrow();
    console.log(`[pacific] cluster-api conformance: ${clusterApiSchemaKinds.length} kind × version definitions compiled`);
  });

  it('defines every kind × version the corpus CRDs serve in the Cluster API, Supervisor and Tanzu groups', () => {
    const wanted = crds
      .filter((c) => ['cluster.x-k8s.io', 'controlplane.cluster.x-k8s.io', 'bootstrap.cluster.x-k8s.io', 'vmware.infrastructure.cluster.x-k8s.io', 'run.tanzu.vmware.com'].includes(c.group))
      .map(key);
    expect(wanted.filter((k) => !defined.has(k))).toEqual([]);
  });

  it.each(clusterApiSchemaKinds.filter((d) => crds.some((c) => key(c) === key(d))).map((def) => ({ id: key(def), def })))(
    '$id has the CRD spec structure, field for field',
    ({ def }) => {
      const crd = crds.find((c) => key(c) === key(def))!;
      const ours = rendered(def);
      const crdSpec = ((crd.schema['properties'] as Record<string, Node>)['spec'] ?? {}) as Node;
      const rootRules = (crd.schema['x-kubernetes-validations'] ?? []) as { rule: string; message?: string }[];
      let spec = ours.spec;
      if (rootRules.length) {
        // The one root-level rule (VSphereMachine) sits on spec, rewritten relative to it.
        expect(rootRules).toEqual([POLICIES_IMMUTABLE.root]);
        expect(spec['x-kubernetes-validations']).toEqual([POLICIES_IMMUTABLE.spec]);
        const { ['x-kubernetes-validations']: _moved, ...rest } = spec;
        spec = rest;
      }
      expect(shapeDifferences(shape(spec, 'spec'), shape(strict(crdSpec), 'spec'))).toEqual([]);
      expect(ours.required).toEqual((crd.schema['required'] as string[] | undefined) ?? []);
      expect(def.namespaced).toBe(crd.namespaced);
    },
  );

  it('defines TanzuKubernetesCluster v1alpha3 as the v1alpha2 CRD plus the documented additions', () => {
    const v1alpha3 = clusterApiSchemaKinds.find((d) => d.kind === 'TanzuKubernetesCluster' && d.version === 'v1alpha3')!;
    const v1alpha2 = crds.find((c) => c.kind === 'TanzuKubernetesCluster' && c.version === 'v1alpha2')!;
    const ours = shape(rendered(v1alpha3).spec, 'spec');
    const crd = shape(strict((v1alpha2.schema['properties'] as Record<string, Node>)['spec']!), 'spec');
    const added = [...ours.keys()].filter((p) => !crd.has(p));
    expect(added.sort()).toEqual(Object.keys(TKC_V1ALPHA3_ADDITIONS).sort());
    expect([...crd.keys()].filter((p) => !ours.has(p) || ours.get(p) !== crd.get(p))).toEqual([]);
  });

  it.each(FIXTURES)('$name', ({ yaml: text, fields: named, cel }) => {
    const fields = cel && !evaluatesCel() ? [] : named;
    if (named.length && !fields.length) console.log('[pacific] CEL rules are not evaluated by this validator: expecting acceptance');
    const ours = SchemaRegistry.fromSchemas([...servedKindDefinitions, ...clusterApiSchemaKinds].map(documentSchema));
    const bytes = new TextEncoder().encode(text);
    const mine = errorsOf(loadManifestFile('fixture.yaml', bytes, ours).diagnostics);
    const upstream = errorsOf(loadManifestFile('fixture.yaml', bytes, crdRegistry(crds)).diagnostics);
    expect(mine.length > 0, `crd: ${explain(upstream)}; ours: ${explain(mine)}`).toBe(upstream.length > 0);
    expect(mine.length > 0, explain(mine)).toBe(fields.length > 0);
    for (const field of fields) expect(mine.some((d) => field.test(d.path ?? '')), `names ${String(field)}: ${explain(mine)}`).toBe(true);
  });

  it('counts CEL rules per kind, as the CRDs state them', () => {
    const counts = clusterApiSchemaKinds.map((def) => ({ id: key(def), ...celCount(documentSchema(def)) })).filter((c) => c.rules > 0);
    for (const c of counts) console.log(`[pacific] CEL ${c.id}: ${c.rules} rules, ${c.transition} comparing with the old object`);
    const ours = counts.reduce((n, c) => n + c.rules, 0);
    const upstream = crds.filter((c) => defined.has(key(c))).reduce((n, c) => n + celCount(c.schema).rules, 0);
    expect(ours).toBe(upstream);
  });
});
