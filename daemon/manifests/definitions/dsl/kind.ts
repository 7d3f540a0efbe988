import { obj, str, mapOf, list, time, int, anyValue, bool, type Schema } from './builders.js';

/** How a kind's metadata.name is checked: Kubernetes uses DNS-1123 labels for some kinds, subdomains for most. */
export type NameFormat = 'dns-label' | 'dns-subdomain';

/** One served group/version/kind and the schema of its body. */
export interface KindDefinition {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly nameFormat: NameFormat;
  /** Top-level fields besides apiVersion/kind/metadata/status (usually just `spec`). */
  readonly fields: Record<string, Schema>;
  readonly required?: readonly string[];
}

const ownerReference = obj(
  {
    apiVersion: str(),
    kind: str(),
    name: str(),
    uid: str(),
    controller: bool(),
    blockOwnerDeletion: bool(),
  },
  { required: ['apiVersion', 'kind', 'name', 'uid'] },
);

/**
 * ObjectMeta as the API server knows it. Server-populated fields are accepted (exported manifests
 * carry them) and ignored by the planner; unknown fields are errors, as with kubectl --validate=strict.
 */
export function objectMeta(nameFormat: NameFormat): Schema {
  const name = nameFormat === 'dns-label'
    ? str({ format: 'dns1123-label', maxLength: 63 })
    : str({ format: 'dns1123-subdomain', maxLength: 253 });
  return obj(
    {
      name,
      namespace: str({ format: 'dns1123-label', maxLength: 63 }),
      labels: mapOf(str()),
      annotations: mapOf(str()),
      finalizers: list(str()),
      ownerReferences: list(ownerReference),
      generateName: str(),
      uid: str(),
      resourceVersion: str(),
      generation: int(),
      creationTimestamp: time(),
      deletionTimestamp: time(),
      deletionGracePeriodSeconds: int(),
      selfLink: str(),
      managedFields: list(anyValue()),
    },
    { required: ['name'] },
  );
}

/** The whole-document schema of a kind, as written to `schemas/<group>/<version>/<Kind>.json`. */
export function documentSchema(def: KindDefinition): Schema {
  const apiVersion = def.group ? `${def.group}/${def.version}` : def.version;
  return {
    $id: schemaId(def),
    'x-pacific-kind': { group: def.group, version: def.version, kind: def.kind, namespaced: def.namespaced },
    ...obj(
      {
        apiVersion: { type: 'string', const: apiVersion },
        kind: { type: 'string', const: def.kind },
        metadata: objectMeta(def.nameFormat),
        ...def.fields,
      },
      { required: ['apiVersion', 'kind', 'metadata', ...(def.required ?? [])] },
    ),
  };
}

/** The ajv `$id` of a kind's schema. */
export function schemaId(def: Pick<KindDefinition, 'group' | 'version' | 'kind'>): string {
  return `https://pacific.dev/schemas/${def.group || 'core'}/${def.version}/${def.kind}.json`;
}

/** Where a kind's schema lives below `schemas/`. */
export function schemaPath(def: Pick<KindDefinition, 'group' | 'version' | 'kind'>): string {
  return `${def.group || 'core'}/${def.version}/${def.kind}.json`;
}
