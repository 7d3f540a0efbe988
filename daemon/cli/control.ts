/**
 * The commands that steer a running daemon: `reconcile [--wait]`, `suspend` / `resume`, `prune
 * confirm <revision>` and `wait --for revision=<sha>|ready`. Each changes state through the write
 * guard (the admin token) or polls the summary; a timeout or a failed pass exits 1, as kubectl wait.
 */
import { CommandError } from './preamble.js';
import { call, failure, fetchJson, resolveConnection, type Connection, type ConnectionOptions } from './client.js';
import { sleep } from './output.js';
import type { Summary } from './status.js';

export interface PassRecord {
  seq: number;
  startedAt: string;
  durationMs: number;
  trigger: string;
  result: string;
  scope?: string;
  revision?: string | null;
  planDigest?: string;
  counts?: { create: number; update: number; delete: number; unchanged: number; notReady: number };
  error?: string;
}

/** Results of a pass that leave the branch head applied (or in sync). */
const SUCCEEDED = new Set(['applied', 'unchanged']);

const POLL_MS = 250;

function deadline(timeout: number, what: string): () => void {
  const end = Date.now() + timeout;
  return () => {
    if (Date.now() > end) throw new CommandError(`error: timed out waiting for ${what}`);
  };
}

async function lastPass(conn: Connection): Promise<PassRecord | undefined> {
  return (await fetchJson<{ items: PassRecord[] }>(conn, 'GET', '/history?limit=1')).items[0];
}

export async function reconcileCommand(options: ConnectionOptions & { wait?: boolean; timeout: number }, out: (t: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  const conn = resolveConnection(options);
  const before = options.wait ? ((await lastPass(conn))?.seq ?? 0) : 0;
  await fetchJson(conn, 'POST', '/reconcile');
  out('► reconcile requested\n');
  if (!options.wait) return 0;
  const check = deadline(options.timeout, 'the pass');
  for (;;) {
    const pass = await lastPass(conn);
    if (pass && pass.seq > before) {
      const line = `pass ${pass.seq}: ${pass.result}${pass.revision ? ` at ${pass.revision}` : ''} in ${pass.durationMs} ms${pass.error ? `: ${pass.error}` : ''}\n`;
      if (SUCCEEDED.has(pass.result)) {
        out(`✔ ${line}`);
        return 0;
      }
      throw new CommandError(`✗ ${line.trimEnd()}`);
    }
    check();
    await sleep(POLL_MS);
  }
}

export async function suspendCommand(suspend: boolean, options: ConnectionOptions & { reason?: string }, out: (t: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  const conn = resolveConnection(options);
  await fetchJson(conn, 'POST', suspend ? '/suspend' : '/resume', suspend && options.reason ? { reason: options.reason } : undefined);
  out(suspend ? '✔ reconciling suspended: no new revision is applied and no drift corrected until pacific resume\n' : '✔ reconciling resumed; a pass follows\n');
  return 0;
}

export async function pruneConfirmCommand(revision: string, options: ConnectionOptions, out: (t: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  const conn = resolveConnection(options);
  // A short id of the held revision is expanded; the daemon itself takes only the full one.
  const held = (await fetchJson<Summary>(conn, 'GET', '/status/summary')).pruneHold?.revision;
  const wanted = revision.replace(/^.*@sha1:/, '');
  const full = held && wanted.length >= 7 && held.startsWith(wanted) ? held : wanted;
  // The daemon refuses a short id as a malformed request: say what is held instead.
  if (!/^[0-9a-f]{40}$/.test(full)) throw new CommandError(`error: ${revision} is not the revision the prune bound holds (${held ? `it holds ${held}` : 'it holds none'})`);
  const answer = await call(conn, 'POST', '/prune/confirm', { revision: full });
  if (answer.status !== 202) throw failure(answer);
  out(`✔ prune confirmed for ${full}; a pass follows\n`);
  return 0;
}

/** `wait --for revision=<sha>` (applied) or `--for ready` (the head applied and Ready=True). */
export async function waitCommand(options: ConnectionOptions & { for: string; timeout: number }, out: (t: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  const conn = resolveConnection(options);
  const m = /^(?:revision=(?:[^@]+@sha1:)?([0-9a-f]{4,40})|(ready))$/.exec(options.for);
  if (!m) throw new CommandError(`error: --for ${options.for}: expected revision=<sha> or ready`);
  const [, sha, ready] = m;
  const check = deadline(options.timeout, `the condition (${options.for})`);
  const sha1 = (ref: string | null) => ref?.replace(/^.*@sha1:/, '') ?? '';
  for (;;) {
    const s = await fetchJson<Summary>(conn, 'GET', '/status/summary');
    const readyCondition = s.conditions.find((c) => c.type === 'Ready');
    if (sha) {
      if (sha1(s.lastAppliedRevision).startsWith(sha)) {
        out(`✔ revision ${s.lastAppliedRevision} applied\n`);
        return 0;
      }
      // An invalid revision will not be applied without a new commit: say so now rather than at the timeout.
      if (sha1(s.lastAttemptedRevision).startsWith(sha) && readyCondition?.reason === 'ValidationFailed') throw new CommandError(`error: revision ${s.lastAttemptedRevision} will not be applied: ${readyCondition.message}`);
    } else if (ready && readyCondition?.status === 'True' && s.lastAppliedRevision && s.lastAppliedRevision === s.source.headRevision && !s.suspended) {
      out(`✔ ${s.lastAppliedRevision} applied and Ready\n`);
      return 0;
    }
    check();
    await sleep(POLL_MS);
  }
}
