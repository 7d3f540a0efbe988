/**
 * A Secret's values never leave the plan: the fields under its `data` and `stringData` are masked
 * — `*** (changed, hmac:5f2a9c01b3de)` on each side of a change, `*** (unchanged, hmac:…)` where the
 * other side holds the same, `*** (hmac:…)` where only one side has the key — so the plan text,
 * `-o json`, `-o diff`, events, drift messages and the history's digest say which key changed, and
 * a reviewer can tell whether two values are the same, never what one holds. The hash is an
 * HMAC-SHA256 under a salt the store keeps (`store/secret-salt.ts`), so a guess cannot be checked
 * without the store, which holds the values anyway. The apply reads the desired object, not these
 * fields.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { FieldChange } from './contract.js';

export const MASK = '***';

/** A masked value's hash: 12 hex digits of an HMAC of the value as the Secret holds it. */
export type SecretHash = (section: string, value: unknown) => string;

export function secretHasher(salt: string): SecretHash {
  return (section, value) => {
    // A `data` value is base64 of what `stringData` says in clear: the same value hashes the same in both.
    const held = typeof value === 'string' ? (section === 'data' ? Buffer.from(value, 'base64') : Buffer.from(value)) : Buffer.from(JSON.stringify(value) ?? '');
    return `hmac:${createHmac('sha256', salt).update(held).digest('hex').slice(0, 12)}`;
  };
}

/** Where no store is at hand (a diff against a server or the default topology): a salt of this run. */
export const runSecretHash: SecretHash = secretHasher(randomBytes(32).toString('hex'));

const sectionOf = (path: string) => (path.startsWith('stringData') ? 'stringData' : 'data');

export function holdsSecretValue(path: string): boolean {
  return /^(data|stringData)([.[]|$)/.test(path);
}

export function maskSecretValues(group: string, kind: string, fields: FieldChange[], hash: SecretHash = runSecretHash): FieldChange[] {
  if (group !== '' || kind !== 'Secret') return fields;
  return fields.map((f) => {
    if (!holdsSecretValue(f.path)) return f;
    const both = 'from' in f && 'to' in f;
    const masked = (value: unknown) => `${MASK} (${both ? 'changed, ' : ''}${hash(sectionOf(f.path), value)})`;
    return { path: f.path, ...('from' in f ? { from: masked(f.from) } : {}), ...('to' in f ? { to: masked(f.to) } : {}) };
  });
}

/**
 * A Secret's `data` and `stringData` in its two documents, masked in place as the plan masks them:
 * each key `changed` or `unchanged` with its value's hash when both sides have it, its hash alone
 * when one side has it. Other kinds are left as they are.
 */
export function maskSecretData(group: string, kind: string, live: Record<string, unknown> | undefined, desired: Record<string, unknown> | undefined, hash: SecretHash = runSecretHash): void {
  if (group !== '' || kind !== 'Secret') return;
  for (const section of ['data', 'stringData']) {
    const before = live?.[section];
    const after = desired?.[section];
    const from = isMap(before) ? before : {};
    const to = isMap(after) ? after : {};
    for (const key of Object.keys(from)) {
      if (!(key in to)) {
        from[key] = `${MASK} (${hash(section, from[key])})`;
        continue;
      }
      const state = JSON.stringify(from[key]) === JSON.stringify(to[key]) ? 'unchanged' : 'changed';
      from[key] = `${MASK} (${state}, ${hash(section, from[key])})`;
      to[key] = `${MASK} (${state}, ${hash(section, to[key])})`;
    }
    for (const key of Object.keys(to)) if (!(key in from)) to[key] = `${MASK} (${hash(section, to[key])})`;
    // A section that is not a map of values is masked whole.
    if (before !== undefined && !isMap(before)) live![section] = `${MASK} (${hash(section, before)})`;
    if (after !== undefined && !isMap(after)) desired![section] = `${MASK} (${hash(section, after)})`;
  }
}

function isMap(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
