/** `pacific history`: the last passes, newest first: when, why, what came of it, how long, the plan's digest and counts. */
import type { PassRecord } from './control.js';
import { fetchJson, resolveConnection, type ConnectionOptions } from './client.js';
import { age, document, table } from './output.js';

export async function historyCommand(options: ConnectionOptions & { limit: number; output: 'table' | 'wide' | 'json' | 'yaml' }, out: (t: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  const { items } = await fetchJson<{ items: PassRecord[] }>(resolveConnection(options), 'GET', `/history?limit=${options.limit}`);
  if (options.output === 'json' || options.output === 'yaml') {
    out(document({ items }, options.output));
    return 0;
  }
  const wide = options.output === 'wide';
  const short = (ref: string | null | undefined) => (ref ? ref.replace(/@sha1:([0-9a-f]{12})[0-9a-f]*$/, '@sha1:$1') : '');
  const rows = items.map((p) => [
    String(p.seq),
    age(p.startedAt),
    p.trigger,
    p.result,
    wide ? (p.revision ?? '') : short(p.revision),
    `${p.durationMs}ms`,
    (p.planDigest ?? '').slice(0, wide ? 64 : 12),
    p.counts ? `+${p.counts.create} ~${p.counts.update} -${p.counts.delete}` : '',
    p.counts ? String(p.counts.notReady) : '',
    ...(wide ? [p.scope ?? '', p.error ?? ''] : []),
  ]);
  if (!rows.length) process.stderr.write('No passes recorded yet.\n');
  else out(table(['PASS', 'AGE', 'TRIGGER', 'RESULT', 'REVISION', 'DURATION', 'PLAN', 'CHANGES', 'NOT READY', ...(wide ? ['SCOPE', 'ERROR'] : [])], rows));
  return 0;
}
