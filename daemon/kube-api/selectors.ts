/**
 * Label and field selectors as the API server reads them. Labels: `a=b`, `a==b`, `a!=b`,
 * `a in (x,y)`, `a notin (x)`, `a`, `!a`, comma-separated (all must hold). Fields: `path=value`,
 * `path==value`, `path!=value` over the fields each resource supports (metadata.name and
 * metadata.namespace everywhere; status.phase and spec.nodeName for pods; involvedObject.* and
 * reason/type for events). An unsupported field is a 400, as from the API server.
 */

export type Labels = Readonly<Record<string, string>> | undefined;
export type Matcher<T> = (value: T) => boolean;

export class SelectorError extends Error {}

/** Splits on commas outside parentheses. */
function terms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((t) => t.trim()).filter(Boolean);
}

const KEY = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/;

function labelTerm(term: string): Matcher<Labels> {
  let m = /^(\S+?)\s+(in|notin)\s+\((.*)\)$/.exec(term);
  if (m) {
    const [, key, op, list] = m;
    const values = new Set(list!.split(',').map((v) => v.trim()));
    if (!KEY.test(key!)) throw new SelectorError(`invalid label key "${key}"`);
    return op === 'in' ? (l) => l?.[key!] !== undefined && values.has(l[key!]!) : (l) => l?.[key!] === undefined || !values.has(l[key!]!);
  }
  m = /^(.+?)\s*(==|!=|=)\s*(.*)$/.exec(term);
  if (m) {
    const [, key, op, value] = m;
    if (!KEY.test(key!)) throw new SelectorError(`invalid label key "${key}"`);
    return op === '!=' ? (l) => l?.[key!] !== value : (l) => l?.[key!] === value;
  }
  if (term.startsWith('!')) {
    const key = term.slice(1).trim();
    if (!KEY.test(key)) throw new SelectorError(`invalid label key "${key}"`);
    return (l) => l?.[key] === undefined;
  }
  if (!KEY.test(term)) throw new SelectorError(`unable to parse requirement: "${term}"`);
  return (l) => l?.[term] !== undefined;
}

/** A matcher for a label selector (everything when absent or empty). */
export function labelSelector(text: string | null | undefined): Matcher<Labels> {
  if (!text) return () => true;
  const all = terms(text).map(labelTerm);
  return (labels) => all.every((m) => m(labels));
}

/** Reads a field of an object for a field selector; undefined when the resource has no such field. */
export type FieldReader = (field: string) => ((object: Record<string, unknown>) => string) | undefined;

const at =
  (...path: string[]) =>
  (object: Record<string, unknown>): string => {
    let node: unknown = object;
    for (const p of path) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[p] : undefined;
    return node === undefined || node === null ? '' : String(node);
  };

const COMMON: Record<string, (o: Record<string, unknown>) => string> = { 'metadata.name': at('metadata', 'name'), 'metadata.namespace': at('metadata', 'namespace') };
const BY_KIND: Record<string, Record<string, (o: Record<string, unknown>) => string>> = {
  Pod: { 'status.phase': at('status', 'phase'), 'spec.nodeName': at('spec', 'nodeName'), 'status.podIP': at('status', 'podIP') },
  Event: Object.fromEntries([
    // events.k8s.io calls the object `regarding`; either name reads either shape.
    ...['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'].flatMap((f) => {
      const read = (o: Record<string, unknown>) => at('involvedObject', f)(o) || at('regarding', f)(o);
      return [[`involvedObject.${f}`, read] as const, [`regarding.${f}`, read] as const];
    }),
    ['reason', at('reason')],
    ['type', at('type')],
    ['source', at('source', 'component')],
  ]),
  Secret: { type: at('type') },
  // A Node is rendered from a host, never declared (no definition types it): its spec is read as rendered.
  Node: { 'spec.unschedulable': (o) => String(!!(o['spec'] as { unschedulable?: boolean } | undefined)?.unschedulable) },
};

/** A matcher for a field selector of a kind, over the rendered object. */
export function fieldSelector(kind: string, text: string | null | undefined): Matcher<Record<string, unknown>> {
  if (!text) return () => true;
  const fields = { ...COMMON, ...BY_KIND[kind] };
  const all = terms(text).map((term) => {
    const m = /^([^=!]+?)\s*(==|!=|=)\s*(.*)$/.exec(term);
    if (!m) throw new SelectorError(`invalid field selector: "${term}"`);
    const [, field, op, value] = m;
    const read = fields[field!];
    if (!read) throw new SelectorError(`"${field}" is not a known field selector: only "${Object.keys(fields).join('", "')}"`);
    return op === '!=' ? (o: Record<string, unknown>) => read(o) !== value : (o: Record<string, unknown>) => read(o) === value;
  });
  return (o) => all.every((m) => m(o));
}
