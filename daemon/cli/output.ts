/** Output as kubectl prints it: tables padded by three spaces, `-o json` (4-space indent), `-o yaml`, ages as `5m10s`. */
import { dump } from 'js-yaml';

export type Format = 'table' | 'wide' | 'json' | 'yaml' | 'name';

/** A left-aligned table: each column as wide as its widest cell, three spaces between, no trailing spaces. */
export function table(header: readonly string[] | undefined, rows: readonly (readonly string[])[]): string {
  const all = header ? [header, ...rows] : rows;
  if (!all.length) return '';
  const widths = all[0]!.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]! + 3))).join('').trimEnd()).join('\n') + '\n';
}

/** A document as `-o json` or `-o yaml`. */
export function document(value: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? `${JSON.stringify(value, null, 4)}\n` : dump(value, { lineWidth: -1, noRefs: true });
}

/** kubectl's short age: `45s`, `5m10s`, `3h12m`, `4d5h`, `<unknown>` without a time. */
export function age(time: string | undefined, now = Date.now()): string {
  const at = time ? Date.parse(time) : NaN;
  if (Number.isNaN(at)) return '<unknown>';
  const s = Math.max(0, Math.floor((now - at) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  const d = Math.floor(h / 24);
  return d < 8 ? `${d}d${h % 24 ? `${h % 24}h` : ''}` : `${d}d`;
}

/** Waits `ms`, or less when the process is asked to stop. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
