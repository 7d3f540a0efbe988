/**
 * Guest bootstrap as vm-operator validates it: which providers may be combined, and the Secrets
 * (and keys) they read, which must exist in the VM's namespace before it is created; the result
 * is the VirtualMachineBootstrapReady condition.
 */
import { findKubeObject } from '../../inventory/kube-object.js';
import type { InventoryReader } from '../../inventory/registry.js';
import { objectKey, type ManifestObject } from '../../manifests/types.js';
import { bootstrapProviders, type Bootstrap } from './virtual-machine-spec.js';

/** The combination rules of vm-operator's validating webhook; undefined when the providers may be combined. */
export function bootstrapConflict(b: Bootstrap | undefined): string | undefined {
  const providers = bootstrapProviders(b);
  if (providers.includes('CloudInit') && providers.length > 1) return 'spec.bootstrap.cloudInit: Forbidden: CloudInit may not be used with any other bootstrap provider';
  if (providers.includes('LinuxPrep') && providers.includes('Sysprep')) return 'spec.bootstrap: Forbidden: LinuxPrep and Sysprep are mutually exclusive';
  return undefined;
}

export interface SecretUse {
  readonly name: string;
  /** The data key read, when the reference names one. */
  readonly key?: string;
  readonly path: string;
}

const DEFAULT_KEYS: Record<string, string> = { rawCloudConfig: 'user-data', rawSysprep: 'unattend' };

/** Every Secret the bootstrap reads: raw configs, vApp raw properties and secret-key selectors. */
export function bootstrapSecrets(b: Bootstrap | undefined): SecretUse[] {
  const uses: SecretUse[] = [];
  const walk = (node: unknown, path: string, field: string) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${path}[${i}]`, field));
      return;
    }
    const o = node as Record<string, unknown>;
    if (typeof o['name'] === 'string' && (typeof o['key'] === 'string' || field in DEFAULT_KEYS)) {
      uses.push({ name: o['name'] as string, key: (o['key'] as string | undefined) ?? DEFAULT_KEYS[field], path });
      return;
    }
    for (const [k, v] of Object.entries(o)) {
      if (k === 'rawProperties' && typeof v === 'string') uses.push({ name: v, path: `${path}.rawProperties` });
      else walk(v, `${path}.${k}`, k);
    }
  };
  walk(b, 'spec.bootstrap', 'bootstrap');
  return uses;
}

/** The data keys a Secret holds, desired in this plan or live; undefined when it does not exist. */
function secretKeys(namespace: string, name: string, inventory: InventoryReader, desired: ReadonlyMap<string, ManifestObject>): Set<string> | undefined {
  const planned = desired.get(objectKey('', 'Secret', namespace, name));
  const body = planned ? (planned.body as Record<string, unknown>) : findKubeObject(inventory, 'Secret', namespace, name)?.object.extra;
  if (!body) return undefined;
  return new Set([...Object.keys((body['data'] as object) ?? {}), ...Object.keys((body['stringData'] as object) ?? {})]);
}

/** Undefined when every Secret the bootstrap reads exists with its key, else vm-operator's reason and message. */
export function bootstrapSecretProblem(namespace: string, b: Bootstrap | undefined, inventory: InventoryReader, desired: ReadonlyMap<string, ManifestObject>): { reason: 'NotFound' | 'RequiredKeyNotFound'; message: string } | undefined {
  for (const use of bootstrapSecrets(b)) {
    const keys = secretKeys(namespace, use.name, inventory, desired);
    if (!keys) return { reason: 'NotFound', message: `${use.path}: secrets "${use.name}" not found` };
    if (use.key && !keys.has(use.key)) return { reason: 'RequiredKeyNotFound', message: `${use.path}: required key "${use.key}" not found in Secret ${use.name}` };
  }
  return undefined;
}
