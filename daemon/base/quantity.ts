/** Kubernetes resource quantities (k8s.io/apimachinery resource.Quantity) as plain numbers. */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const PATTERN = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?(?:\d+(?:\.\d*)?|\.\d+))?$/;

/** The value of a quantity (`"4Gi"` → 4294967296, `"500m"` → 0.5, `2` → 2); NaN when it does not parse. */
export function parseQuantity(value: string | number): number {
  if (typeof value === 'number') return value;
  const match = PATTERN.exec(value.trim());
  if (!match) return NaN;
  const base = Number(match[1]);
  const suffix = match[2] ?? '';
  if (suffix in BINARY) return base * BINARY[suffix]!;
  if (suffix in DECIMAL) return base * DECIMAL[suffix]!;
  return Number(`${match[1]}${suffix}`);
}

/** CPU quantity → millicores, rounded up as the API server rounds sub-milli CPU. */
export function cpuMillis(value: string | number): number {
  return Math.ceil(parseQuantity(value) * 1000 - 1e-9);
}

/** Bytes → the shortest exact binary quantity (`17179869184` → `16Gi`), else plain bytes. */
export function formatBytes(bytes: number): string {
  for (const suffix of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
    const unit = BINARY[suffix]!;
    if (bytes >= unit && bytes % unit === 0) return `${bytes / unit}${suffix}`;
  }
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(1)}Gi`;
  return String(bytes);
}

/** Millicores → `4` or `500m`. */
export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

export const GiB = 2 ** 30;
export const MiB = 2 ** 20;

/**
 * One spelling per amount, so equal quantities compare equal (`4096Mi` → `4Gi`, `2000m` → `2`,
 * `0.5` → `500m`, `1000000000` → `1G`).
 */
export function canonicalQuantity(value: string | number): string | number {
  const n = parseQuantity(value);
  if (!Number.isFinite(n)) return value;
  for (const suffix of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
    const unit = BINARY[suffix]!;
    if (n >= unit && n % unit === 0) return `${n / unit}${suffix}`;
  }
  for (const suffix of ['E', 'P', 'T', 'G', 'M', 'k']) {
    const unit = DECIMAL[suffix]!;
    if (n >= unit && n % unit === 0) return `${n / unit}${suffix}`;
  }
  if (Number.isInteger(n)) return String(n);
  const millis = Math.round(n * 1000);
  return Math.abs(millis / 1000 - n) < 1e-12 ? `${millis}m` : String(n);
}
