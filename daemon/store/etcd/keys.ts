/**
 * Where the store keeps each record in etcd, under one prefix (`--store-prefix`, default
 * `/pacific/`). One key per record, so a step rewrites only what it changed, and a watch of the
 * prefix tells a follower exactly what changed.
 */

export const DEFAULT_PREFIX = '/pacific/';

/** Meta keys of the records kept as meta values: the settled mark (as in the SQLite store), the suspend switch and the pass history. */
export const META = { settled: 'settled', suspended: 'suspended', passes: 'pass-history' } as const;

/** Event sequence numbers are zero-padded so key order is append order. */
const SEQ_DIGITS = 16;

export type Family = 'entity' | 'owned' | 'status' | 'meta' | 'event' | 'sync' | 'kube' | 'control';

export class StoreKeys {
  constructor(readonly prefix: string) {
    if (!prefix.startsWith('/') || !prefix.endsWith('/')) throw new Error(`store prefix ${JSON.stringify(prefix)} must start and end with "/"`);
  }

  /** The election key: held, with its lease, by the one leader. */
  get leader(): string {
    return `${this.prefix}leader`;
  }

  /** The writer's sequence (`<leader create revision>:<n>`): every write compares and advances it, so none lands twice or late. */
  get writer(): string {
    return `${this.prefix}writer`;
  }

  /** A write too large for one transaction, committed but not yet rolled forward (`staged.ts`). */
  get commit(): string {
    return `${this.prefix}commit`;
  }

  staged(write: string, chunk?: number): string {
    return `${this.prefix}staged/${write}/${chunk === undefined ? '' : String(chunk).padStart(6, '0')}`;
  }

  entity(id: string): string {
    return `${this.prefix}entity/${id}`;
  }

  owned(key: string): string {
    return `${this.prefix}owned/${key}`;
  }

  status(key: string): string {
    return `${this.prefix}status/${key}`;
  }

  meta(key: string): string {
    return `${this.prefix}meta/${key}`;
  }

  get sync(): string {
    return `${this.prefix}sync`;
  }

  event(seq: number): string {
    return `${this.prefix}event/${String(seq).padStart(SEQ_DIGITS, '0')}`;
  }

  /** The Kubernetes API's bookkeeping (`kube-api/meta-store.ts`): one key per object. */
  kube(key: string): string {
    return `${this.prefix}kube/${key}`;
  }

  /** The family of a key under the prefix and the record's own key, or undefined for a key of no family. */
  parse(key: string): { family: Family; id: string } | undefined {
    if (!key.startsWith(this.prefix)) return undefined;
    const rest = key.slice(this.prefix.length);
    if (rest === 'sync') return { family: 'sync', id: '' };
    if (rest === 'leader' || rest === 'writer' || rest === 'commit' || rest.startsWith('staged/')) return { family: 'control', id: rest };
    const slash = rest.indexOf('/');
    if (slash < 0) return undefined;
    const family = rest.slice(0, slash);
    const id = rest.slice(slash + 1);
    if (family === 'entity' || family === 'owned' || family === 'status' || family === 'meta' || family === 'event' || family === 'kube') return { family, id };
    return undefined;
  }
}
