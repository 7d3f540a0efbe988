/**
 * A bounded load generator on 127.0.0.1: a fixed number of clients, each with one request in
 * flight at a time, looping over a few read paths until stopped. Bounded so it measures how the
 * daemon answers, not how it drowns: at most `concurrency` requests wait on it at any moment.
 */
import { Agent, get } from 'node:http';
import { percentile } from './stats.js';

/** What the load sends. */
export interface LoadOptions {
  /** Requests in flight at once (one per client loop). */
  readonly concurrency: number;
  /** Paths the clients cycle through, e.g. `['/status']`. */
  readonly paths: readonly string[];
  /** A request taking longer is abandoned and counted as an error. */
  readonly timeoutMs: number;
}

/** Latency of one path under the load: full response (headers and body) received. */
export interface PathLatency {
  readonly path: string;
  readonly requests: number;
  /** Non-200 answers, connection errors and timeouts. */
  readonly errors: number;
  /** The errors by what went wrong. */
  readonly errorKinds: Readonly<Record<string, number>>;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** A running load; `stop` lets every in-flight request finish and summarises per path. */
export interface RunningLoad {
  stop(): Promise<PathLatency[]>;
}

/** One GET: `ok`, or what went wrong (`HTTP 503`, `ECONNRESET`, `timeout`). */
function once(agent: Agent, url: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const failed = (err: Error) => resolve((err as NodeJS.ErrnoException).code ?? err.message);
    const req = get(url, { agent, timeout: timeoutMs }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode === 200 ? 'ok' : `HTTP ${res.statusCode}`));
      res.on('error', failed);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', failed);
  });
}

/** Starts `concurrency` client loops against `baseUrl`; they run until `stop()`. */
export function startLoad(baseUrl: string, options: LoadOptions): RunningLoad {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const samples = new Map(options.paths.map((p) => [p, { latencies: [] as number[], errors: 0, errorKinds: {} as Record<string, number> }]));
  let stopped = false;
  const client = async (offset: number) => {
    for (let i = offset; !stopped; i++) {
      const path = options.paths[i % options.paths.length]!;
      const start = performance.now();
      const outcome = await once(agent, baseUrl + path, options.timeoutMs);
      const s = samples.get(path)!;
      s.latencies.push(performance.now() - start);
      if (outcome !== 'ok') {
        s.errors += 1;
        s.errorKinds[outcome] = (s.errorKinds[outcome] ?? 0) + 1;
      }
    }
  };
  const clients = Array.from({ length: options.concurrency }, (_, i) => client(i));
  return {
    async stop() {
      stopped = true;
      await Promise.all(clients);
      agent.destroy();
      return [...samples].map(([path, s]) => ({
        path,
        requests: s.latencies.length,
        errors: s.errors,
        errorKinds: s.errorKinds,
        p50Ms: percentile(s.latencies, 50),
        p99Ms: percentile(s.latencies, 99),
        maxMs: s.latencies.length ? s.latencies.reduce((a, b) => Math.max(a, b)) : NaN,
      }));
    },
  };
}
