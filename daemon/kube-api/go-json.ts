/**
 * JSON as Go's encoding/json writes a map: keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped,
 * and (from json.Encoder) a trailing newline. kubectl writes its last-applied-configuration
 * annotation this way; serving the same bytes makes a 3-way patch of an unchanged manifest empty.
 */
const ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

function encode(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(encode).join(',')}]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
    return `{${keys.map((k) => `${encode(k)}:${encode((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  if (typeof value === 'string') return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => ESCAPES[c]!);
  return JSON.stringify(value);
}

/** `value` as `json.NewEncoder(w).Encode(value)` writes it. */
export function goJson(value: unknown): string {
  return encode(value) + '\n';
}

/**
 * kubectl's last-applied-configuration of a manifest: the object with its namespace set (as kubectl
 * sets it from the file or the context), the annotation itself removed and `annotations` present,
 * encoded as Go encodes it.
 */
export function lastAppliedConfiguration(body: Readonly<Record<string, unknown>>, namespace: string): string {
  const metadata = { ...((body['metadata'] ?? {}) as Record<string, unknown>) };
  const annotations = { ...((metadata['annotations'] ?? {}) as Record<string, string>) };
  delete annotations[LAST_APPLIED];
  metadata['annotations'] = annotations;
  if (namespace) metadata['namespace'] = namespace;
  return goJson({ ...body, metadata });
}

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
