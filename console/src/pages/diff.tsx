/**
 * Diff: paste manifests (or start from an object's declaration) and see what pacific would do with
 * each, through the Kubernetes API's server-side dry run: the object it would hold, the fields that
 * change against the live one, and its admission verdict (quota, class, placement, tenancy).
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, request } from '../api';
import { Loading, Page } from '../components';

interface Resource {
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

interface Verdict {
  readonly title: string;
  readonly action: 'create' | 'update' | 'unchanged' | 'refused' | 'invalid' | 'error';
  readonly message?: string;
  readonly fields: readonly { path: string; from: unknown; to: unknown }[];
}

type Obj = Record<string, unknown>;

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): Map<string, unknown> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Obj)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (Array.isArray(value)) value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  else out.set(prefix, value);
  return out;
}

/** Field changes between two objects' spec, data and labels. */
function changes(before: Obj | undefined, after: Obj): { path: string; from: unknown; to: unknown }[] {
  const pick = (o: Obj | undefined) => ({ spec: o?.['spec'], data: o?.['data'], labels: (o?.['metadata'] as Obj | undefined)?.['labels'] });
  const a = flatten(pick(before), '', new Map());
  const b = flatten(pick(after), '', new Map());
  const out: { path: string; from: unknown; to: unknown }[] = [];
  for (const path of new Set([...a.keys(), ...b.keys()])) if (JSON.stringify(a.get(path)) !== JSON.stringify(b.get(path))) out.push({ path, from: a.get(path), to: b.get(path) });
  return out.sort((x, y) => (x.path < y.path ? -1 : 1));
}

async function dryRun(doc: Obj, resources: readonly Resource[]): Promise<Verdict> {
  const apiVersion = String(doc['apiVersion'] ?? '');
  const kind = String(doc['kind'] ?? '');
  const meta = (doc['metadata'] ?? {}) as Obj;
  const name = String(meta['name'] ?? '');
  const namespace = String(meta['namespace'] ?? '');
  const title = `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
  const r = resources.find((x) => x.group === group && x.kind === kind);
  if (!r) return { title, action: 'invalid', message: `pacific serves no ${kind} in ${apiVersion || 'no apiVersion'}`, fields: [] };
  if (r.namespaced && !namespace) return { title, action: 'invalid', message: 'metadata.namespace is needed here (a file under namespaces/<ns>/ gets it from its folder)', fields: [] };
  const path = `${group ? `/apis/${apiVersion}` : `/api/${apiVersion}`}${r.namespaced ? `/namespaces/${namespace}` : ''}/${r.plural}/${encodeURIComponent(name)}`;
  const live = await request<Obj>(path).catch((err: unknown) => {
    if (err instanceof ApiError && err.status === 404) return undefined;
    throw err;
  });
  try {
    const after = await request<Obj>(`${path}?dryRun=All&fieldManager=pacific-console&force=true`, { method: 'PATCH', headers: { 'content-type': 'application/apply-patch+yaml' }, body: JSON.stringify(doc) });
    const fields = changes(live, after);
    return { title, action: !live ? 'create' : fields.length ? 'update' : 'unchanged', message: 'admitted: quota, class, storage and placement allow it', fields };
  } catch (err) {
    const status = err instanceof ApiError ? err.status : 0;
    return { title, action: status === 422 ? 'invalid' : status === 403 ? 'refused' : 'error', message: (err as Error).message, fields: [] };
  }
}

const show = (v: unknown) => (v === undefined ? '—' : JSON.stringify(v));

export function DiffPage(props: { objectKey?: string | undefined }) {
  const [text, setText] = useState('');
  const [resources, setResources] = useState<readonly Resource[]>();
  const [result, setResult] = useState<{ busy?: boolean; verdicts?: Verdict[]; error?: string }>({});
  useEffect(() => {
    request<Resource[]>('/console/api/resources').then(setResources, (err: Error) => setResult({ error: err.message }));
  }, []);
  useEffect(() => {
    if (props.objectKey) request<{ declared?: { yaml?: string } }>(`/console/api/object?key=${encodeURIComponent(props.objectKey)}`).then((v) => setText(v.declared?.yaml ?? ''), () => undefined);
  }, [props.objectKey]);
  const plan = async (e: Event) => {
    e.preventDefault();
    setResult({ busy: true });
    try {
      const { loadAll } = await import('js-yaml');
      const docs = loadAll(text).filter((d): d is Obj => !!d && typeof d === 'object');
      const verdicts: Verdict[] = [];
      for (const d of docs) verdicts.push(await dryRun(d, resources ?? []));
      setResult({ verdicts });
    } catch (err) {
      setResult({ error: (err as Error).message });
    }
  };
  return (
    <Page title="Diff">
      {!resources ? <Loading error={result.error} /> : (
        <form class="card" onSubmit={plan}>
          <label for="manifests">Manifests (YAML, several documents separated by <code>---</code>)</label>
          <textarea id="manifests" rows={16} spellcheck={false} value={text} onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)} />
          <button type="submit" disabled={result.busy || !text.trim()}>Plan</button>
          <p class="hint">A server-side dry run of each document against the live inventory: nothing is applied; push to Git to apply.</p>
        </form>
      )}
      {result.error ? <p class="error" role="alert">{result.error}</p> : null}
      {result.verdicts ? (
        <section class="card" aria-labelledby="plan-title" aria-live="polite">
          <h2 id="plan-title">Plan</h2>
          {result.verdicts.map((v, i) => (
            <article key={i} class={`verdict verdict-${v.action}`} data-testid="verdict">
              <h3><span class={`badge action-${v.action}`}>{v.action}</span> {v.title}</h3>
              {v.message ? <p class="message">{v.message}</p> : null}
              {v.fields.length ? (
                <table class="grid">
                  <caption class="visually-hidden">Field changes of {v.title}</caption>
                  <thead><tr><th scope="col">Field</th><th scope="col">From</th><th scope="col">To</th></tr></thead>
                  <tbody>{v.fields.map((f) => <tr key={f.path}><td><code>{f.path}</code></td><td><code>{show(f.from)}</code></td><td><code>{show(f.to)}</code></td></tr>)}</tbody>
                </table>
              ) : null}
            </article>
          ))}
        </section>
      ) : null}
    </Page>
  );
}
