/** `pacific events [-n ns | -A] [-w]`: the event log as `kubectl events` prints it; `-w` follows it from the last sequence number seen. */
import type { StoredEvent } from '../store/types.js';
import { fetchJson, resolveConnection, type ConnectionOptions } from './client.js';
import { namespaceOf } from './get.js';
import { age, document, sleep, table } from './output.js';

export interface EventsOptions extends ConnectionOptions {
  readonly namespace?: string;
  readonly allNamespaces?: boolean;
  readonly output?: 'table' | 'json' | 'yaml';
  readonly watch?: boolean;
  readonly limit?: number;
  readonly pollMs?: number;
}

interface EventPage {
  items: StoredEvent[];
  lastSeq: number;
}

const HEADER = ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'];
const row = (e: StoredEvent): string[] => [age(e.time), e.type, e.reason, e.object, e.message];

export async function eventsCommand(options: EventsOptions, out: (text: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  const conn = resolveConnection(options);
  const namespace = namespaceOf(options, conn);
  const ns = namespace ? `&namespace=${encodeURIComponent(namespace)}` : '';
  const page = await fetchJson<EventPage>(conn, 'GET', `/events?limit=${options.limit ?? 100}${ns}`);
  const print = (events: readonly StoredEvent[], withHeader: boolean) => {
    if (options.output === 'json' || options.output === 'yaml') for (const e of events) out(document(e, options.output));
    else if (events.length) out(table(withHeader ? HEADER : undefined, events.map(row)));
  };
  if (!page.items.length && !options.watch && options.output !== 'json' && options.output !== 'yaml') process.stderr.write(namespace ? `No events found in ${namespace} namespace.\n` : 'No events found.\n');
  print(page.items, true);
  if (!options.watch) return 0;
  let after = page.lastSeq;
  let header = !page.items.length;
  for (;;) {
    await sleep(options.pollMs ?? 1000);
    const next = await fetchJson<EventPage>(conn, 'GET', `/events?after=${after}&limit=2000${ns}`);
    after = next.lastSeq;
    print(next.items, header && next.items.length > 0);
    if (next.items.length) header = false;
  }
}
