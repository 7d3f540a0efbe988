/**
 * LimitRange arithmetic: per-container (and per-pod, per-claim) minimums, maximums and defaults of
 * a namespace, as the LimitRanger admission plugin applies them. Several in one namespace combine:
 * the tightest bound wins, and defaults come from the first by name.
 */
import { cpuMillis, parseQuantity } from '../base/quantity.js';

/** Amounts by resource (`cpu` in millicores, `memory`/`storage` in bytes). */
export type Amounts = Readonly<Record<string, number>>;

export interface LimitBounds {
  readonly max: Amounts;
  readonly min: Amounts;
  readonly default: Amounts;
  readonly defaultRequest: Amounts;
  readonly maxLimitRequestRatio: Amounts;
}

/** A namespace's limits by type: Container, Pod, PersistentVolumeClaim. */
export type LimitView = Readonly<Record<'Container' | 'Pod' | 'PersistentVolumeClaim', LimitBounds>>;

const EMPTY: LimitBounds = { max: {}, min: {}, default: {}, defaultRequest: {}, maxLimitRequestRatio: {} };
export const NO_LIMITS: LimitView = { Container: EMPTY, Pod: EMPTY, PersistentVolumeClaim: EMPTY };

function amounts(list: Readonly<Record<string, string | number>> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [r, v] of Object.entries(list ?? {})) out[r] = r === 'cpu' ? cpuMillis(v) : parseQuantity(v);
  return out;
}

type Quantities = Readonly<Record<string, string | number>>;

/** What the arithmetic reads of a LimitRange's spec (callers pass the typed spec; this folder imports no kinds). */
interface LimitItem {
  readonly type: 'Container' | 'Pod' | 'PersistentVolumeClaim';
  readonly max?: Quantities;
  readonly min?: Quantities;
  readonly default?: Quantities;
  readonly defaultRequest?: Quantities;
  readonly maxLimitRequestRatio?: Quantities;
}

/** The bounds one LimitRange's spec states. */
export function limitView(spec: { readonly limits?: readonly LimitItem[] } | undefined): LimitView {
  const out: Record<string, LimitBounds> = { ...NO_LIMITS };
  for (const item of spec?.limits ?? []) {
    out[item.type] = {
      max: amounts(item.max),
      min: amounts(item.min),
      default: amounts(item.default),
      defaultRequest: amounts(item.defaultRequest),
      maxLimitRequestRatio: amounts(item.maxLimitRequestRatio),
    };
  }
  return out as LimitView;
}

function tightest(a: Amounts, b: Amounts, pick: (x: number, y: number) => number): Amounts {
  const out: Record<string, number> = { ...a };
  for (const [r, v] of Object.entries(b)) out[r] = out[r] === undefined ? v : pick(out[r]!, v);
  return out;
}

/** Several LimitRanges (ordered by name) as one: tightest bounds, first defaults. */
export function combineLimits(views: readonly LimitView[]): LimitView {
  const combine = (type: keyof LimitView): LimitBounds =>
    views.reduce<LimitBounds>(
      (acc, v) => ({
        max: tightest(acc.max, v[type].max, Math.min),
        min: tightest(acc.min, v[type].min, Math.max),
        default: { ...v[type].default, ...acc.default },
        defaultRequest: { ...v[type].defaultRequest, ...acc.defaultRequest },
        maxLimitRequestRatio: tightest(acc.maxLimitRequestRatio, v[type].maxLimitRequestRatio, Math.min),
      }),
      EMPTY,
    );
  return { Container: combine('Container'), Pod: combine('Pod'), PersistentVolumeClaim: combine('PersistentVolumeClaim') };
}
