/** Deterministic identifiers for simulated vCenter objects. */
import { createHash } from 'node:crypto';

/** A stable UUID-shaped id derived from a name (libraries, policies and VM UUIDs have UUIDs in vCenter). */
export function nameUuid(name: string): string {
  const h = createHash('sha1').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
