/** `pacific serve --max-body --write-rate --write-burst`: the limits on state-changing requests. */
import { parseQuantity } from '../base/quantity.js';
import { DEFAULT_WRITE_LIMITS, type WriteLimits } from '../server/write-guard.js';
import { UsageError } from './preamble.js';

/** The options as typed on the command line. */
export interface WriteLimitOptions {
  /** A byte quantity: `64Ki`, `1Mi`, `4096`. */
  readonly maxBody?: string;
  /** State-changing requests per second per client, sustained. */
  readonly writeRate?: string;
  /** State-changing requests a client may send at once. */
  readonly writeBurst?: string;
}

/** Default flag values, as printed by `--help`. */
export const WRITE_LIMIT_DEFAULTS = { maxBody: '64Ki', writeRate: String(DEFAULT_WRITE_LIMITS.rate.perSecond), writeBurst: String(DEFAULT_WRITE_LIMITS.rate.burst) } as const;

function positive(flag: string, text: string, value: number, integer: boolean): number {
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) throw new UsageError(`${flag} ${text}: expected a positive ${integer ? 'integer' : 'number'}`);
  return value;
}

/** The limits the options ask for; a bad value is a usage error naming its flag. */
export function writeLimits(options: WriteLimitOptions): WriteLimits {
  const { maxBody = WRITE_LIMIT_DEFAULTS.maxBody, writeRate = WRITE_LIMIT_DEFAULTS.writeRate, writeBurst = WRITE_LIMIT_DEFAULTS.writeBurst } = options;
  return {
    maxBodyBytes: positive('--max-body', maxBody, parseQuantity(maxBody), true),
    rate: { perSecond: positive('--write-rate', writeRate, Number(writeRate), false), burst: positive('--write-burst', writeBurst, Number(writeBurst), true) },
  };
}
