/**
 * A plan's digest: SHA-256 over each change's action, object, field changes and admission verdict,
 * in apply order. Two plans with the same digest change the same objects the same way; the history
 * records it for every pass, so a re-plan of the same revision against the same inventory can be
 * checked against what the pass saw.
 */
import { createHash } from 'node:crypto';
import type { Plan } from './types.js';

export function planDigest(plan: Plan): string {
  const hash = createHash('sha256');
  for (const c of plan.changes) {
    hash.update(JSON.stringify([c.action, c.key, c.fields.map((f) => [f.path, 'from' in f ? f.from : null, 'to' in f ? f.to : null]), c.admission.allowed, c.admission.reason ?? null, c.drift ?? false]));
    hash.update('\n');
  }
  return hash.digest('hex');
}
