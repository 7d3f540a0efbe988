/** `--resync 60s`: durations as Go and kubectl write them (ms, s, m, h; a bare number is seconds). */
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDuration(text: string): number {
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)?/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== text.trim()) throw new Error(`invalid duration "${text}" (use e.g. 500ms, 30s, 5m, 1h)`);
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2] ?? 's']!, 0);
  if (ms <= 0) throw new Error(`duration "${text}" must be positive`);
  return ms;
}
