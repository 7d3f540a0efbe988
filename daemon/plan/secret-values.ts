/**
 * A Secret's values never leave the plan: the fields under its `data` and `stringData` are masked
 * as `kubectl diff` masks them — `***`, or `*** (before)` and `*** (after)` when a value changes —
 * so the plan text, `-o json`, events, drift messages and the history's digest say which key
 * changed and never what it holds. The apply reads the desired object, not these fields.
 */
import type { FieldChange } from './contract.js';

export const MASK = '***';

function holdsSecretValue(path: string): boolean {
  return /^(data|stringData)([.[]|$)/.test(path);
}

export function maskSecretValues(group: string, kind: string, fields: FieldChange[]): FieldChange[] {
  if (group !== '' || kind !== 'Secret') return fields;
  return fields.map((f) => {
    if (!holdsSecretValue(f.path)) return f;
    const both = 'from' in f && 'to' in f;
    return {
      path: f.path,
      ...('from' in f ? { from: both ? `${MASK} (before)` : MASK } : {}),
      ...('to' in f ? { to: both ? `${MASK} (after)` : MASK } : {}),
    };
  });
}
