/**
 * The patches kubectl sends: JSON merge patch (RFC 7386, custom kinds) and strategic merge patch
 * (built-in kinds): lists with a merge key merge item by item (containers, volumes and env by name,
 * container ports by containerPort, Service ports by port, volumeMounts by mountPath), and the
 * directives kubectl writes: `$patch: delete|replace|merge`, `$setElementOrder/<list>`,
 * `$retainKeys`, `$deleteFromPrimitiveList/<list>`. JSON patch is refused (kubectl does not send it).
 */

type Json = unknown;
type Obj = Record<string, Json>;

const isObject = (v: Json): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** RFC 7386: objects merge, null deletes, anything else replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const out: Obj = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Merge keys of built-in lists, by field name (ports depend on what their items hold). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  imagePullSecrets: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  ownerReferences: 'uid',
  conditions: 'type',
  resourceClaims: 'name',
};

function mergeKeyOf(field: string, items: readonly Json[]): string | undefined {
  if (field === 'ports') return items.some((i) => isObject(i) && 'containerPort' in i) ? 'containerPort' : 'port';
  return MERGE_KEYS[field];
}

function strategicList(field: string, target: Json, patch: readonly Json[], order: readonly Json[] | undefined): Json[] {
  const current = Array.isArray(target) ? target : [];
  const key = mergeKeyOf(field, [...current, ...patch]);
  if (!key || !patch.every((p) => isObject(p))) return [...patch];
  if (patch.some((p) => isObject(p) && p['$patch'] === 'replace')) return patch.filter((p) => !(isObject(p) && p['$patch'] === 'replace'));
  const out: Json[] = current.map((c) => c);
  for (const item of patch as Obj[]) {
    const index = out.findIndex((c) => isObject(c) && c[key] === item[key]);
    if (item['$patch'] === 'delete') {
      if (index >= 0) out.splice(index, 1);
      continue;
    }
    if (index >= 0) out[index] = strategicMergePatch(out[index], item);
    else out.push(strategicMergePatch(undefined, item));
  }
  if (!order) return out;
  // `$setElementOrder` lists every item's key in the wanted order; the rest keep theirs, after.
  const rank = new Map(order.map((o, i) => [JSON.stringify(isObject(o) ? o[key] : o), i]));
  return out
    .map((item, i) => ({ item, i, r: rank.get(JSON.stringify(isObject(item) ? item[key] : item)) ?? order.length + i }))
    .sort((a, b) => a.r - b.r)
    .map((x) => x.item);
}

/** A strategic merge patch applied to `target`. */
export function strategicMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  if (patch['$patch'] === 'delete') return undefined;
  const replace = patch['$patch'] === 'replace';
  const out: Obj = isObject(target) && !replace ? { ...target } : {};
  const orders = new Map<string, Json[]>();
  let retain: string[] | undefined;
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch') continue;
    if (k === '$retainKeys') {
      retain = v as string[];
      continue;
    }
    if (k.startsWith('$setElementOrder/')) {
      orders.set(k.slice('$setElementOrder/'.length), v as Json[]);
      continue;
    }
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      const gone = new Set((v as Json[]).map((x) => JSON.stringify(x)));
      if (Array.isArray(out[field])) out[field] = (out[field] as Json[]).filter((x) => !gone.has(JSON.stringify(x)));
      continue;
    }
    if (v === null) delete out[k];
    else if (Array.isArray(v)) out[k] = strategicList(k, out[k], v, orders.get(k));
    else {
      const merged = strategicMergePatch(out[k], v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    }
  }
  // An order for a list the patch did not touch still reorders it.
  for (const [field, order] of orders) if (!(field in patch) && Array.isArray(out[field])) out[field] = strategicList(field, out[field], [], order);
  if (retain) for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  return out;
}

export type PatchType = 'merge' | 'strategic' | 'apply' | 'json';

/** The patch type of a Content-Type. */
export function patchTypeOf(contentType: string | undefined): PatchType | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim();
  switch (type) {
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+cbor':
      return 'apply';
    case 'application/json-patch+json':
      return 'json';
    default:
      return undefined;
  }
}
