/**
 * Canonical form of a manifest body, driven by its schema, so the planner never reports a
 * spelling as drift: quantities get one spelling (`4096Mi` == `4Gi`), and absent fields take the
 * schema's `default` as the API server's structural defaulting fills them (so writing a default
 * and leaving it out compare equal). A map-type list of the canonical form remembers its
 * `x-kubernetes-list-map-keys` (`mapListKeys`), so a diff pairs its items by key.
 */
import { canonicalQuantity } from '../base/quantity.js';

type SchemaNode = Record<string, unknown>;

const listKeys = new WeakMap<readonly unknown[], readonly string[]>();

/** The keys of a map-type list that `normalizeBySchema` returned (`x-kubernetes-list-map-keys`), else undefined. */
export function mapListKeys(list: readonly unknown[]): readonly string[] | undefined {
  return listKeys.get(list);
}

/** The body with every quantity-typed field in canonical form; other values unchanged. */
export function normalizeBySchema(schema: SchemaNode | undefined, value: unknown): unknown {
  if (!schema || value === null || value === undefined) return value;
  if (schema['format'] === 'quantity' && (typeof value === 'string' || typeof value === 'number')) return canonicalQuantity(value);
  if (Array.isArray(value)) {
    const items = schema['items'] as SchemaNode | undefined;
    const keys = schema['x-kubernetes-list-type'] === 'map' ? (schema['x-kubernetes-list-map-keys'] as string[] | undefined) : undefined;
    if (!items && !keys) return value;
    const list = items ? value.map((v) => normalizeBySchema(items, v)) : [...value];
    if (keys) listKeys.set(list, keys);
    return list;
  }
  if (typeof value === 'object') {
    const properties = (schema['properties'] ?? {}) as Record<string, SchemaNode>;
    const additional = typeof schema['additionalProperties'] === 'object' ? (schema['additionalProperties'] as SchemaNode) : undefined;
    if (!schema['properties'] && !additional) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = normalizeBySchema(properties[k] ?? additional, v);
    for (const [k, p] of Object.entries(properties)) {
      if (out[k] === undefined && p['default'] !== undefined) out[k] = normalizeBySchema(p, structuredClone(p['default']));
    }
    return out;
  }
  return value;
}
