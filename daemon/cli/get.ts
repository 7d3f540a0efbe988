/**
 * `pacific get [kind] [name]`: objects as the daemon reports them, in kubectl's shapes: a table
 * (`-o wide` adds the source and the message), `-o json|yaml` (a `List`, or the object when named),
 * `-o name`; `-w` prints the list, then a row for every object whose health or reason changes.
 */
import type { Condition } from '../plan/contract.js';
import { call, failure, fetchJson, resolveConnection, CommandError, type Connection, type ConnectionOptions } from './client.js';
import { document, sleep, table, type Format } from './output.js';

export interface GetOptions extends ConnectionOptions {
  readonly namespace?: string;
  readonly allNamespaces?: boolean;
  readonly output?: Format;
  readonly watch?: boolean;
  /** How often `-w` looks for news (default 1 s). */
  readonly pollMs?: number;
}

interface ObjectDoc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  status: { health: string; conditions: Condition[] };
}

interface ObjectList {
  items: ObjectDoc[];
}

/** `kind.group/name`, as `kubectl get -o name` prints it (the core group has no suffix). */
export function resourceName(o: ObjectDoc): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  return `${o.kind.toLowerCase()}${group ? `.${group}` : ''}/${o.metadata.name}`;
}

function row(o: ObjectDoc, columns: { namespace: boolean; kind: boolean; wide: boolean }): string[] {
  const ready = o.status.conditions.find((c) => c.type === 'Ready') ?? o.status.conditions[0];
  return [
    ...(columns.namespace ? [o.metadata.namespace ?? ''] : []),
    ...(columns.kind ? [o.kind] : []),
    o.metadata.name,
    ready?.status ?? 'Unknown',
    o.status.health,
    ready?.reason ?? '',
    ...(columns.wide ? [o.metadata.annotations?.['pacific.dev/source'] ?? '', ready?.message ?? ''] : []),
  ];
}

function header(columns: { namespace: boolean; kind: boolean; wide: boolean }): string[] {
  return [...(columns.namespace ? ['NAMESPACE'] : []), ...(columns.kind ? ['KIND'] : []), 'NAME', 'READY', 'STATUS', 'REASON', ...(columns.wide ? ['SOURCE', 'MESSAGE'] : [])];
}

/** The namespace a command reads: `-n`, none with `-A`, else the kubeconfig context's (else all). */
export function namespaceOf(options: { namespace?: string; allNamespaces?: boolean }, conn: Connection): string | undefined {
  if (options.namespace && options.allNamespaces) throw new CommandError('error: a resource cannot be retrieved by name across all namespaces; use either -n or -A', 1);
  return options.allNamespaces ? undefined : (options.namespace ?? conn.namespace);
}

export async function getCommand(kind: string | undefined, name: string | undefined, options: GetOptions, out: (text: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  const conn = resolveConnection(options);
  const namespace = namespaceOf(options, conn);
  const wanted = kind && kind !== 'all' ? kind : undefined;
  const query = new URLSearchParams({ ...(wanted ? { kind: wanted } : {}), ...(namespace ? { namespace } : {}), ...(name ? { name } : {}) });
  const list = async () => fetchJson<ObjectList>(conn, 'GET', `/status/objects?${query}`);
  const first = await list();
  if (name && !first.items.length) throw new CommandError(`Error from server (NotFound): ${wanted ?? 'object'} "${name}" not found${namespace ? ` in namespace ${namespace}` : ''}`);
  const format = options.output ?? 'table';
  const columns = { namespace: namespace === undefined, kind: !wanted, wide: format === 'wide' };
  if (format === 'json' || format === 'yaml') {
    out(document(name && first.items.length === 1 ? first.items[0] : { apiVersion: 'v1', kind: 'List', items: first.items, metadata: { resourceVersion: '' } }, format));
  } else if (format === 'name') {
    out(first.items.map((o) => `${resourceName(o)}\n`).join(''));
  } else if (!first.items.length) {
    process.stderr.write(namespace ? `No resources found in ${namespace} namespace.\n` : 'No resources found\n');
  } else out(table(header(columns), first.items.map((o) => row(o, columns))));
  if (!options.watch) return 0;
  return watch(conn, list, first.items, (o) => (format === 'name' ? `${resourceName(o)}\n` : format === 'json' || format === 'yaml' ? document(o, format) : table(undefined, [row(o, columns)])), out, options.pollMs ?? 1000);
}

/** Follows the event log; after news, prints the objects whose Ready changed. Runs until the process is stopped. */
async function watch(conn: Connection, list: () => Promise<ObjectList>, initial: readonly ObjectDoc[], render: (o: ObjectDoc) => string, out: (text: string) => void, pollMs: number): Promise<number> {
  const seen = new Map(initial.map((o) => [key(o), fingerprint(o)]));
  let after = (await fetchJson<{ lastSeq: number }>(conn, 'GET', '/events?limit=1')).lastSeq;
  for (;;) {
    await sleep(pollMs);
    const news = await call(conn, 'GET', `/events?after=${after}&limit=2000`);
    if (news.status !== 200) throw failure(news);
    const { lastSeq } = news.body as { lastSeq: number };
    if (lastSeq === after) continue;
    after = lastSeq;
    for (const o of (await list()).items) {
      const print = fingerprint(o);
      if (seen.get(key(o)) === print) continue;
      seen.set(key(o), print);
      out(render(o));
    }
  }
}

const key = (o: ObjectDoc) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const fingerprint = (o: ObjectDoc) => JSON.stringify([o.status.health, o.status.conditions.map((c) => [c.type, c.status, c.reason, c.message])]);
