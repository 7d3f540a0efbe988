/** Reading the daemon's `/metrics` (Prometheus text format) into samples a bench can subtract. */

/** One sample line: metric name, labels, value. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the text exposition format; comments and malformed lines are skipped. */
export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

/** The sum of every sample named `name` whose labels include `match` (0 when none). */
export function sumOf(samples: readonly Sample[], name: string, match: Readonly<Record<string, string>> = {}): number {
  return samples.filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v)).reduce((n, s) => n + s.value, 0);
}

/** Each distinct value of `label` among samples named `name`. */
export function labelValues(samples: readonly Sample[], name: string, label: string): string[] {
  return [...new Set(samples.filter((s) => s.name === name && s.labels[label] !== undefined).map((s) => s.labels[label]!))];
}

/** Seconds summed per stage (`pacific_stage_duration_seconds_sum{stage}`), as milliseconds. */
export function stageMs(samples: readonly Sample[]): Record<string, number> {
  const name = 'pacific_stage_duration_seconds_sum';
  return Object.fromEntries(labelValues(samples, name, 'stage').map((stage) => [stage, sumOf(samples, name, { stage }) * 1000]));
}

/** `after - before` per key, for two readings of `stageMs`. */
export function subtractStages(after: Readonly<Record<string, number>>, before: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([stage, ms]) => [stage, ms - (before[stage] ?? 0)]));
}

/** A histogram's observations between two readings: count, sum, and cumulative counts by upper bound (seconds). */
export interface HistogramDelta {
  readonly count: number;
  readonly sum: number;
  readonly buckets: readonly { readonly le: number; readonly count: number }[];
}

export function histogramDelta(after: readonly Sample[], before: readonly Sample[], name: string): HistogramDelta {
  const bounds = labelValues(after, `${name}_bucket`, 'le');
  const buckets = bounds.map((le) => ({ le: le === '+Inf' ? Infinity : Number(le), count: sumOf(after, `${name}_bucket`, { le }) - sumOf(before, `${name}_bucket`, { le }) })).sort((a, b) => a.le - b.le);
  return { count: sumOf(after, `${name}_count`) - sumOf(before, `${name}_count`), sum: sumOf(after, `${name}_sum`) - sumOf(before, `${name}_sum`), buckets };
}

/** The q-quantile (0-1) of a histogram, interpolated linearly inside its bucket as Prometheus' histogram_quantile does. */
export function histogramQuantile(h: HistogramDelta, q: number): number {
  if (!h.count) return NaN;
  const rank = q * h.count;
  let lower = 0;
  let below = 0;
  for (const b of h.buckets) {
    if (b.count >= rank) return b.le === Infinity ? lower : lower + (b.le - lower) * ((rank - below) / Math.max(1, b.count - below));
    lower = b.le;
    below = b.count;
  }
  return lower;
}
