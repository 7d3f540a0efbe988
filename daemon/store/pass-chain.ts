/**
 * The pass history as a journal: each record carries the hash of the one before it and its own,
 * SHA-256 over its canonical JSON (keys sorted, `seq` and `hash` left out), so an edited, removed or
 * reordered record breaks the chain where it happened. The history keeps the newest
 * `PASS_RETENTION` records; the oldest kept one's link points at a record no longer kept, and the
 * check starts there. Both stores chain through `chained`; `pacific journal verify` runs `verifyChain`.
 */
import { createHash } from 'node:crypto';
import type { PassRecord } from './ports.js';

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function passHash(pass: PassRecord): string {
  const { seq: _seq, hash: _hash, ...content } = pass;
  return createHash('sha256').update(canonical(content)).digest('hex');
}

/** `pass` linked after `previous` (the newest record so far; none for the first). */
export function chained(previous: PassRecord | undefined, pass: PassRecord): PassRecord {
  const { seq: _seq, hash: _hash, previousHash: _previous, ...content } = pass;
  const linked = { ...content, ...(previous?.hash ? { previousHash: previous.hash } : {}) };
  return { ...linked, hash: passHash(linked) };
}

export type ChainVerdict =
  | { readonly ok: true; readonly checked: number; readonly first?: number; readonly last?: number; readonly head?: string }
  | { readonly ok: false; readonly checked: number; readonly seq: number | undefined; readonly problem: string };

/** Checks `passes`, oldest first: each record's hash is its content's, and each links to the one before. */
export function verifyChain(passes: readonly PassRecord[]): ChainVerdict {
  let previous: PassRecord | undefined;
  let checked = 0;
  for (const pass of passes) {
    if (!pass.hash) return { ok: false, checked, seq: pass.seq, problem: 'it carries no hash (written before the journal was chained, or its hash removed)' };
    if (passHash(pass) !== pass.hash) return { ok: false, checked, seq: pass.seq, problem: 'its content does not match its hash (edited after it was written)' };
    if (previous && pass.previousHash !== previous.hash) return { ok: false, checked, seq: pass.seq, problem: `it does not link to pass #${previous.seq ?? '?'} before it (a record was removed, inserted or reordered)` };
    previous = pass;
    checked++;
  }
  return { ok: true, checked, ...(passes.length ? { first: passes[0]!.seq, last: passes.at(-1)!.seq, head: passes.at(-1)!.hash } : {}) };
}
