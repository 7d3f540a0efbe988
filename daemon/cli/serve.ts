/** `pacific serve`: runs the daemon until SIGINT or SIGTERM. */
import { resolve } from 'node:path';
import { startDaemon, type RunningDaemon } from '../daemon.js';
import { createLogger } from '../log.js';
import { parseDuration } from '../duration.js';
import { manifestLimitsOption, pruneLimitOption, tenancyRule, UsageError } from './load.js';
import { writeLimits, type WriteLimitOptions } from './write-limits.js';

export interface ServeOptions extends WriteLimitOptions {
  repo: string;
  branch: string;
  state: string;
  listen: string;
  resync: string;
  topology?: string;
  /** `--tenant-root <dir>`; false with `--no-tenancy`. */
  tenancy: string | false;
  /** `--max-prune`: `50%`, a count, or `off`. */
  maxPrune: string;
  /** `--limit <name>=<value>`, repeated. */
  limit?: readonly string[];
}

/** Starts the daemon and stops it cleanly on a signal. */
export async function serve(options: ServeOptions, onStarted?: (daemon: RunningDaemon) => void): Promise<void> {
  const log = createLogger();
  const daemon = await startDaemon({
    repo: resolve(options.repo),
    branch: options.branch,
    stateDir: resolve(options.state),
    listen: options.listen,
    resyncMs: parseDuration(options.resync),
    ...(options.topology ? { topologyFile: resolve(options.topology) } : {}),
    tenancy: tenancyRule(options.tenancy),
    limits: manifestLimitsOption(options.limit ?? []),
    pruneLimit: pruneLimitOption(options.maxPrune),
    writeLimits: writeLimits(options),
    log,
  });
  onStarted?.(daemon);
  await new Promise<void>((done) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'stopping');
      daemon.stop().then(done, (err: unknown) => {
        log.error({ err }, 'error while stopping');
        done();
      });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
