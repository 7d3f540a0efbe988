/** HTTP reads and triggers against a running daemon child, and waiting for a revision to be applied. */
import type { DaemonChild } from './daemon-child.js';
import { parsePrometheus, sumOf, type Sample } from './prom-text.js';

/** The fields of `/status` the bench reads. */
export interface StatusDoc {
  readonly source: { readonly headRevision: string | null };
  readonly lastAppliedRevision: string | null;
  readonly lastAttemptedRevision: string | null;
  readonly conditions: readonly { type: string; status: string; reason: string; message: string }[];
  readonly objects: readonly unknown[];
}

/** The fields of `/inventory` the bench reads. */
export interface InventoryDoc {
  readonly hosts: readonly { name: string; virtualMachines: { count: number; max: number } }[];
  readonly virtualMachines: readonly { namespace: string; name: string; host: string | null }[];
}

async function get(daemon: DaemonChild, path: string): Promise<string> {
  // Reads need an identity: the admin token of the state dir (not written yet: as if not listening yet).
  let token: string;
  try {
    token = daemon.token();
  } catch {
    throw new TypeError('the daemon has not written its token yet');
  }
  const response = await fetch(daemon.url + path, { headers: { authorization: `Bearer ${token}` } });
  const body = await response.text();
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${body.slice(0, 200)}`);
  return body;
}

/** `GET /status`. */
export async function getStatus(daemon: DaemonChild): Promise<StatusDoc> {
  return JSON.parse(await get(daemon, '/status')) as StatusDoc;
}

/** `GET /inventory`. */
export async function getInventory(daemon: DaemonChild): Promise<InventoryDoc> {
  return JSON.parse(await get(daemon, '/inventory')) as InventoryDoc;
}

/** `GET /metrics`, parsed. */
export async function scrape(daemon: DaemonChild): Promise<Sample[]> {
  return parsePrometheus(await get(daemon, '/metrics'));
}

/** `POST /reconcile` with the state dir's token; throws unless accepted. */
export async function requestReconcile(daemon: DaemonChild): Promise<void> {
  const response = await fetch(daemon.url + '/reconcile', { method: 'POST', headers: { authorization: `Bearer ${daemon.token()}` } });
  await response.text();
  if (response.status !== 202) throw new Error(`POST /reconcile: ${response.status}`);
}

/** How long `GET /status` takes now, in ms (its body grows with the object count). */
export async function timeStatus(daemon: DaemonChild): Promise<{ ms: number; bytes: number }> {
  const start = performance.now();
  const body = await get(daemon, '/status');
  return { ms: performance.now() - start, bytes: Buffer.byteLength(body) };
}

/** What a poll asks: `/status` itself, or the applied-revision info metric of `/metrics`. */
export type AppliedProbe = 'status' | 'metrics';

async function appliedNow(daemon: DaemonChild, probe: AppliedProbe): Promise<string | null> {
  if (probe === 'status') return (await getStatus(daemon)).lastAppliedRevision;
  const info = (await scrape(daemon)).find((s) => s.name === 'pacific_last_applied_revision_info' && s.value === 1);
  return info?.labels['revision'] ?? null;
}

/**
 * Polls until the daemon reports `revision` as applied; resolves with `performance.now()` at the
 * poll that saw it. Connection errors before the server listens are retried; a dead child or the
 * timeout throws with its last log lines.
 */
export async function waitUntilApplied(daemon: DaemonChild, revision: string, options: { probe: AppliedProbe; intervalMs: number; timeoutMs: number }): Promise<number> {
  const deadline = performance.now() + options.timeoutMs;
  let last: string | null = null;
  for (;;) {
    daemon.assertAlive();
    try {
      last = await appliedNow(daemon, options.probe);
      if (last === revision) return performance.now();
    } catch (err) {
      if (!(err instanceof TypeError)) throw err; // fetch's TypeError: not listening yet
    }
    if (performance.now() > deadline) throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${revision} to be applied (last applied: ${last}):\n${daemon.logTail()}`);
    await new Promise((r) => setTimeout(r, options.intervalMs));
  }
}

/** Polls `/metrics` until `pacific_reconcile_total{result}` reaches `count`. */
export async function waitForPasses(daemon: DaemonChild, result: string, count: number, timeoutMs: number): Promise<Sample[]> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    daemon.assertAlive();
    const samples = await scrape(daemon);
    if (sumOf(samples, 'pacific_reconcile_total', { result }) >= count) return samples;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${count} pass(es) with result ${result}:\n${daemon.logTail()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
