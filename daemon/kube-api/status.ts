/** `metav1.Status` answers: how the API says no, as the real API server spells it. */
import type { ResourceType } from './resources.js';

const COMMA = Buffer.from(',');

/**
 * A JSON list written as it is made, in pieces of about a mebibyte: a LIST of 10,000 objects is
 * 31 MiB, and joining it into one string (then encoding that) costs more than sending it.
 */
export class JsonListBody {
  constructor(
    readonly head: string,
    /** Each item's JSON as UTF-8 (made once per version and kept: see `renderJsonBytes`). */
    readonly items: readonly Buffer[],
    readonly tail: string,
  ) {}

  /** The pieces, comma-separated items between head and tail, each about `size` bytes: copies of the kept bytes, no string joined or encoded. */
  *pieces(size = 2 ** 20): Generator<Buffer> {
    let batch: Buffer[] = [Buffer.from(this.head)];
    let length = batch[0]!.length;
    for (let i = 0; i < this.items.length; i++) {
      const item = this.items[i]!;
      if (i) batch.push(COMMA);
      batch.push(item);
      length += item.length + (i ? 1 : 0);
      if (length >= size) {
        yield Buffer.concat(batch, length);
        batch = [];
        length = 0;
      }
    }
    batch.push(Buffer.from(this.tail));
    yield Buffer.concat(batch);
  }

  toString(): string {
    return Buffer.concat([...this.pieces()]).toString('utf8');
  }
}

export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export type StatusReason = 'Timeout' | 'NotFound' | 'Forbidden' | 'Unauthorized' | 'MethodNotAllowed' | 'Invalid' | 'BadRequest' | 'Expired' | 'NotAcceptable' | 'UnsupportedMediaType' | 'AlreadyExists' | 'Conflict' | 'InternalError';

export interface Cause {
  readonly reason?: string;
  readonly message: string;
  readonly field?: string;
}

/** A Status reply. */
export function failure(code: number, reason: StatusReason, message: string, details?: Record<string, unknown>, headers?: Record<string, string>): Reply {
  return {
    status: code,
    body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code },
    ...(headers ? { headers } : {}),
  };
}

/** `virtualmachines.vmoperator.vmware.com` (the group-qualified resource name errors use). */
export function qualified(r: Pick<ResourceType, 'plural' | 'group'>): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

export function notFound(r: ResourceType, name: string): Reply {
  return failure(404, 'NotFound', `${qualified(r)} "${name}" not found`, { name, group: r.group, kind: r.plural });
}

/** 403 in the API server's words, followed by the rule that decided. */
export function forbidden(user: string, verb: string, r: Pick<ResourceType, 'plural' | 'group'>, namespace: string | undefined, name: string | undefined, why: string): Reply {
  const scope = namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope';
  const message = `${qualified(r)}${name ? ` "${name}"` : ''} is forbidden: User "${user}" cannot ${verb} resource "${r.plural}" in API group "${r.group}"${scope}: ${why}`;
  return failure(403, 'Forbidden', message, { ...(name ? { name } : {}), group: r.group, kind: r.plural });
}

export function unauthorized(why: string): Reply {
  return failure(401, 'Unauthorized', `Unauthorized: ${why}`, undefined, { 'www-authenticate': 'Bearer realm="pacific"' });
}

export function invalid(r: ResourceType, name: string, causes: readonly Cause[]): Reply {
  const message = `${r.kind}.${r.group || 'core'} "${name}" is invalid: ${causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)).join(', ')}`;
  return failure(422, 'Invalid', message, { name, group: r.group, kind: r.kind, causes: causes.map((c) => ({ reason: c.reason ?? 'FieldValueInvalid', message: c.message, ...(c.field ? { field: c.field } : {}) })) });
}

export function badRequest(message: string): Reply {
  return failure(400, 'BadRequest', message);
}

export const ok = (body: unknown, status = 200, contentType = 'application/json'): Reply => ({ status, body, contentType });
