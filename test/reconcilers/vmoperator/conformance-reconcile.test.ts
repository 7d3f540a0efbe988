/**
 * Issue 4, "Done when": accepted samples also reconcile into the inventory, and apply then diff gives
 * no change. Every file of the vm-operator corpus with documents the real loader accepts is applied on
 * its own, with the environment it takes for granted (classes, images, storage classes, namespaces,
 * content libraries, Secrets and claims it names: test/support/corpus-environment.ts), to a fresh
 * inventory and a real store. Each accepted document must land and be Ready, or be refused / not ready
 * exactly as NOT_READY says, for the vm-operator reason it gives; planning again must give no change.
 * GAPS lists samples where pacific differs from vm-operator: their tests are `it.fails` until fixed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildObjectStatuses } from '../../../daemon/controller/object-status.js';
import { buildInventory } from '../../../daemon/inventory/build.js';
import type { InventoryRegistry } from '../../../daemon/inventory/registry.js';
import { displayName, type ManifestObject } from '../../../daemon/manifests/types.js';
import { reconcilers } from '../../../daemon/reconcilers/index.js';
import { storedObject, type Condition, type ObservedObject } from '../../../daemon/plan/contract.js';
import { SqliteStore } from '../../../daemon/store/sqlite-store.js';
import { hasConformance } from '../../support/conformance.js';
import { acceptedSamples, environmentObjects, environmentTopology, scanReferences, type CorpusSample } from '../../support/corpus-environment.js';
import { manifests, planOf } from '../../support/fixtures.js';
import { advanceAndRunTasks, clock, planAndApply } from '../../support/reconcile.js';
import { tempDir } from '../../support/temp.js';

type Outcome = 'ready' | 'refused' | 'not-ready';

interface Expectation {
  readonly outcome: Exclude<Outcome, 'ready'>;
  /** The Ready condition's reason pacific must give, and what its message must say. */
  readonly reason: string;
  readonly message: RegExp;
}

interface NotReadyRow extends Expectation {
  readonly label: string;
  readonly sample: RegExp;
  readonly kind: string;
  /** How many accepted documents the row covers (so the table cannot go stale). */
  readonly documents: number;
  /** Why vm-operator does the same: the row's justification. */
  readonly why: string;
}

/**
 * Samples that are fragments or depend on objects they do not declare. Every row is vm-operator
 * behaviour, not a pacific gap (those are GAPS).
 */
const NOT_READY: readonly NotReadyRow[] = [
  {
    label: 'VM without spec.storageClass',
    sample: /^vm-operator\/(api-testdata\/v1alpha2\/vm-with-cloudinit|docs\/v1alpha[4-6]\/.*(images-vm-image__block0[345]|workloads-vm-class__block12))\.yaml$/,
    kind: 'VirtualMachine',
    documents: 13,
    outcome: 'refused',
    reason: 'StorageClassNotFound',
    message: /^StorageClass is required but not specified$/,
    why: 'the sample omits spec.storageClass; on a Supervisor vm-operator creates no VM without one (StorageClassRequired: "StorageClass is required but not specified")',
  },
  {
    label: 'VM without an image',
    sample: /^vm-operator\/docs\/(v1alpha[56]\/.*workloads-vm-snapshot__block03|v1alpha5\/.*workloads-vm__block3[01]|v1alpha6\/.*workloads-vm__block(01|08|43|44)|v1alpha6\/.*backup-restore-readme__block04)\.yaml$/,
    kind: 'VirtualMachine',
    documents: 9,
    outcome: 'refused',
    reason: 'ImageNotFound',
    message: /^spec\.image: Required value$/,
    why: "a fragment showing one field (a revert, controllers, resources, affinity, a group link); vm-operator's webhook requires spec.image or spec.imageName on create (field.Required(spec.image)) for non-privileged users",
  },
  {
    label: 'VM without spec.className',
    sample: /^vm-operator\/docs\/v1alpha6\/.*workloads-vm__block(28|29)\.yaml$/,
    kind: 'VirtualMachine',
    documents: 2,
    outcome: 'refused',
    reason: 'ClassNotFound',
    message: /^spec\.className: Required value$/,
    why: "a fragment showing boot-disk volumes; vm-operator's webhook requires spec.className on create (field.Required(spec.className)) for non-privileged users",
  },
  {
    label: 'VM naming an EncryptionClass',
    sample: /^vm-operator\/docs\/(v1alpha3\/.*workloads-vm__block04|v1alpha4\/.*workloads-vm__block06|v1alpha5\/.*workloads-vm__block08|v1alpha6\/.*workloads-vm__block14)\.yaml$/,
    kind: 'VirtualMachine',
    documents: 4,
    outcome: 'refused',
    reason: 'EncryptionClassNotFound',
    message: /^encryptionclasses\.encryption\.vmware\.com "my-encryption-class" not found$/,
    why:
      'the VM names spec.crypto.encryptionClassName my-encryption-class, which the sample does not declare (and pacific serves no EncryptionClass: ' +
      "a NamespacePolicy encrypts a namespace's VMs); vm-operator creates no VM without its class and reports VirtualMachineEncryptionSynced=False, EncryptionClassNotFound",
  },
  {
    label: 'publish request whose VM is not in the sample',
    sample: /^vm-operator\/docs\/v1alpha[4-6]\/.*pub-vm-image__block0[0-3]\.yaml$/,
    kind: 'VirtualMachinePublishRequest',
    documents: 12,
    outcome: 'refused',
    reason: 'NotFound',
    message: /^spec\.source: virtualmachines\.vmoperator\.vmware\.com ".+" not found$/,
    why: 'the VM to publish (spec.source.name, by default the request name) is not in the sample; vm-operator cannot publish a VM that does not exist',
  },
  {
    label: 'snapshot whose VM is not in the sample',
    sample: /^vm-operator\/docs\/v1alpha[56]\/.*workloads-vm-snapshot__block0[0-2]\.yaml$/,
    kind: 'VirtualMachineSnapshot',
    documents: 6,
    outcome: 'refused',
    reason: 'NotFound',
    message: /^virtualmachines\.vmoperator\.vmware\.com "my-vm" not found$/,
    why: 'the snapshot names VM my-vm, which the sample does not declare; vm-operator cannot snapshot a VM that does not exist',
  },
  {
    label: 'group whose member VMs are not in the sample',
    sample: /^vm-operator\/docs\/(v1alpha[56]\/.*workloads-vm-group__block(00|01|05|08|09|10)|v1alpha5\/.*workloads-vm__block33|v1alpha6\/.*workloads-vm__block46|v1alpha6\/.*backup-restore-readme__block03)\.yaml$/,
    kind: 'VirtualMachineGroup',
    documents: 15,
    outcome: 'not-ready',
    reason: 'MemberNotFound',
    message: /^members not found: /,
    why: 'the group exists but its boot order lists VMs the sample does not declare; vm-operator reports them as not found until they exist',
  },
];

interface Gap extends Partial<Expectation> {
  readonly label: string;
  readonly sample: RegExp;
  readonly kind: string;
  readonly documents: number;
  /** What pacific does, where, and what vm-operator does instead. */
  readonly gap: string;
}

/** Samples where pacific differs from vm-operator: the expectation is vm-operator's, the test `it.fails`. */
const GAPS: readonly Gap[] = [];

/** vm-operator's verdict on a document: a NOT_READY row, a gap's expectation, or undefined for Ready. */
function expectationOf(sample: string, o: ManifestObject): Expectation | undefined {
  const row = NOT_READY.find((r) => r.kind === o.kind && r.sample.test(sample));
  if (row) return row;
  const gap = GAPS.find((g) => g.kind === o.kind && g.sample.test(sample));
  return gap?.outcome && gap.reason && gap.message ? { outcome: gap.outcome, reason: gap.reason, message: gap.message } : undefined;
}
const gapOf = (sample: string): Gap | undefined => GAPS.find((g) => g.sample.test(sample));

const samples: CorpusSample[] = hasConformance ? acceptedSamples('vm-operator') : [];
const environment = hasConformance ? environmentTopology(scanReferences(samples.flatMap((s) => s.objects))) : undefined;

interface ObjectResult {
  readonly object: ManifestObject;
  readonly landed: boolean;
  readonly ready: Condition;
  /** True when the stored spec is the manifest's (an object lands as written; images are reflections). */
  readonly asWritten: boolean;
}

interface SampleRun {
  readonly objects: readonly ObjectResult[];
  /** The environment's objects that are not Ready (there must be none). */
  readonly environmentProblems: readonly string[];
  /** What a second plan of the same manifests changes, beyond repeating the first plan's refusals. */
  readonly noise: readonly string[];
}

/** Every observed object of the inventory, by key. */
function observedObjects(registry: InventoryRegistry): Map<string, ObservedObject> {
  const live = new Map<string, ObservedObject>();
  for (const r of reconcilers.all) for (const o of r.observe(registry)) live.set(o.key, o);
  return live;
}

/** Runs due tasks (load balancer IPs, publishing, group boot stages) over ten simulated minutes. */
function settle(registry: InventoryRegistry, store: SqliteStore): void {
  for (let i = 0; i < 20; i++) advanceAndRunTasks(registry, store, 30_000);
}

const IMAGE_KINDS = new Set(['VirtualMachineImage', 'ClusterVirtualMachineImage']);

/** Applies `objects` (plus what `extra` supplies) with their environment to a fresh inventory; reports what landed. */
async function reconcile(objects: readonly ManifestObject[], extra: readonly ManifestObject[] = []): Promise<SampleRun> {
  clock.reset();
  const tmp = tempDir('pacific-corpus-');
  const store = SqliteStore.open(tmp.dir);
  try {
    const registry = buildInventory(environment!.topology);
    store.saveInventory(registry.all());
    const declared = [...objects, ...extra];
    const desired = [...environmentObjects(declared), ...declared];
    const first = await planAndApply(desired, registry, store);
    settle(registry, store);
    const problems = new Map(first.results.flatMap((r) => (r.problem ? [[r.change.key, r.problem] as const] : [])));
    const statuses = new Map(buildObjectStatuses(first.plan.objects, registry, problems, new Map(), new Date(clock.now()).toISOString()).map((s) => [s.key, s]));
    const live = observedObjects(registry);
    const sampleKeys = new Set(objects.map((o) => o.key));
    const environmentProblems = [...statuses.values()]
      .filter((s) => !sampleKeys.has(s.key) && s.conditions[0]!.status !== 'True')
      .map((s) => `${displayName(s.kind, s.namespace, s.name)}: ${s.conditions[0]!.reason}: ${s.conditions[0]!.message}`);
    const again = planOf(desired, registry, store.ownership(), 'rev-2');
    const refusedBefore = new Map(first.results.filter((r) => r.outcome === 'refused').map((r) => [r.change.key, r.problem!.reason]));
    const noise = again.changes
      .filter((c) => !(c.action === 'create' && !c.admission.allowed && refusedBefore.get(c.key) === c.admission.reason))
      .map((c) => `${c.action} ${displayName(c.kind, c.namespace, c.name)}${c.fields.length ? `: ${c.fields.map((f) => `${f.path} ${JSON.stringify(f.from)} → ${JSON.stringify(f.to)}`).join(', ')}` : ''}`);
    return {
      objects: objects.map((object) => {
        const observed = live.get(object.key);
        const stored = storedObject(object);
        return {
          object,
          landed: !!observed,
          ready: statuses.get(object.key)!.conditions[0]!,
          asWritten: !observed || IMAGE_KINDS.has(object.kind) || JSON.stringify(observed.object.spec ?? null) === JSON.stringify(stored.spec ?? null),
        };
      }),
      environmentProblems,
      noise,
    };
  } finally {
    store.close();
    tmp.cleanup();
  }
}

const outcomeOf = (r: ObjectResult): Outcome => (r.ready.status === 'True' ? 'ready' : r.landed ? 'not-ready' : 'refused');
const describeResult = (r: ObjectResult) => `${displayName(r.object.kind, r.object.namespace, r.object.name)}: ${outcomeOf(r)} ${r.ready.reason} ${r.ready.message}`.trim();

/** What the test records of each sample, for the summary. */
const tally = new Map<string, readonly ObjectResult[]>();

/** Asserts a run of a sample against the tables; the same checks whether the test is expected to fail or not. */
function checkRun(sample: string, run: SampleRun): void {
  expect(run.environmentProblems, `${sample}: the environment itself must reconcile`).toEqual([]);
  for (const r of run.objects) {
    const expected = expectationOf(sample, r.object);
    const what = `${sample}: ${describeResult(r)}`;
    if (!expected) {
      expect(outcomeOf(r), what).toBe('ready');
      expect(r.landed, what).toBe(true);
    } else {
      expect({ outcome: outcomeOf(r), reason: r.ready.reason }, what).toEqual({ outcome: expected.outcome, reason: expected.reason });
      expect(r.ready.message, what).toMatch(expected.message);
    }
    expect(r.asWritten, `${what}: the stored spec is the manifest's`).toBe(true);
  }
  expect(run.noise, `${sample}: a second plan must change nothing`).toEqual([]);
}

describe.skipIf(!hasConformance)('vm-operator corpus: accepted samples reconcile into the inventory', () => {
  afterAll(() => {
    if (!tally.size) return;
    const results = [...tally].flatMap(([sample, objects]) => objects.map((r) => ({ sample, r })));
    const ready = results.filter(({ r }) => outcomeOf(r) === 'ready');
    const of = (row: { kind: string; sample: RegExp }) => results.filter(({ sample, r }) => row.kind === r.object.kind && row.sample.test(sample)).length;
    const documented = NOT_READY.map((row) => `${row.label}: ${of(row)} (${row.outcome} ${row.reason}): ${row.why}`);
    const gaps = GAPS.map((g) => `${g.label}: ${of(g)}: ${g.gap}`);
    console.log(
      `[pacific] corpus reconcile: ${results.length} accepted documents of ${tally.size} samples applied, ${results.filter(({ r }) => r.landed).length} landed, ` +
        `${ready.length} Ready, ${results.length - ready.length} not Ready\n  documented not ready (vm-operator semantics):\n    ${documented.join('\n    ')}\n` +
        `  pacific gaps (it.fails):\n    ${gaps.join('\n    ')}\n  environment (additions to the default topology):\n    ${environment!.yaml.trimEnd().split('\n').join('\n    ')}`,
    );
  });

  it('finds accepted samples of every kind pacific serves that the corpus has', () => {
    const kinds = new Set(samples.flatMap((s) => s.objects.map((o) => o.kind)));
    expect([...kinds].sort()).toEqual([
      'PersistentVolumeClaim',
      'ResourceQuota',
      'Secret',
      'VirtualMachine',
      'VirtualMachineClass',
      'VirtualMachineGroup',
      'VirtualMachineImage',
      'VirtualMachinePublishRequest',
      'VirtualMachineService',
      'VirtualMachineSnapshot',
    ]);
  });

  it('keeps every NOT_READY and GAPS row in use, each for exactly its documents', () => {
    for (const row of [...NOT_READY, ...GAPS]) {
      const matching = samples.flatMap((s) => s.objects.filter((o) => o.kind === row.kind && row.sample.test(s.sample)).map((o) => `${s.sample} ${o.kind}/${o.name}`));
      expect(matching, row.label).toHaveLength(row.documents);
    }
  });

  for (const { sample, objects } of samples) {
    const gap = gapOf(sample);
    const test = gap ? it.fails : it;
    test(`${sample}${gap ? ` (pacific gap: ${gap.label})` : ''}`, async () => {
      const run = await reconcile(objects);
      tally.set(sample, run.objects);
      checkRun(sample, run);
    });
  }
});

/** The VMs a dependent sample names, written in the sample's version, on the environment's defaults. */
function supplyVms(object: ManifestObject, names: readonly string[], groupName?: string): ManifestObject[] {
  const docs = names.map((name) =>
    [
      `apiVersion: ${object.apiVersion}`,
      'kind: VirtualMachine',
      'metadata:',
      `  name: ${name}`,
      `  namespace: ${object.namespace}`,
      'spec:',
      '  className: best-effort-small',
      '  imageName: ubuntu-22.04-cloudimg',
      '  storageClass: vsan-default-storage-policy',
      ...(groupName ? [`  groupName: ${groupName}`] : []),
    ].join('\n'),
  );
  return manifests({ 'supplied/vms.yaml': docs.join('\n---\n') + '\n' });
}

type Spec = Record<string, unknown>;
const specOf = (o: ManifestObject): Spec => (o.body['spec'] ?? {}) as Spec;

/** The VMs each dependent kind waits for. */
const DEPENDENCIES: Record<string, (o: ManifestObject) => ManifestObject[]> = {
  VirtualMachinePublishRequest: (o) => supplyVms(o, [((specOf(o)['source'] as Spec | undefined)?.['name'] as string | undefined) ?? o.name]),
  VirtualMachineSnapshot: (o) => supplyVms(o, [specOf(o)['vmName'] as string]),
  VirtualMachineGroup: (o) =>
    supplyVms(
      o,
      ((specOf(o)['bootOrder'] ?? []) as { members?: { kind?: string; name: string }[] }[]).flatMap((s) => (s.members ?? []).filter((m) => (m.kind ?? 'VirtualMachine') === 'VirtualMachine').map((m) => m.name)),
      o.name,
    ),
};

/** Dependent samples that still fail with their VMs supplied: pacific gaps. */
const SUPPLIED_GAPS: readonly { label: string; sample: RegExp; gap: string }[] = [];

describe.skipIf(!hasConformance)('vm-operator corpus: dependent samples reconcile once the VMs they name exist', () => {
  const dependent = samples.filter((s) => s.objects.some((o) => o.kind in DEPENDENCIES && NOT_READY.some((r) => r.kind === o.kind && r.sample.test(s.sample))));

  it('covers every documented dependency row', () => {
    expect(dependent.length).toBe(12 + 6 + 15);
  });

  for (const { sample, objects } of dependent) {
    const gap = SUPPLIED_GAPS.find((g) => g.sample.test(sample));
    const test = gap ? it.fails : it;
    test(`${sample}${gap ? ` (pacific gap: ${gap.label})` : ''}`, async () => {
      const supplied = objects.flatMap((o) => DEPENDENCIES[o.kind]?.(o) ?? []);
      const run = await reconcile(objects, supplied);
      expect(run.environmentProblems, sample).toEqual([]);
      for (const r of run.objects) expect(outcomeOf(r), `${sample}: ${describeResult(r)}`).toBe('ready');
      expect(run.noise, `${sample}: a second plan must change nothing`).toEqual([]);
    });
  }

  it('a VM naming a ClusterVirtualMachineImage by its cvmi- name is created', async () => {
    const vm = manifests({
      'vm.yaml': [
        'apiVersion: vmoperator.vmware.com/v1alpha5',
        'kind: VirtualMachine',
        'metadata: {name: my-vm, namespace: default}',
        'spec:',
        '  image: {kind: ClusterVirtualMachineImage, name: cvmi-fedcba0987654321}',
        '  className: best-effort-medium',
        '  storageClass: vsan-default-storage-policy',
        '',
      ].join('\n'),
    });
    const run = await reconcile(vm);
    expect(run.objects.map(describeResult)).toEqual(['VirtualMachine/default/my-vm: ready Reconciled']);
  });
});
