/** `pacific serve --tag --semver --commit --path --interval --fetch-timeout --fetch-limit --credentials`. */
import { resolve } from 'node:path';
import { parseDuration } from '../base/duration.js';
import { parseQuantity } from '../base/quantity.js';
import type { DaemonOptions } from '../daemon.js';
import { gitRef } from '../source/remote/git-ref.js';
import { DEFAULT_FETCH_LIMITS, type FetchLimits } from '../source/remote/git-process.js';
import { UsageError } from './load.js';

export interface FollowCliOptions {
  branch: string;
  tag?: string;
  semver?: string;
  commit?: string;
  path?: string;
  interval?: string;
  fetchTimeout?: string;
  fetchLimit?: readonly string[];
  credentials?: string;
}

function duration(flag: string, text: string): number {
  try {
    return parseDuration(text);
  } catch (error) {
    throw new UsageError(`${flag}: ${(error as Error).message}`);
  }
}

/** `--fetch-limit bytes=1Gi --fetch-limit objects=200000` over the defaults. */
export function fetchLimits(values: readonly string[]): FetchLimits {
  const limits: { -readonly [K in keyof FetchLimits]: number } = { ...DEFAULT_FETCH_LIMITS };
  for (const value of values) {
    const [name, amount] = value.split('=', 2);
    if (name !== 'bytes' && name !== 'objects') throw new UsageError(`--fetch-limit ${value}: expected bytes=<quantity> or objects=<count>`);
    const n = amount === undefined ? NaN : parseQuantity(amount);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--fetch-limit ${value}: expected a positive whole ${name === 'bytes' ? 'quantity (e.g. 256Mi)' : 'count'}`);
    limits[name] = n;
  }
  return limits;
}

/** The daemon's `follow` options from the command line; a bad value is a usage error naming its flag. */
export function followOptions(options: FollowCliOptions): NonNullable<DaemonOptions['follow']> {
  let ref;
  try {
    ref = gitRef(options);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    ref,
    ...(options.path ? { path: options.path } : {}),
    intervalMs: duration('--interval', options.interval ?? '1m'),
    timeoutMs: duration('--fetch-timeout', options.fetchTimeout ?? '60s'),
    limits: fetchLimits(options.fetchLimit ?? []),
    ...(options.credentials ? { credentialsFile: resolve(options.credentials) } : {}),
  };
}
