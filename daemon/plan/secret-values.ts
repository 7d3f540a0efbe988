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

/**
 * A Secret's `data` and `stringData` in its two documents, masked in place as `kubectl diff` masks
 * them: `***` where the value is the same on both sides or on one side only, `*** (before)` and
 * `*** (after)` where it changes. Other kinds are left as they are.
 */
export function maskSecretData(group: string, kind: string, live: Record<string, unknown> | undefined, desired: Record<string, unknown> | undefined): void {
  if (group !== '' || kind !== 'Secret') return;
  for (const section of ['data', 'stringData']) {
    const before = live?.[section];
    const after = desired?.[section];
    const from = isMap(before) ? before : {};
    const to = isMap(after) ? after : {};
    for (const key of Object.keys(from)) {
      const changes = key in to && JSON.stringify(from[key]) !== JSON.stringify(to[key]);
      from[key] = changes ? `${MASK} (before)` : MASK;
      if (key in to) to[key] = changes ? `${MASK} (after)` : MASK;
    }
    for (const key of Object.keys(to)) if (!(key in from)) to[key] = MASK;
    // A section that is not a map of values is masked whole.
    if (before !== undefined && !isMap(before)) live![section] = MASK;
    if (after !== undefined && !isMap(after)) desired![section] = MASK;
  }
}

function isMap(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
