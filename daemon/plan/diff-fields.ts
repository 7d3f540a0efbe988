/**
 * Field-level differences between two JSON values. Lists whose items carry a key field are paired
 * by key, so reordering is not a change and an edit names `interfaces[name=eth0].network`: a
 * map-type list of a schema-normalized spec by its `x-kubernetes-list-map-keys` (vAppConfig
 * properties by `key`, write_files by `path`), any other list by `name` when every item has a
 * unique one. Lists that cannot be paired compare whole, canonically: key order does not matter.
 */
import { mapListKeys } from '../manifests/normalize.js';
import type { FieldChange } from './contract.js';

export type ListKeys = (path: string) => readonly string[] | undefined;

const DEFAULT_KEYS = ['name'];

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function join(path: string, key: string): string {
  return /^[A-Za-z_][\w-]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
}

function keyOf(item: unknown, keys: readonly string[]): string | undefined {
  if (!isObject(item) || !keys.every((k) => typeof item[k] === 'string' || typeof item[k] === 'number')) return undefined;
  return keys.map((k) => `${k}=${String(item[k])}`).join(',');
}

/** JSON text of a value with every object's keys sorted: equal for equal values, whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (isObject(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));
}

/** The keys to pair a list's items by: the schema's map keys, the caller's, else `name`. */
function keysOf(from: readonly unknown[], to: readonly unknown[], path: string, listKeys: ListKeys): readonly string[] {
  return mapListKeys(to) ?? mapListKeys(from) ?? listKeys(path) ?? DEFAULT_KEYS;
}

/** Every leaf that differs between `from` and `to`, with dotted paths below `path`. */
export function diffValues(from: unknown, to: unknown, path = '', listKeys: ListKeys = () => undefined, out: FieldChange[] = []): FieldChange[] {
  if (from === to) return out;
  const fromAbsent = from === undefined;
  const toAbsent = to === undefined;
  // A side that is absent compares as the empty value of the other's shape, so leaves are listed.
  if (fromAbsent && (isObject(to) || Array.isArray(to))) from = Array.isArray(to) ? [] : {};
  if (toAbsent && (isObject(from) || Array.isArray(from))) to = Array.isArray(from) ? [] : {};
  if (isObject(from) && isObject(to)) {
    for (const key of new Set([...Object.keys(from), ...Object.keys(to)])) diffValues(from[key], to[key], join(path, key), listKeys, out);
    return out;
  }
  if (Array.isArray(from) && Array.isArray(to)) {
    const keys = keysOf(from, to, path, listKeys);
    const fromKeys = from.map((i) => keyOf(i, keys));
    const toKeys = to.map((i) => keyOf(i, keys));
    const keyed = fromKeys.every((k) => k !== undefined) && toKeys.every((k) => k !== undefined) && new Set(toKeys).size === toKeys.length && new Set(fromKeys).size === fromKeys.length;
    if (keyed && (from.length || to.length)) {
      const before = new Map(from.map((item, i) => [fromKeys[i]!, item]));
      const after = new Map(to.map((item, i) => [toKeys[i]!, item]));
      for (const k of new Set([...before.keys(), ...after.keys()])) diffValues(before.get(k), after.get(k), `${path}[${k}]`, listKeys, out);
      return out;
    }
    if (canonicalJson(from) !== canonicalJson(to)) out.push(fromAbsent ? { path, to } : toAbsent ? { path, from } : { path, from, to });
    return out;
  }
  if (from === undefined) out.push({ path, to });
  else if (to === undefined) out.push({ path, from });
  else if (canonicalJson(from) !== canonicalJson(to)) out.push({ path, from, to });
  return out;
}
