/**
 * The environment the vm-operator corpus samples take for granted, built from what the accepted
 * samples reference: VM classes, images, storage classes, namespaces, content libraries (a
 * namespace's default one when a publish request names none), and the Secrets and claims a VM reads. The vCenter part is one topology (parseTopology's format, so it can
 * be printed and read back); the Kubernetes part is a few manifests per sample, for what the sample
 * names but does not declare. Deterministic: the same corpus gives the same environment.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { loadManifestFile } from '../../daemon/manifests/load.js';
import type { ManifestObject } from '../../daemon/manifests/types.js';
import { DEFAULT_TOPOLOGY, parseTopology, type Topology } from '../../daemon/inventory/topology.js';
import { DEFAULT_VM_CLASSES } from '../../daemon/catalog/vm-classes.js';
import { conformanceDir, conformanceSamples } from './conformance.js';
import { manifests, schemas } from './fixtures.js';

type Node = Record<string, unknown>;

const VMOP = 'vmoperator.vmware.com';

/** One corpus file with the documents the real loader accepts (the others are the conformance test's business). */
export interface CorpusSample {
  readonly sample: string;
  readonly objects: readonly ManifestObject[];
}

/** Every corpus file below `samples/<sub>` with at least one accepted document, in path order. */
export function acceptedSamples(sub: string): CorpusSample[] {
  return conformanceSamples(sub).flatMap((sample) => {
    const loaded = loadManifestFile(sample, readFileSync(join(conformanceDir, 'samples', sample)), schemas);
    return loaded.objects.length ? [{ sample, objects: loaded.objects }] : [];
  });
}

/** What a set of objects names and expects to exist. */
export interface References {
  readonly namespaces: Set<string>;
  readonly classes: Set<string>;
  /** Image names as written: display names, or `vmi-`/`cvmi-` object names. */
  readonly images: Set<string>;
  /** `vmi-`/`cvmi-` name → the content library item a VirtualMachineImage sample says backs it. */
  readonly itemOfImage: Map<string, string>;
  readonly storageClasses: Set<string>;
  readonly libraries: Set<string>;
  /** Namespaces with a publish request: they need a default content library and leave to write where they publish. */
  readonly defaultLibraryNamespaces: Set<string>;
  /** `namespace/name` → the data keys read (empty: the whole Secret, as vApp rawProperties reads it). */
  readonly secrets: Map<string, Set<string>>;
  /** `namespace/name` of a claim → the storage class of the VM mounting it (if it names one). */
  readonly claims: Map<string, string | undefined>;
}

function emptyReferences(): References {
  return { namespaces: new Set(), classes: new Set(), images: new Set(), itemOfImage: new Map(), storageClasses: new Set(), libraries: new Set(), defaultLibraryNamespaces: new Set(), secrets: new Map(), claims: new Map() };
}

const isNode = (v: unknown): v is Node => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const list = (v: unknown): Node[] => (Array.isArray(v) ? v.filter(isNode) : []);

function addSecret(refs: References, namespace: string, name: string, key?: string): void {
  const keys = refs.secrets.get(`${namespace}/${name}`) ?? new Set<string>();
  if (key) keys.add(key);
  refs.secrets.set(`${namespace}/${name}`, keys);
}

/**
 * Secret reads of a v1alpha2+ bootstrap: raw cloud-config and sysprep (vm-operator's default keys
 * when none is written), vApp rawProperties (a whole Secret) and every `{name, key}` selector.
 */
function scanBootstrap(node: unknown, field: string, namespace: string, refs: References): void {
  if (Array.isArray(node)) return node.forEach((item) => scanBootstrap(item, field, namespace, refs));
  if (!isNode(node)) return;
  const name = str(node['name']);
  const defaults: Record<string, string> = { rawCloudConfig: 'user-data', rawSysprep: 'unattend' };
  const keys = Object.keys(node);
  if (name && (field in defaults || (str(node['key']) && keys.every((k) => k === 'name' || k === 'key')))) {
    return addSecret(refs, namespace, name, str(node['key']) ?? defaults[field]);
  }
  for (const [k, v] of Object.entries(node)) {
    if (k === 'rawProperties' && str(v)) addSecret(refs, namespace, v as string);
    else scanBootstrap(v, k, namespace, refs);
  }
}

/** v1alpha1 `vmMetadata`: the Secret (or ConfigMap) and the key its transport reads. */
const V1ALPHA1_TRANSPORT_KEY: Record<string, string | undefined> = { CloudInit: 'user-data', Sysprep: 'unattend', ExtraConfig: 'guestinfo.userdata', OvfEnv: undefined, vAppConfig: undefined };

function scanVirtualMachine(o: ManifestObject, spec: Node, refs: References): void {
  const ns = o.namespace;
  if (str(spec['className'])) refs.classes.add(spec['className'] as string);
  if (str(spec['storageClass'])) refs.storageClasses.add(spec['storageClass'] as string);
  const image = isNode(spec['image']) ? str(spec['image']['name']) : undefined;
  for (const name of [str(spec['imageName']), image]) if (name) refs.images.add(name);
  const hardware = isNode(spec['hardware']) ? spec['hardware'] : {};
  for (const cdrom of [...list(spec['cdrom']), ...list(hardware['cdrom'])]) {
    const name = isNode(cdrom['image']) ? str(cdrom['image']['name']) : undefined;
    if (name) refs.images.add(name);
  }
  for (const volume of list(spec['volumes'])) {
    const claim = isNode(volume['persistentVolumeClaim']) ? str(volume['persistentVolumeClaim']['claimName']) : undefined;
    if (claim) refs.claims.set(`${ns}/${claim}`, str(spec['storageClass']));
  }
  if (o.version === 'v1alpha1') {
    const m = isNode(spec['vmMetadata']) ? spec['vmMetadata'] : {};
    const name = str(m['secretName']) ?? str(m['configMapName']);
    if (name) addSecret(refs, ns, name, V1ALPHA1_TRANSPORT_KEY[String(m['transport'])]);
  } else if (spec['bootstrap'] !== undefined) {
    scanBootstrap(spec['bootstrap'], 'bootstrap', ns, refs);
  }
}

/** The references of objects (added to `refs`). */
export function scanReferences(objects: readonly ManifestObject[], refs: References = emptyReferences()): References {
  for (const o of objects) {
    const spec = isNode(o.body['spec']) ? o.body['spec'] : {};
    if (o.namespaced) refs.namespaces.add(o.namespace);
    const kind = o.group === VMOP ? o.kind : `core/${o.kind}`;
    switch (kind) {
      case 'VirtualMachine':
        scanVirtualMachine(o, spec, refs);
        break;
      case 'VirtualMachineClass': {
        const hardware = isNode(spec['hardware']) ? spec['hardware'] : {};
        const instance = isNode(hardware['instanceStorage']) ? str(hardware['instanceStorage']['storageClass']) : undefined;
        if (instance) refs.storageClasses.add(instance);
        break;
      }
      case 'VirtualMachineImage':
      case 'ClusterVirtualMachineImage': {
        refs.images.add(o.name);
        const item = isNode(spec['providerRef']) ? str(spec['providerRef']['name']) : undefined;
        if (item) refs.itemOfImage.set(o.name, item);
        break;
      }
      case 'VirtualMachinePublishRequest': {
        const target = isNode(spec['target']) ? spec['target'] : {};
        const location = isNode(target['location']) ? str(target['location']['name']) : undefined;
        if (location) refs.libraries.add(location);
        refs.libraries.add(DEFAULT_LIBRARY);
        refs.defaultLibraryNamespaces.add(o.namespace);
        break;
      }
      case 'core/PersistentVolumeClaim':
        if (str(spec['storageClassName'])) refs.storageClasses.add(spec['storageClassName'] as string);
        break;
      case 'core/ResourceQuota':
        // `<class>.storageclass.storage.k8s.io/requests.storage` names a storage class.
        for (const key of Object.keys(isNode(spec['hard']) ? spec['hard'] : {})) {
          const m = /^(.+)\.storageclass\.storage\.k8s\.io\//.exec(key);
          if (m) refs.storageClasses.add(m[1]!);
        }
        break;
    }
  }
  return refs;
}

/** A deterministic UUID for a name (the content library items the environment adds). */
export function uuidOf(name: string): string {
  const h = createHash('sha1').update(`corpus-environment/${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const IMAGE_LIBRARY = 'corpus-images';
/**
 * The default content library of a namespace whose publish request names none (vm-operator's
 * library labelled imageregistry.vmware.com/default; pacific's NamespacePolicy defaultContentLibrary).
 */
const DEFAULT_LIBRARY = 'corpus-default-library';
const DATASTORE = DEFAULT_TOPOLOGY.datastores[0]!.name;
/** The size of a VM class the corpus names that the Supervisor does not ship (best-effort-small's). */
const CORPUS_CLASS = { cpus: 2, memory: '4Gi' };

/** The topology document (parseTopology's format) giving the corpus what it references, defaults kept. */
export function environmentTopologyDocument(refs: References): Record<string, unknown> {
  const defaultClasses = new Set(DEFAULT_VM_CLASSES.map((c) => c.name));
  const defaultPolicies = new Set(DEFAULT_TOPOLOGY.storagePolicies.map((p) => p.name));
  const images = [...refs.images].sort();
  return {
    apiVersion: 'pacific.dev/v1alpha1',
    kind: 'Topology',
    storagePolicies: [
      ...DEFAULT_TOPOLOGY.storagePolicies,
      ...[...refs.storageClasses].sort().filter((n) => !defaultPolicies.has(n)).map((name) => ({ name, datastores: [DATASTORE] })),
    ],
    contentLibraries: [
      ...DEFAULT_TOPOLOGY.contentLibraries.map((l) => ({ name: l.name, items: l.items.map((i) => ({ name: i.name, uuid: i.uuid, osType: i.osType, diskCapacity: i.diskCapacityBytes })) })),
      {
        name: IMAGE_LIBRARY,
        // A display name is an item of that name; a `vmi-`/`cvmi-` name is an item pinning it.
        items: images.map((image) => {
          const pinned = /^c?vmi-/.test(image);
          const name = pinned ? (refs.itemOfImage.get(image) ?? `corpus-${image}`) : image;
          return { name, uuid: uuidOf(image), osType: 'otherGuest64', diskCapacity: '10Gi', ...(pinned ? { imageName: image } : {}) };
        }),
      },
      ...[...refs.libraries].sort().map((name) => ({ name, items: [] })),
    ],
    vmClasses: [
      ...DEFAULT_VM_CLASSES.map((c) => ({ name: c.name, cpus: c.cpus, memory: c.memoryBytes, reservedCpu: String(c.cpuReservationMillis / 1000), reservedMemory: c.memoryReservationBytes })),
      ...[...refs.classes].sort().filter((n) => !defaultClasses.has(n)).map((name) => ({ name, ...CORPUS_CLASS })),
    ],
  };
}

/** The entries a topology document adds to the default topology (what a reader needs to see). */
function additions(doc: Record<string, unknown>): Record<string, unknown> {
  const defaults = new Set([
    ...DEFAULT_TOPOLOGY.storagePolicies.map((p) => `storagePolicies/${p.name}`),
    ...DEFAULT_TOPOLOGY.contentLibraries.map((l) => `contentLibraries/${l.name}`),
    ...DEFAULT_VM_CLASSES.map((c) => `vmClasses/${c.name}`),
  ]);
  return Object.fromEntries(
    Object.entries(doc).map(([section, value]) => [section, Array.isArray(value) ? value.filter((e: { name?: string }) => !defaults.has(`${section}/${e.name}`)) : value]),
  );
}

/**
 * The environment's topology, read back through parseTopology (so the document is valid), and the
 * YAML of what it adds to the default topology.
 */
export function environmentTopology(refs: References): { yaml: string; topology: Topology } {
  const doc = environmentTopologyDocument(refs);
  const topology = parseTopology(yaml.dump(doc, { noRefs: true }), 'corpus-environment.yaml');
  return { yaml: yaml.dump(additions(doc), { lineWidth: 160, noRefs: true, flowLevel: 4 }), topology };
}

/** The claim size the environment gives a claim a sample mounts but does not declare. */
const CLAIM_SIZE = '1Gi';

/**
 * Manifests for what a sample names but does not declare: its namespaces, the Secrets its VMs read
 * (with the keys they read) and the claims they mount. `defaultStorageClass` sizes a claim whose VM
 * names no storage class.
 */
export function environmentManifests(objects: readonly ManifestObject[], defaultStorageClass: string): Record<string, string> {
  const refs = scanReferences(objects);
  const declared = new Set(objects.map((o) => o.key));
  const docs: Node[] = [];
  for (const ns of [...refs.namespaces].sort()) {
    if (!declared.has(`/Namespace//${ns}`)) docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }
  for (const ns of [...refs.defaultLibraryNamespaces].sort()) {
    if (!objects.some((o) => o.kind === 'NamespacePolicy' && o.namespace === ns)) {
      docs.push({ apiVersion: 'pacific.dev/v1alpha1', kind: 'NamespacePolicy', metadata: { name: 'corpus-environment', namespace: ns }, spec: { defaultContentLibrary: DEFAULT_LIBRARY, writableContentLibraries: [...refs.libraries].sort() } });
    }
  }
  for (const [id, keys] of [...refs.secrets].sort(([a], [b]) => a.localeCompare(b))) {
    const [namespace, name] = id.split('/') as [string, string];
    if (declared.has(`/Secret/${namespace}/${name}`)) continue;
    const data = keys.size ? [...keys].sort() : ['corpus-environment'];
    docs.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, stringData: Object.fromEntries(data.map((k) => [k, 'placeholder written by the corpus environment'])) });
  }
  for (const [id, storageClass] of [...refs.claims].sort(([a], [b]) => a.localeCompare(b))) {
    const [namespace, name] = id.split('/') as [string, string];
    if (declared.has(`/PersistentVolumeClaim/${namespace}/${name}`)) continue;
    docs.push({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name, namespace },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: CLAIM_SIZE } }, storageClassName: storageClass ?? defaultStorageClass },
    });
  }
  return docs.length ? { 'corpus-environment/manifests.yaml': docs.map((d) => yaml.dump(d, { lineWidth: 160 })).join('---\n') } : {};
}

/** The environment's manifests for a sample, validated by the real loader. */
export function environmentObjects(objects: readonly ManifestObject[], defaultStorageClass = DEFAULT_TOPOLOGY.storagePolicies[0]!.name): ManifestObject[] {
  return manifests(environmentManifests(objects, defaultStorageClass));
}
