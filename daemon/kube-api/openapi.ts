/**
 * OpenAPI v3 as kubectl reads it: a root listing one document per group-version (cached by client
 * through `?hash=`), and per group-version documents built from `schemas/` with each kind's path
 * (`get` and `patch` tagged with x-kubernetes-group-version-kind; `patch` declares the
 * `fieldValidation` parameter `kubectl apply` looks for) and its schema, metadata a $ref to
 * ObjectMeta. `kubectl explain` and `kubectl apply`/`diff` work from these.
 */
import { createHash } from 'node:crypto';
import type { SchemaRegistry } from '../manifests/schema-registry.js';
import { SUPERVISOR_KUBERNETES } from './inventory-objects.js';
import type { ResourceTable } from './resources.js';

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

const META_SCHEMA = {
  description: 'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
  type: 'object',
  properties: {
    name: { type: 'string', description: 'Name must be unique within a namespace.' },
    namespace: { type: 'string', description: 'Namespace defines the space within which each name must be unique.' },
    labels: { type: 'object', additionalProperties: { type: 'string', default: '' }, description: 'Map of string keys and values that can be used to organize and categorize objects.' },
    annotations: { type: 'object', additionalProperties: { type: 'string', default: '' }, description: 'Annotations is an unstructured key value map stored with a resource.' },
    uid: { type: 'string' },
    resourceVersion: { type: 'string' },
    generation: { type: 'integer', format: 'int64' },
    creationTimestamp: { type: 'string', format: 'date-time' },
    ownerReferences: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
  },
};

/** A Kubernetes-style schema name: reversed group domain, version, kind (`com.vmware.vmoperator.v1alpha5.VirtualMachine`). */
function schemaName(group: string, version: string, kind: string): string {
  const domain = group ? group.split('.').reverse().join('.') : 'io.k8s.api.core';
  return `${domain}.${version}.${kind}`;
}

function clean(schema: Record<string, unknown>): Record<string, unknown> {
  const { $id: _id, 'x-pacific-kind': _k, ...rest } = schema;
  const properties = { ...(rest['properties'] as Record<string, unknown>), metadata: { $ref: `#/components/schemas/${OBJECT_META}` } };
  return { ...rest, properties };
}

export class OpenApi {
  private readonly docs = new Map<string, { body: string; hash: string }>();

  constructor(
    private readonly table: ResourceTable,
    private readonly schemas: SchemaRegistry,
  ) {}

  /** `api/v1` or `apis/<group>/<version>`. */
  private static pathOf(group: string, version: string): string {
    return group ? `apis/${group}/${version}` : `api/${version}`;
  }

  /** The document of a group-version (`api/v1`, `apis/g/v`), or undefined when none is served there. */
  document(path: string): { body: string; hash: string } | undefined {
    const cached = this.docs.get(path);
    if (cached) return cached;
    const built = this.build(path);
    if (built) this.docs.set(path, built);
    return built;
  }

  root(): unknown {
    const paths: Record<string, unknown> = {};
    for (const g of this.table.groups()) {
      for (const version of g.versions) {
        const path = OpenApi.pathOf(g.group, version);
        const doc = this.document(path);
        if (doc) paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${doc.hash}` };
      }
    }
    return { paths };
  }

  private build(path: string): { body: string; hash: string } | undefined {
    const m = /^(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (!m) return undefined;
    const [group, version] = m[1] ? ['', m[1]] : [m[2]!, m[3]!];
    const resources = this.table.inGroupVersion(group, version);
    if (!resources.length) return undefined;
    const paths: Record<string, unknown> = {};
    const schemas: Record<string, unknown> = { [OBJECT_META]: META_SCHEMA };
    for (const r of resources) {
      const gvk = { group, version, kind: r.kind };
      const name = schemaName(group, version, r.kind);
      const schema = this.schemas.schema(group, version, r.kind);
      schemas[name] = { ...(schema ? clean(schema as Record<string, unknown>) : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }), 'x-kubernetes-group-version-kind': [gvk] };
      const response = { '200': { description: 'OK', content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } } };
      const prefix = `/${OpenApi.pathOf(group, version)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}`;
      const params = [{ name: 'name', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } }, ...(r.namespaced ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } }] : [])];
      const query = (n: string) => ({ name: n, in: 'query', schema: { type: 'string', uniqueItems: true } });
      paths[`${prefix}/{name}`] = {
        parameters: params,
        get: { operationId: `read${r.kind}`, 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk, responses: response },
        patch: {
          operationId: `patch${r.kind}`,
          'x-kubernetes-action': 'patch',
          'x-kubernetes-group-version-kind': gvk,
          parameters: [query('dryRun'), query('fieldManager'), query('fieldValidation'), { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } }],
          requestBody: { content: { 'application/merge-patch+json': { schema: { type: 'object' } }, 'application/apply-patch+yaml': { schema: { type: 'object' } } } },
          responses: response,
        },
      };
      paths[prefix] = { parameters: params.slice(1), get: { operationId: `list${r.kind}`, 'x-kubernetes-action': 'list', 'x-kubernetes-group-version-kind': gvk, responses: { '200': { description: 'OK' } } } };
    }
    const body = JSON.stringify({ openapi: '3.0.0', info: { title: 'Kubernetes', version: SUPERVISOR_KUBERNETES.gitVersion }, paths, components: { schemas } });
    return { body, hash: createHash('sha512').update(body).digest('hex').slice(0, 128).toUpperCase() };
  }
}
