/** `npm run bench -- [options]`: sizes and repetitions of a bench run. */
import { parseArgs } from 'node:util';
import type { ScenarioSize } from './fixture-repo.js';
import type { ScenarioRuns } from './scenario.js';

/** What one bench run measures, parsed from its command line. */
export interface BenchArgs extends ScenarioRuns {
  /** One scenario per size, run in order (`--vms 1000,10000,50000`). */
  readonly sizes: readonly ScenarioSize[];
  /** Keep the temp dir (repos, state dirs, topology) instead of removing it. */
  readonly keep: boolean;
}

/** The usage text printed by `--help` and with every argument error. */
export const USAGE = `usage: npm run bench -- [--vms 10000[,50000…]] [--namespaces 500] [--pushes 7] [--noops 7] [--load 4]
                        [--floor-runs 3] [--probe metrics|status] [--timeout 600] [--keep]`;

function positive(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got ${JSON.stringify(text)}\n${USAGE}`);
  return value;
}

/** Parses the bench's command line; throws with the usage on a bad value. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      vms: { type: 'string', default: '10000' },
      namespaces: { type: 'string', default: '500' },
      pushes: { type: 'string', default: '7' },
      noops: { type: 'string', default: '7' },
      load: { type: 'string', default: '4' },
      'floor-runs': { type: 'string', default: '3' },
      probe: { type: 'string', default: 'metrics' },
      timeout: { type: 'string', default: '600' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  if (values.probe !== 'metrics' && values.probe !== 'status') throw new Error(`--probe must be metrics or status\n${USAGE}`);
  const namespaces = positive('namespaces', values.namespaces);
  return {
    sizes: values.vms.split(',').map((v) => {
      const vms = positive('vms', v.trim());
      const size = { vms, namespaces: Math.min(namespaces, vms) };
      if (vms % size.namespaces !== 0) throw new Error(`--vms ${vms} is not a multiple of --namespaces ${size.namespaces} (every namespace gets the same number of VMs)\n${USAGE}`);
      return size;
    }),
    floorRuns: positive('floor-runs', values['floor-runs']),
    pushes: positive('pushes', values.pushes),
    noops: positive('noops', values.noops),
    loadConcurrency: values.load === '0' ? 0 : positive('load', values.load),
    probe: values.probe,
    timeoutMs: positive('timeout', values.timeout) * 1000,
    keep: values.keep,
  };
}
