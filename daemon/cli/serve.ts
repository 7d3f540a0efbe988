/** `pacific serve`: runs the daemon until SIGINT or SIGTERM. */
import { resolve } from 'node:path';
import { isRemoteRepo } from '../source/remote/remote-url.js';
import { startDaemon, type RunningDaemon } from '../daemon.js';
import { createLogger, type LogFormat } from '../base/log.js';
import { parseDuration } from '../base/duration.js';
import { manifestLimitsOption, pruneLimitOption, tenancyRule, UsageError } from './load.js';
import { writeLimits, type WriteLimitOptions } from './write-limits.js';
import { DEFAULT_API_LISTEN } from './preamble.js';
import { etcdStoreOption, type StoreOptions } from './store-option.js';
import { followOptions, type FollowCliOptions } from './follow-options.js';
import { notifyOptions, type NotifyCliOptions } from './notify-options.js';

/** The exit code of a replica whose lead ended: its supervisor starts it again, as a follower. */
export const EXIT_LEADERSHIP_LOST = 3;

export interface ServeOptions extends WriteLimitOptions, StoreOptions, FollowCliOptions, NotifyCliOptions {
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
  /** `--api-listen <host:port>` of the Kubernetes API (HTTPS); `off` turns it off. */
  apiListen?: string;
  apiCert?: string;
  apiKey?: string;
  /** `--allowed-host <name>`, repeated. */
  allowedHost?: readonly string[];
  /** `--verify <file>`: signers and path rules for commits. */
  verify?: string;
  logLevel?: string;
  logFormat?: LogFormat;
}

export { DEFAULT_API_LISTEN };

function apiTls(options: ServeOptions): { certFile?: string; keyFile?: string } {
  if (!options.apiCert !== !options.apiKey) throw new UsageError('--api-cert and --api-key go together');
  return options.apiCert && options.apiKey ? { certFile: resolve(options.apiCert), keyFile: resolve(options.apiKey) } : {};
}

/** Signals that stop the daemon cleanly (SIGHUP: the terminal it ran in closed). */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Starts the daemon and stops it cleanly on a signal, from the first moment: a signal during the
 * startup pass lets that pass end, then stops (the lock released, the store closed).
 */
export async function serve(options: ServeOptions, onStarted?: (daemon: RunningDaemon) => void): Promise<void> {
  const log = createLogger({ ...(options.logLevel ? { level: options.logLevel } : {}), ...(options.logFormat ? { format: options.logFormat } : {}) });
  const stopping = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping.signal.aborted) return;
    log.info({ signal }, 'stopping');
    stopping.abort(signal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  const etcd = etcdStoreOption(options);
  const notify = notifyOptions(options);
  const daemon = await startDaemon({
    repo: isRemoteRepo(options.repo) ? options.repo : resolve(options.repo),
    branch: options.branch,
    follow: followOptions(options),
    ...(options.verify ? { verifyFile: resolve(options.verify) } : {}),
    stateDir: resolve(options.state),
    listen: options.listen,
    resyncMs: parseDuration(options.resync),
    ...(options.topology ? { topologyFile: resolve(options.topology) } : {}),
    tenancy: tenancyRule(options.tenancy),
    limits: manifestLimitsOption(options.limit ?? []),
    pruneLimit: pruneLimitOption(options.maxPrune),
    writeLimits: writeLimits(options),
    allowedHosts: options.allowedHost ?? [],
    ...(options.apiListen !== 'off' ? { api: { listen: options.apiListen ?? DEFAULT_API_LISTEN, ...apiTls(options) } } : {}),
    ...(notify ? { notify } : {}),
    ...(etcd
      ? {
          etcd,
          onLeadershipLost: (reason: string) => {
            log.fatal({ reason }, 'leadership lost: exiting so that this replica restarts as a follower');
            process.exit(EXIT_LEADERSHIP_LOST);
          },
        }
      : {}),
    log,
    stopSignal: stopping.signal,
  });
  onStarted?.(daemon);
  if (!stopping.signal.aborted) await new Promise((done) => stopping.signal.addEventListener('abort', done, { once: true }));
  await daemon.stop().catch((err: unknown) => log.error({ err }, 'error while stopping'));
  for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
}
