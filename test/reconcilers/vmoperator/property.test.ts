/**
 * Issue 4, "Diffs are free of noise ... a property test over generated VMs checks it". fast-check
 * generates VirtualMachines of every served version (v1alpha1 with its own shapes) with the optional
 * fields the schemas accept, their claims and bootstrap Secrets. Each is validated by the real loader,
 * applied to a fresh inventory and SQLite store, then:
 *   (1) planning it again changes nothing;
 *   (2) the same VM written another way (keys and name-keyed list items re-ordered, schema defaults
 *       written out or left out, quantities re-spelled, documents re-ordered) changes nothing;
 *   (3) changing one field yields exactly that field's changes (and the status fields it implies).
 * Rewrites leave the items of lists pacific does not pair by `name` as generated: the known bugs at the
 * end of the file show what goes wrong there. Fixed seed, `PACIFIC_PROPERTY_RUNS` runs (default 60), `PACIFIC_PROPERTY_SEED` to replay.
 */
import fc from 'fast-check';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { buildInventory } from '../../../daemon/inventory/build.js';
import type { InventoryRegistry } from '../../../daemon/inventory/registry.js';
import { DEFAULT_TOPOLOGY, type Topology } from '../../../daemon/inventory/topology.js';
import { DEFAULT_VM_CLASSES } from '../../../daemon/catalog/vm-classes.js';
import { loadManifestFile } from '../../../daemon/manifests/load.js';
import { formatDiagnostic, type ManifestObject } from '../../../daemon/manifests/types.js';
import type { FieldChange } from '../../../daemon/plan/contract.js';
import type { Plan } from '../../../daemon/plan/types.js';
import { formatBytes } from '../../../daemon/base/quantity.js';
import { SqliteStore } from '../../../daemon/store/sqlite-store.js';
import { planOf, schemas } from '../../support/fixtures.js';
import { prng } from '../../support/prng.js';
import { clock, planAndApply } from '../../support/reconcile.js';
import { tempDir } from '../../support/temp.js';

const SEED = Number(process.env['PACIFIC_PROPERTY_SEED'] ?? 20_261_121);
const RUNS = Number(process.env['PACIFIC_PROPERTY_RUNS'] ?? 60);
console.log(`[pacific] VirtualMachine property test: seed ${SEED}, ${RUNS} runs per property (PACIFIC_PROPERTY_SEED / PACIFIC_PROPERTY_RUNS)`);

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => !!v && typeof v === 'object' && !Array.isArray(v);

const GROUP = 'vmoperator.vmware.com';
const NAMESPACE = 'prop';
const SECRET = 'vm-bootstrap';
const TOPOLOGY: Topology = { ...DEFAULT_TOPOLOGY, storagePolicies: [...DEFAULT_TOPOLOGY.storagePolicies, { name: 'gold', datastores: ['vsanDatastore'] }] };
const STORAGE_CLASSES = TOPOLOGY.storagePolicies.map((p) => p.name);
const ITEMS = buildInventory(TOPOLOGY).list('LibraryItem').map((i) => ({ name: i.name, imageName: i.imageName }));
const CLASSES = DEFAULT_VM_CLASSES;
const NEW_VERSIONS = ['v1alpha2', 'v1alpha3', 'v1alpha4', 'v1alpha5', 'v1alpha6'] as const;
type Version = 'v1alpha1' | (typeof NEW_VERSIONS)[number];

// ---------------------------------------------------------------------------------------------
// The model: what a VM means, rendered later in one of many spellings.

type Mode = 'Hard' | 'Soft' | 'TrySoft';
type Power = 'PoweredOn' | 'PoweredOff';
const MODES: readonly Mode[] = ['Hard', 'Soft', 'TrySoft'];
const MODE_FIELDS = ['powerOffMode', 'suspendMode', 'restartMode'] as const;
const V1ALPHA1_MODE: Record<Mode, string> = { Hard: 'hard', Soft: 'soft', TrySoft: 'trySoft' };
const V1ALPHA1_POWER: Record<Power, string> = { PoweredOn: 'poweredOn', PoweredOff: 'poweredOff' };

interface VappProperty {
  readonly key: string;
  /** A literal value, or read from the bootstrap Secret under the property's key. */
  readonly value?: string;
}

type Bootstrap =
  | { readonly kind: 'cloudConfig'; readonly users: readonly { name: string; groups: string[]; sudo?: string; passwd: boolean }[]; readonly timezone?: string; readonly runcmd: readonly string[]; readonly files: readonly { path: string; content: string; permissions?: string }[] }
  | { readonly kind: 'rawCloudConfig' }
  | { readonly kind: 'linuxPrep'; readonly utc: boolean; readonly timeZone?: string; readonly vapp: readonly VappProperty[] }
  | { readonly kind: 'vAppConfig'; readonly properties: readonly VappProperty[] }
  | { readonly kind: 'vmMetadata'; readonly transport: 'CloudInit' | 'Sysprep' | 'OvfEnv' | 'vAppConfig' | 'ExtraConfig' };

interface Claim {
  readonly name: string;
  readonly gib: number;
  readonly storageClass: string;
}

interface VmModel {
  readonly version: Version;
  readonly name: string;
  readonly className: string;
  /** Default-library item, named by display name, by `vmi-` name, or (v1alpha3+) as spec.image. */
  readonly image: { readonly item: number; readonly by: 'display' | 'vmi' | 'ref' };
  readonly storageClass: string;
  readonly powerState?: Power;
  readonly modes: Partial<Record<(typeof MODE_FIELDS)[number], Mode>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly interfaces: readonly { name: string; network?: string }[];
  readonly bootstrap?: Bootstrap;
  /** spec.advanced (v1alpha2+): boot disk size in GiB and the provisioning mode. */
  readonly bootDiskGib?: number;
  readonly provisioning?: 'Thin' | 'Thick' | 'ThickEagerZero';
  readonly minHardwareVersion?: number;
  readonly claims: readonly Claim[];
  /** CD-ROMs backed by library images (v1alpha3+; under spec.hardware from v1alpha5). */
  readonly cdroms: readonly { name: string; item: number; connected?: boolean }[];
}

const LABEL_KEYS = ['app', 'tier', 'env', 'example.com/owner', 'pacific.dev/role'];
// Label values YAML would read as another type unless quoted: the renderer must keep them strings.
const LABEL_VALUES = ['web', 'db', 'true', 'null', '0123', '1e3', 'v1.2', 'yes'];
const ANNOTATION_VALUES = ['', 'hello world', 'a: b', '{"json": true}', 'line one\nline two', '42'];

const arbModes = fc.record(
  { powerOffMode: fc.constantFrom(...MODES), suspendMode: fc.constantFrom(...MODES), restartMode: fc.constantFrom(...MODES) },
  { requiredKeys: [] },
);
const arbLabels = fc.dictionary(fc.constantFrom(...LABEL_KEYS), fc.constantFrom(...LABEL_VALUES), { maxKeys: 3 });
const arbAnnotations = fc.dictionary(fc.constantFrom('note', 'example.com/ticket', 'pacific.dev/comment'), fc.constantFrom(...ANNOTATION_VALUES), { maxKeys: 2 });
const arbClaims = fc.uniqueArray(
  fc.record({ name: fc.constantFrom('data', 'logs', 'scratch'), gib: fc.integer({ min: 1, max: 40 }), storageClass: fc.constantFrom(...STORAGE_CLASSES) }),
  { maxLength: 2, selector: (c) => c.name },
);
const arbVapp = fc.uniqueArray(fc.record({ key: fc.constantFrom('hostname', 'dns', 'gateway', 'ntp'), value: fc.option(fc.constantFrom('10.0.0.1', 'vm.local', '{{ .V1alpha2.Net.Nameservers }}'), { nil: undefined }) }), {
  minLength: 1,
  maxLength: 3,
  selector: (p) => p.key,
});

const arbBootstrap: fc.Arbitrary<Bootstrap> = fc.oneof(
  fc.record({
    kind: fc.constant('cloudConfig' as const),
    users: fc.uniqueArray(
      fc.record({ name: fc.constantFrom('jdoe', 'ops', 'app'), groups: fc.subarray(['users', 'admin', 'docker']), sudo: fc.option(fc.constant('ALL=(ALL) NOPASSWD:ALL'), { nil: undefined }), passwd: fc.boolean() }),
      { maxLength: 2, selector: (u) => u.name },
    ),
    timezone: fc.option(fc.constantFrom('UTC', 'Europe/Paris'), { nil: undefined }),
    runcmd: fc.subarray(['apt-get update', 'echo ready > /tmp/ready']),
    files: fc.uniqueArray(fc.record({ path: fc.constantFrom('/etc/motd', '/etc/app.conf'), content: fc.constantFrom('hello', 'key: value\n'), permissions: fc.option(fc.constantFrom('0644', '0600'), { nil: undefined }) }), {
      maxLength: 1,
      selector: (f) => f.path,
    }),
  }),
  fc.constant({ kind: 'rawCloudConfig' as const }),
  fc.record({ kind: fc.constant('linuxPrep' as const), utc: fc.boolean(), timeZone: fc.option(fc.constantFrom('America/Chicago', 'UTC'), { nil: undefined }), vapp: fc.oneof(fc.constant([]), arbVapp) }),
  fc.record({ kind: fc.constant('vAppConfig' as const), properties: arbVapp }),
);

function arbVm(version: Version): fc.Arbitrary<VmModel> {
  const v1 = version === 'v1alpha1';
  return fc.record(
    {
      version: fc.constant(version),
      name: fc.constantFrom('web-01', 'db-0', 'vm'),
      className: fc.constantFrom(...CLASSES.map((c) => c.name)),
      image: fc.record({
        item: fc.nat({ max: ITEMS.length - 1 }),
        // spec.image exists from v1alpha3 on.
        by: version >= 'v1alpha3' ? fc.constantFrom('display' as const, 'vmi' as const, 'ref' as const) : fc.constantFrom('display' as const, 'vmi' as const),
      }),
      storageClass: fc.constantFrom(...STORAGE_CLASSES),
      powerState: fc.constantFrom('PoweredOn' as const, 'PoweredOff' as const),
      modes: arbModes,
      labels: arbLabels,
      annotations: arbAnnotations,
      interfaces: v1
        ? fc.array(fc.record({ name: fc.constant(''), network: fc.option(fc.constantFrom('workload-primary', 'vm-network'), { nil: undefined }) }), { maxLength: 2 })
        : fc.uniqueArray(fc.record({ name: fc.constantFrom('eth0', 'eth1', 'eth2'), network: fc.option(fc.constantFrom('workload-primary', 'vm-network'), { nil: undefined }) }), { maxLength: 3, selector: (i) => i.name }),
      bootstrap: v1 ? fc.record({ kind: fc.constant('vmMetadata' as const), transport: fc.constantFrom('CloudInit' as const, 'Sysprep' as const, 'OvfEnv' as const, 'vAppConfig' as const, 'ExtraConfig' as const) }) : arbBootstrap,
      bootDiskGib: fc.integer({ min: 11, max: 300 }),
      provisioning: fc.constantFrom('Thin' as const, 'Thick' as const, 'ThickEagerZero' as const),
      minHardwareVersion: fc.integer({ min: 13, max: 21 }),
      claims: arbClaims,
      cdroms:
        version >= 'v1alpha3'
          ? fc.uniqueArray(fc.record({ name: fc.constantFrom('cdrom1', 'cdrom2'), item: fc.nat({ max: ITEMS.length - 1 }), connected: fc.option(fc.boolean(), { nil: undefined }) }, { requiredKeys: ['name', 'item'] }), {
              maxLength: 2,
              selector: (c) => c.name,
            })
          : fc.constant([]),
    },
    { requiredKeys: ['version', 'name', 'className', 'image', 'storageClass', 'modes', 'labels', 'annotations', 'interfaces', 'claims', 'cdroms'] },
  ).map((m) => (v1 ? { ...m, bootDiskGib: undefined, provisioning: undefined } : m));
}

// ---------------------------------------------------------------------------------------------
// Rendering: the model as documents, then one of many equivalent spellings.

const GiB = 2 ** 30;
/** Equal quantities in different spellings (the API server compares them as numbers). */
const SPELLINGS: readonly ((gib: number) => string | number)[] = [
  (g) => `${g}Gi`,
  (g) => `${g * 1024}Mi`,
  (g) => `${g * 1024 * 1024}Ki`,
  (g) => g * GiB,
  (g) => String(g * GiB),
];

/** The Secret keys the VM reads. */
function secretKeys(m: VmModel): string[] {
  const b = m.bootstrap;
  if (!b) return [];
  switch (b.kind) {
    case 'cloudConfig':
      return b.users.filter((u) => u.passwd).map((u) => `${u.name}-passwd`);
    case 'rawCloudConfig':
      return ['user-data'];
    case 'linuxPrep':
      return b.vapp.filter((p) => p.value === undefined).map((p) => p.key);
    case 'vAppConfig':
      return b.properties.filter((p) => p.value === undefined).map((p) => p.key);
    case 'vmMetadata':
      // v1alpha1 hands over the whole Secret; the converted providers read these keys.
      return ['user-data', 'unattend', 'guestinfo.userdata'];
  }
}

function vappProperties(props: readonly VappProperty[]): Node[] {
  return props.map((p) => ({ key: p.key, value: p.value !== undefined ? { value: p.value } : { from: { name: SECRET, key: p.key } } }));
}

function bootstrapSpec(b: Exclude<Bootstrap, { kind: 'vmMetadata' }>): Node {
  switch (b.kind) {
    case 'cloudConfig':
      return {
        cloudInit: {
          cloudConfig: {
            users: b.users.map((u) => ({ name: u.name, ...(u.groups.length ? { groups: u.groups } : {}), ...(u.sudo ? { sudo: u.sudo } : {}), ...(u.passwd ? { passwd: { name: SECRET, key: `${u.name}-passwd` } } : {}) })),
            ...(b.timezone ? { timezone: b.timezone } : {}),
            ...(b.runcmd.length ? { runcmd: b.runcmd } : {}),
            ...(b.files.length ? { write_files: b.files.map((f) => ({ path: f.path, content: f.content, ...(f.permissions ? { permissions: f.permissions } : {}) })) } : {}),
          },
        },
      };
    case 'rawCloudConfig':
      return { cloudInit: { rawCloudConfig: { name: SECRET, key: 'user-data' } } };
    case 'linuxPrep':
      return { linuxPrep: { hardwareClockIsUTC: b.utc, ...(b.timeZone ? { timeZone: b.timeZone } : {}) }, ...(b.vapp.length ? { vAppConfig: { properties: vappProperties(b.vapp) } } : {}) };
    case 'vAppConfig':
      return { vAppConfig: { properties: vappProperties(b.properties) } };
  }
}

function vmSpecOf(m: VmModel, spell: (gib: number) => string | number): Node {
  const item = ITEMS[m.image.item]!;
  const meta = { name: m.name, namespace: NAMESPACE, ...(Object.keys(m.labels).length ? { labels: m.labels } : {}), ...(Object.keys(m.annotations).length ? { annotations: m.annotations } : {}) };
  const volumes = m.claims.map((c) => ({ name: `${c.name}-disk`, persistentVolumeClaim: { claimName: c.name } }));
  if (m.version === 'v1alpha1') {
    const b = m.bootstrap as Extract<Bootstrap, { kind: 'vmMetadata' }> | undefined;
    return {
      apiVersion: `${GROUP}/v1alpha1`,
      kind: 'VirtualMachine',
      metadata: meta,
      spec: {
        className: m.className,
        imageName: m.image.by === 'display' ? item.name : item.imageName,
        storageClass: m.storageClass,
        ...(m.powerState ? { powerState: V1ALPHA1_POWER[m.powerState] } : {}),
        ...Object.fromEntries(Object.entries(m.modes).map(([k, v]) => [k, V1ALPHA1_MODE[v]])),
        ...(m.interfaces.length ? { networkInterfaces: m.interfaces.map((i) => ({ ...(i.network ? { networkName: i.network } : {}), networkType: 'nsx-t' })) } : {}),
        ...(b ? { vmMetadata: { transport: b.transport, secretName: SECRET } } : {}),
        ...(volumes.length ? { volumes } : {}),
      },
    };
  }
  const image = m.image.by === 'ref' ? { image: { kind: 'VirtualMachineImage', name: item.imageName } } : { imageName: m.image.by === 'display' ? item.name : item.imageName };
  const cdrom = m.cdroms.map((c) => ({ name: c.name, image: { kind: 'VirtualMachineImage', name: ITEMS[c.item]!.imageName }, ...(c.connected !== undefined ? { connected: c.connected } : {}) }));
  const underHardware = m.version >= 'v1alpha5';
  return {
    apiVersion: `${GROUP}/${m.version}`,
    kind: 'VirtualMachine',
    metadata: meta,
    spec: {
      className: m.className,
      ...image,
      storageClass: m.storageClass,
      ...(m.powerState ? { powerState: m.powerState } : {}),
      ...m.modes,
      ...(m.interfaces.length ? { network: { interfaces: m.interfaces.map((i) => ({ name: i.name, ...(i.network ? { network: { name: i.network } } : {}) })) } } : {}),
      ...(m.bootstrap ? { bootstrap: bootstrapSpec(m.bootstrap as Exclude<Bootstrap, { kind: 'vmMetadata' }>) } : {}),
      ...(m.bootDiskGib !== undefined || m.provisioning ? { advanced: { ...(m.bootDiskGib !== undefined ? { bootDiskCapacity: spell(m.bootDiskGib) } : {}), ...(m.provisioning ? { defaultVolumeProvisioningMode: m.provisioning } : {}) } } : {}),
      ...(m.minHardwareVersion !== undefined ? { minHardwareVersion: m.minHardwareVersion } : {}),
      ...(volumes.length ? { volumes } : {}),
      ...(cdrom.length ? (underHardware ? { hardware: { cdrom } } : { cdrom }) : {}),
    },
  };
}

/** The VM and what it needs: its namespace, claims and bootstrap Secret, as documents. */
function documentsOf(m: VmModel, spell: (gib: number) => string | number): Node[] {
  const keys = secretKeys(m);
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } },
    ...m.claims.map((c) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: c.name, namespace: NAMESPACE },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: spell(c.gib) } }, storageClassName: c.storageClass },
    })),
    ...(m.bootstrap ? [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: SECRET, namespace: NAMESPACE }, stringData: Object.fromEntries(keys.map((k) => [k, `value of ${k}`])) }] : []),
    vmSpecOf(m, spell),
  ];
}

/** How a document set is written: key order, defaults, quantity spelling. Equivalent for the API server. */
interface Style {
  readonly seed: number;
  readonly defaults: 'omit' | 'explicit';
  readonly spelling: number;
}

const arbStyle: fc.Arbitrary<Style> = fc.record({ seed: fc.integer(), defaults: fc.constantFrom('omit' as const, 'explicit' as const), spelling: fc.nat({ max: SPELLINGS.length - 1 }) });


function shuffle<T>(items: readonly T[], rnd: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const childSchema = (schema: Node | undefined, key: string): Node | undefined => {
  const props = (schema?.['properties'] ?? {}) as Record<string, Node>;
  return props[key] ?? (isNode(schema?.['additionalProperties']) ? (schema!['additionalProperties'] as Node) : undefined);
};

/** True for `x-kubernetes-list-type: map` lists keyed by `name` (re-ordering them is no change). */
const isNameKeyedMapList = (schema: Node | undefined) => schema?.['x-kubernetes-list-type'] === 'map' && JSON.stringify(schema['x-kubernetes-list-map-keys']) === '["name"]';

/**
 * How far a rewrite goes. 'paired' leaves the items of lists pacific does not pair by name exactly as
 * generated (KNOWN BUGS below: it compares those items as text); 'full' rewrites them too.
 */
type Reach = 'paired' | 'full';

/**
 * The value with the schema's defaults written out ('explicit') or left out where they equal the
 * default ('omit'), as structural defaulting makes both the same object.
 */
function withDefaults(schema: Node | undefined, value: unknown, mode: Style['defaults'], reach: Reach): unknown {
  if (!schema) return value;
  if (Array.isArray(value)) return reach === 'full' || isNameKeyedMapList(schema) ? value.map((v) => withDefaults(schema['items'] as Node | undefined, v, mode, reach)) : value;
  if (!isNode(value)) return value;
  const out: Node = {};
  for (const [k, v] of Object.entries(value)) {
    const child = childSchema(schema, k);
    if (mode === 'omit' && child?.['default'] !== undefined && JSON.stringify(child['default']) === JSON.stringify(v)) continue;
    out[k] = withDefaults(child, v, mode, reach);
  }
  if (mode === 'explicit') {
    for (const [k, p] of Object.entries((schema['properties'] ?? {}) as Record<string, Node>)) if (out[k] === undefined && p['default'] !== undefined) out[k] = structuredClone(p['default']);
  }
  return out;
}

/** Object keys in a random order, and the items of map lists (of name-keyed ones only, unless 'full'). */
function reordered(schema: Node | undefined, value: unknown, rnd: () => number, reach: Reach): unknown {
  if (Array.isArray(value)) {
    const paired = isNameKeyedMapList(schema);
    if (!paired && reach === 'paired') return value;
    const items = value.map((v) => reordered(schema?.['items'] as Node | undefined, v, rnd, reach));
    return paired || schema?.['x-kubernetes-list-type'] === 'map' ? shuffle(items, rnd) : items;
  }
  if (!isNode(value)) return value;
  return Object.fromEntries(shuffle(Object.keys(value), rnd).map((k) => [k, reordered(childSchema(schema, k), value[k], rnd, reach)]));
}

function documentSchema(doc: Node): Node | undefined {
  const [group, version] = String(doc['apiVersion']).includes('/') ? String(doc['apiVersion']).split('/') : ['', String(doc['apiVersion'])];
  return schemas.schema(group!, version!, String(doc['kind'])) as Node | undefined;
}

/** The model's documents as one YAML file written in `style`. */
function render(m: VmModel, style: Style, reach: Reach = 'paired'): string {
  const rnd = prng(style.seed);
  const docs = documentsOf(m, SPELLINGS[style.spelling]!).map((doc) => {
    const schema = documentSchema(doc);
    return reordered(schema, withDefaults(schema, doc, style.defaults, reach), rnd, reach) as Node;
  });
  // The Namespace first, the rest in any order: documents of a file are one revision.
  return [docs[0]!, ...shuffle(docs.slice(1), rnd)].map((d) => yaml.dump(d, { lineWidth: -1 })).join('---\n');
}

/** The rendered file through the real loader; a diagnostic is a generator bug. */
function load(text: string): ManifestObject[] {
  const loaded = loadManifestFile('generated/vm.yaml', new TextEncoder().encode(text), schemas);
  expect(loaded.diagnostics.map(formatDiagnostic), `the generator must write valid manifests:\n${text}`).toEqual([]);
  return [...loaded.objects];
}

// ---------------------------------------------------------------------------------------------
// One-field changes and the field changes they must plan.

interface Mutation {
  readonly what: string;
  readonly model: VmModel;
  readonly expected: FieldChange[];
}

interface MutationChoice {
  readonly pick: number;
  readonly labelKey: string;
  readonly labelValue: string;
  readonly mode: Mode;
  readonly modeField: (typeof MODE_FIELDS)[number];
  readonly className: string;
  readonly gib: number;
  readonly network: string;
}

const arbMutation: fc.Arbitrary<MutationChoice> = fc.record({
  pick: fc.nat(),
  labelKey: fc.constantFrom(...LABEL_KEYS),
  labelValue: fc.constantFrom(...LABEL_VALUES, 'changed'),
  mode: fc.constantFrom(...MODES),
  modeField: fc.constantFrom(...MODE_FIELDS),
  className: fc.constantFrom(...CLASSES.map((c) => c.name)),
  gib: fc.integer({ min: 11, max: 300 }),
  network: fc.constantFrom('workload-primary', 'vm-network', 'backup-network'),
});

/** The path segment pacific's diff writes for a map key (dotted when a plain identifier). */
const labelPath = (prefix: string, key: string) => (/^[A-Za-z_][\w-]*$/.test(key) ? `${prefix}.${key}` : `${prefix}[${JSON.stringify(key)}]`);
const sizeOf = (name: string) => DEFAULT_VM_CLASSES.find((c) => c.name === name)!;

/** Every one-field change that applies to the model; the choice picks one. */
function mutations(m: VmModel, c: MutationChoice): Mutation[] {
  const v1 = m.version === 'v1alpha1';
  const out: Mutation[] = [];
  // A label set, changed or removed.
  const before = m.labels[c.labelKey];
  if (before !== c.labelValue) {
    out.push({ what: `label ${c.labelKey}=${c.labelValue}`, model: { ...m, labels: { ...m.labels, [c.labelKey]: c.labelValue } }, expected: [{ path: labelPath('metadata.labels', c.labelKey), ...(before !== undefined ? { from: before } : {}), to: c.labelValue }] });
  }
  if (before !== undefined) {
    const { [c.labelKey]: _removed, ...rest } = m.labels;
    out.push({ what: `label ${c.labelKey} removed`, model: { ...m, labels: rest }, expected: [{ path: labelPath('metadata.labels', c.labelKey), from: before }] });
  }
  // An annotation added.
  if (m.annotations['pacific.dev/added'] === undefined) {
    out.push({ what: 'annotation added', model: { ...m, annotations: { ...m.annotations, 'pacific.dev/added': 'yes' } }, expected: [{ path: 'metadata.annotations["pacific.dev/added"]', to: 'yes' }] });
  }
  // The power state flipped (planned in vm-operator's names whatever the version).
  const power = m.powerState ?? 'PoweredOn';
  const flipped: Power = power === 'PoweredOn' ? 'PoweredOff' : 'PoweredOn';
  out.push({ what: `power ${flipped}`, model: { ...m, powerState: flipped }, expected: [{ path: 'spec.powerState', from: power, to: flipped }] });
  // A power mode (defaults: TrySoft, v1alpha1 hard), in the version's spelling.
  const defaultMode: Mode = v1 ? 'Hard' : 'TrySoft';
  const mode = m.modes[c.modeField] ?? defaultMode;
  if (mode !== c.mode) {
    const spell = (x: Mode) => (v1 ? V1ALPHA1_MODE[x] : x);
    out.push({ what: `${c.modeField} ${c.mode}`, model: { ...m, modes: { ...m.modes, [c.modeField]: c.mode } }, expected: [{ path: `spec.${c.modeField}`, from: spell(mode), to: spell(c.mode) }] });
  }
  // The class: a resize only across a power-off, so a powered-off VM also plans its new size.
  if (c.className !== m.className) {
    const from = sizeOf(m.className);
    const to = sizeOf(c.className);
    const resize = power === 'PoweredOff';
    out.push({
      what: `class ${c.className}`,
      model: { ...m, className: c.className },
      expected: [
        { path: 'spec.className', from: m.className, to: c.className },
        ...(resize && from.cpus !== to.cpus ? [{ path: 'status.hardware.cpus', from: from.cpus, to: to.cpus }] : []),
        ...(resize && from.memoryBytes !== to.memoryBytes ? [{ path: 'status.hardware.memory', from: formatBytes(from.memoryBytes), to: formatBytes(to.memoryBytes) }] : []),
      ],
    });
  }
  // The boot disk size (a quantity: planned in its canonical spelling).
  if (!v1 && c.gib !== m.bootDiskGib) {
    out.push({ what: `boot disk ${c.gib}Gi`, model: { ...m, bootDiskGib: c.gib }, expected: [{ path: 'spec.advanced.bootDiskCapacity', ...(m.bootDiskGib !== undefined ? { from: `${m.bootDiskGib}Gi` } : {}), to: `${c.gib}Gi` }] });
  }
  // An interface's network: paired by interface name (v1alpha1's list has no key: the whole list).
  const first = m.interfaces[0];
  if (first && first.network !== c.network) {
    const interfaces = [{ ...first, network: c.network }, ...m.interfaces.slice(1)];
    const v1List = (list: VmModel['interfaces']) => list.map((i) => ({ ...(i.network ? { networkName: i.network } : {}), networkType: 'nsx-t' }));
    out.push({
      what: `interface network ${c.network}`,
      model: { ...m, interfaces },
      expected: v1
        ? [{ path: 'spec.networkInterfaces', from: v1List(m.interfaces), to: v1List(interfaces) }]
        : [{ path: `spec.network.interfaces[name=${first.name}].network.name`, ...(first.network ? { from: first.network } : {}), to: c.network }],
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Applying and planning against a real store.

const changesOf = (plan: Plan) => plan.changes.map((c) => `${c.action} ${c.kind}/${c.name}: ${c.fields.map((f) => f.path).join(', ')}`);
const byPath = (a: FieldChange, b: FieldChange) => a.path.localeCompare(b.path);

/** A fresh inventory and store; `body` gets them, the store is closed and removed afterwards. */
async function withStore<T>(body: (registry: InventoryRegistry, store: SqliteStore) => Promise<T>): Promise<T> {
  clock.reset();
  const tmp = tempDir('pacific-property-');
  const store = SqliteStore.open(tmp.dir);
  try {
    const registry = buildInventory(TOPOLOGY);
    store.saveInventory(registry.all());
    return await body(registry, store);
  } finally {
    store.close();
    tmp.cleanup();
  }
}

/** The one-field change a choice picks for a model. */
const mutationOf = (m: VmModel, choice: MutationChoice): Mutation => {
  const all = mutations(m, choice);
  return all[choice.pick % all.length]!;
};

async function checkVm(m: VmModel, a: Style, b: Style, choice: MutationChoice): Promise<void> {
  await withStore(async (registry, store) => {
    const written = render(m, a);
    const desired = load(written);
    const { results } = await planAndApply(desired, registry, store);
    const outcomes = results.map((r) => `${r.change.kind}/${r.change.name}: ${r.outcome}${r.problem ? ` ${r.problem.reason} ${r.problem.message}` : ''}`);
    expect(outcomes.sort(), written).toEqual(desired.map((d) => `${d.kind}/${d.name}: created`).sort());
    expect(registry.find('VirtualMachine', NAMESPACE, m.name)?.powerState, written).toBe(m.powerState ?? 'PoweredOn');

    // (1) the same manifests again: nothing to do.
    expect(changesOf(planOf(desired, registry, store.ownership(), 'rev-2')), `replan of\n${written}`).toEqual([]);

    // (2) the same VM written another way: nothing to do.
    const rewritten = render(m, b);
    expect(changesOf(planOf(load(rewritten), registry, store.ownership(), 'rev-3')), `first written as\n${written}\nthen as\n${rewritten}`).toEqual([]);

    // (3) one field changed: exactly its field changes, on the VM only.
    const mutation = mutationOf(m, choice);
    const changed = render(mutation.model, a);
    const plan = planOf(load(changed), registry, store.ownership(), 'rev-4');
    expect(plan.changes.map((c) => `${c.action} ${c.kind}/${c.name}`), `${mutation.what}\n${changed}`).toEqual([`update VirtualMachine/${m.name}`]);
    expect([...plan.changes[0]!.fields].sort(byPath), `${mutation.what}\n${changed}`).toEqual([...mutation.expected].sort(byPath));
    expect(plan.changes[0]!.admission, mutation.what).toMatchObject({ allowed: true });
  });
}

/** What the generator produced for a property's seed and run count (fc.sample replays the same stream). */
function coverageOf(samples: readonly [VmModel, Style, Style, MutationChoice][]): string[] {
  const counts = new Map<string, number>();
  const count = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const [m, a, b, choice] of samples) {
    count(`version ${m.version}`);
    count(`class ${m.className.startsWith('guaranteed') ? 'guaranteed-*' : 'best-effort-*'}`);
    count(`image by ${m.image.by}`);
    count(`storage class ${m.storageClass}`);
    count(`powerState ${m.powerState ?? 'omitted (PoweredOn)'}`);
    count(`bootstrap ${m.bootstrap?.kind === 'vmMetadata' ? `vmMetadata ${m.bootstrap.transport}` : m.bootstrap?.kind === 'linuxPrep' && m.bootstrap.vapp.length ? 'linuxPrep+vAppConfig' : (m.bootstrap?.kind ?? 'none')}`);
    count(`power modes written: ${Object.keys(m.modes).length}`);
    count(`network interfaces: ${m.interfaces.length}`);
    count(`claims: ${m.claims.length}`);
    if (m.version !== 'v1alpha1') count(`cdroms: ${m.cdroms.length}`);
    count(`labels: ${Object.keys(m.labels).length}, annotations: ${Object.keys(m.annotations).length}`);
    const spelled = a.spelling === b.spelling ? 'spelled the same' : 're-spelled';
    if (m.version !== 'v1alpha1') count(`advanced.bootDiskCapacity ${m.bootDiskGib === undefined ? 'omitted' : spelled}`);
    if (m.claims.length) count(`claim sizes ${spelled}`);
    count(`defaults ${a.defaults} → ${b.defaults}`);
    count(`mutation: ${mutationOf(m, choice).what.replace(/ .*/, '')}`);
  }
  return [...counts].sort(([x], [y]) => x.localeCompare(y)).map(([k, n]) => `${k}: ${n}`);
}

const arbNew = fc.tuple(fc.constantFrom(...NEW_VERSIONS).chain(arbVm), arbStyle, arbStyle, arbMutation);
const arbV1 = fc.tuple(arbVm('v1alpha1'), arbStyle, arbStyle, arbMutation);

describe('VirtualMachine property: apply then diff is free of noise', () => {
  it(`v1alpha2..v1alpha6 (${RUNS} runs, seed ${SEED})`, async () => {
    console.log(`[pacific] generator coverage, v1alpha2..v1alpha6 (seed ${SEED}, ${RUNS} runs):\n  ${coverageOf(fc.sample(arbNew, { seed: SEED, numRuns: RUNS })).join('\n  ')}`);
    await fc.assert(fc.asyncProperty(arbNew, ([m, a, b, choice]) => checkVm(m, a, b, choice)), { seed: SEED, numRuns: RUNS });
  });

  it(`v1alpha1, with its own shapes (${RUNS} runs, seed ${SEED + 1})`, async () => {
    console.log(`[pacific] generator coverage, v1alpha1 (seed ${SEED + 1}, ${RUNS} runs):\n  ${coverageOf(fc.sample(arbV1, { seed: SEED + 1, numRuns: RUNS })).join('\n  ')}`);
    await fc.assert(fc.asyncProperty(arbV1, ([m, a, b, choice]) => checkVm(m, a, b, choice)), { seed: SEED + 1, numRuns: RUNS });
  });
});

/** Applies `first`, then plans `second`: the VM's field changes (the other objects must not change). */
async function replanAfter(first: string, second: string): Promise<FieldChange[]> {
  return withStore(async (registry, store) => {
    const { results } = await planAndApply(load(first), registry, store);
    expect(results.every((r) => r.outcome === 'created'), results.map((r) => `${r.change.key} ${r.outcome}`).join(', ')).toBe(true);
    const plan = planOf(load(second), registry, store.ownership(), 'rev-2');
    expect(plan.changes.filter((c) => c.kind !== 'VirtualMachine')).toEqual([]);
    return plan.changes.flatMap((c) => c.fields);
  });
}

const vmFile = (version: string, spec: string) =>
  [`apiVersion: v1\nkind: Namespace\nmetadata: {name: ${NAMESPACE}}`, `apiVersion: v1\nkind: Secret\nmetadata: {name: ${SECRET}, namespace: ${NAMESPACE}}\nstringData: {dns: 10.0.0.53}`, `apiVersion: ${GROUP}/${version}\nkind: VirtualMachine\nmetadata: {name: vm, namespace: ${NAMESPACE}}\nspec:\n  className: best-effort-small\n  imageName: ubuntu-22.04-cloudimg\n  storageClass: vsan-default-storage-policy\n${spec}`].join('\n---\n') + '\n';

/**
 * Lists on the smallest manifests (the properties above leave list items as generated).
 * daemon/plan/diff-fields.ts compares the items of a list it does not pair by key canonically, so
 * (A) the same item with its keys in another order, or with a schema default written instead of
 * left out (normalization appends defaults last), is no change; and (B) `x-kubernetes-list-type:
 * map` lists keyed by another field than `name` (vAppConfig properties and v1alpha6
 * advanced.extraConfig by `key`, cloud-config write_files by `path`) are paired by their schema
 * keys, which the normalized spec carries.
 */
describe('VirtualMachine lists: paired by their schema keys, compared canonically', () => {
  it('(A) v1alpha1 networkInterfaces: an item with its keys in another order is no change', async () => {
    const fields = await replanAfter(
      vmFile('v1alpha1', '  networkInterfaces:\n    - {networkName: workload-primary, networkType: nsx-t}'),
      vmFile('v1alpha1', '  networkInterfaces:\n    - {networkType: nsx-t, networkName: workload-primary}'),
    );
    expect(fields).toEqual([]);
  });

  it('(A) cloud-config write_files: a default (permissions 0644) written or left out is no change', async () => {
    const files = (extra: string) => `  bootstrap:\n    cloudInit:\n      cloudConfig:\n        write_files:\n          - {path: /etc/motd, content: hello${extra}}`;
    expect(await replanAfter(vmFile('v1alpha5', files(', permissions: "0644"')), vmFile('v1alpha5', files('')))).toEqual([]);
  });

  it('(B) vAppConfig properties, a map list keyed by `key`: re-ordering them is no change', async () => {
    const props = (a: string, b: string) => `  bootstrap:\n    vAppConfig:\n      properties:\n        - ${a}\n        - ${b}`;
    const host = '{key: hostname, value: {value: vm.local}}';
    const dns = `{key: dns, value: {from: {name: ${SECRET}, key: dns}}}`;
    expect(await replanAfter(vmFile('v1alpha4', props(host, dns)), vmFile('v1alpha4', props(dns, host)))).toEqual([]);
  });

  it('(B) vAppConfig properties: editing one value is planned at properties[key=…], as for name-keyed lists', async () => {
    const props = (value: string) => `  bootstrap:\n    vAppConfig:\n      properties:\n        - {key: hostname, value: {value: ${value}}}\n        - {key: ntp, value: {value: pool.ntp.org}}`;
    expect(await replanAfter(vmFile('v1alpha4', props('vm.local')), vmFile('v1alpha4', props('vm.example.com')))).toEqual([
      { path: 'spec.bootstrap.vAppConfig.properties[key=hostname].value.value', from: 'vm.local', to: 'vm.example.com' },
    ]);
  });

  it('(B) v1alpha6 advanced.extraConfig, keyed by `key`: re-ordered and one value edited is that value only', async () => {
    const extra = (a: string, b: string) => `  advanced:\n    extraConfig:\n      - ${a}\n      - ${b}`;
    expect(await replanAfter(vmFile('v1alpha6', extra('{key: a, value: "1"}', '{key: b, value: "2"}')), vmFile('v1alpha6', extra('{key: b, value: "3"}', '{key: a, value: "1"}')))).toEqual([
      { path: 'spec.advanced.extraConfig[key=b].value', from: '2', to: '3' },
    ]);
  });

  it('the same edit in a name-keyed map list is planned at its item (the contrast)', async () => {
    const nets = (net: string) => `  network:\n    interfaces:\n      - {name: eth0, network: {name: ${net}}}\n      - {name: eth1}`;
    expect(await replanAfter(vmFile('v1alpha4', nets('workload-primary')), vmFile('v1alpha4', nets('vm-network')))).toEqual([
      { path: 'spec.network.interfaces[name=eth0].network.name', from: 'workload-primary', to: 'vm-network' },
    ]);
  });
});
