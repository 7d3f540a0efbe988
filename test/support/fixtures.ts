/** Shared test fixtures: the real schemas, manifests from YAML text, a fresh default inventory. */
import { secretHasher } from '../../daemon/plan/secret-values.js';
import { afterEach, beforeEach } from 'vitest';
import { clock } from './clock.js';
import { tempDir } from './temp.js';
import { SqliteStore } from '../../daemon/store/sqlite-store.js';
import { SchemaRegistry } from '../../daemon/manifests/schema-registry.js';
import { renderSchemas } from '../../daemon/manifests/definitions/generate.js';
import { assembleManifests, loadManifestFile } from '../../daemon/manifests/load.js';
import { formatDiagnostic, type ManifestObject } from '../../daemon/manifests/types.js';
import { buildInventory } from '../../daemon/inventory/build.js';
import { DEFAULT_TOPOLOGY, type Topology } from '../../daemon/inventory/topology.js';
import type { InventoryRegistry } from '../../daemon/inventory/registry.js';
import { plan, type Ownership } from '../../daemon/plan/planner.js';
import { reconcilers } from '../../daemon/reconcilers/index.js';
import type { Plan } from '../../daemon/plan/types.js';

/** The schemas as the definitions render them now (the committed files are checked against these separately). */
export const schemas = SchemaRegistry.fromSchemas([...renderSchemas().values()].map((s) => JSON.parse(s) as Record<string, unknown>));

/** Validated objects of YAML files given as `{path: text}`; throws on any diagnostic. */
export function manifests(files: Record<string, string>): ManifestObject[] {
  const loaded = assembleManifests(Object.entries(files).map(([path, text]) => loadManifestFile(path, new TextEncoder().encode(text), schemas)));
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(errors.map(formatDiagnostic).join('\n'));
  return [...loaded.objects];
}

export function freshInventory(topology: Topology = DEFAULT_TOPOLOGY): InventoryRegistry {
  return buildInventory(topology);
}

export function planOf(desired: readonly ManifestObject[], inventory: InventoryRegistry, ownership: ReadonlyMap<string, Ownership> = new Map(), revision = 'rev-1'): Plan {
  return plan({ revision, reconcilers, desired, inventory, ownership, normalizeSpec: (a, k, s) => schemas.normalizeSpec(a, k, s), secretHash: TEST_SECRET_HASH });
}

/** A fixed salt, so plans holding Secret values are the same on every run (golden files). */
export const TEST_SECRET_HASH = secretHasher('pacific-test-salt');

export function namespaceYaml(name: string, quota?: Record<string, string | number>): string {
  const ns = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;
  if (!quota) return ns;
  const hard = Object.entries(quota)
    .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)
    .join('\n');
  return `${ns}---\napiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: compute\n  namespace: ${name}\nspec:\n  hard:\n${hard}\n`;
}

export interface VmOptions {
  className?: string;
  image?: string;
  powerState?: string;
  apiVersion?: string;
  storageClass?: string;
  labels?: Record<string, string>;
  extra?: string;
}

export function vmYaml(namespace: string, name: string, o: VmOptions = {}): string {
  const labels = o.labels ? `  labels:\n${Object.entries(o.labels).map(([k, v]) => `    ${k}: ${v}`).join('\n')}\n` : '';
  return [
    `apiVersion: ${o.apiVersion ?? 'vmoperator.vmware.com/v1alpha3'}`,
    'kind: VirtualMachine',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    labels.trimEnd(),
    'spec:',
    `  className: ${o.className ?? 'best-effort-small'}`,
    `  imageName: ${o.image ?? 'ubuntu-22.04-cloudimg'}`,
    `  storageClass: ${o.storageClass ?? 'vsan-default-storage-policy'}`,
    ...(o.powerState ? [`  powerState: ${o.powerState}`] : []),
    ...(o.extra ? [o.extra] : []),
    '',
  ]
    .filter((l) => l !== '')
    .join('\n') + '\n';
}

/**
 * A fresh default inventory and a real store in a temp dir for each test of the calling file
 * (registers beforeEach/afterEach); read `.registry` and `.store` inside tests.
 */
export function useInventoryStore(): { registry: InventoryRegistry; store: SqliteStore } {
  const ctx = {} as { registry: InventoryRegistry; store: SqliteStore; cleanup: () => void };
  beforeEach(() => {
    clock.reset();
    const tmp = tempDir();
    ctx.cleanup = tmp.cleanup;
    ctx.store = SqliteStore.open(tmp.dir);
    ctx.registry = freshInventory();
    ctx.store.saveInventory(ctx.registry.all());
  });
  afterEach(() => {
    ctx.store.close();
    ctx.cleanup();
  });
  return ctx;
}
