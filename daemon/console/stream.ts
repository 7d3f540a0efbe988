/**
 * Live updates for the console: one Server-Sent Events stream per page carrying the Kubernetes
 * API's watch events of every kind the identity may see (a browser holds six connections per
 * origin, so one stream instead of a watch per kind). Event ids are resourceVersions: a reconnect
 * resumes after the last one seen (`Last-Event-ID`), and a version the feed no longer holds is an
 * `expired` event (the page reloads its view, as a client relists after 410). A `status` event says
 * the source's revisions, conditions, held prune or suspension changed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Grants } from '../access/grants.js';
import { usableScope } from '../access/grants.js';
import { visible } from '../kube-api/authorize.js';
import type { Change } from '../kube-api/change-feed.js';
import { healthOf } from './health.js';
import { statusVersion, type ConsoleCore } from './views.js';

/** A comment line this often keeps proxies and the browser from closing an idle stream. */
export const HEARTBEAT_MS = 15_000;
/** How often the source's state is compared for a `status` event. */
export const STATUS_POLL_MS = 500;

/**
 * Streams on `res` until the client goes or `grantsNow` says the session ended (undefined); the
 * grants are read again for every batch, so a permission removed in Git stops what the page receives.
 */
export function streamChanges(core: ConsoleCore, req: IncomingMessage, res: ServerResponse, from: { since?: string; status?: string }, grantsNow: () => Grants | undefined): void {
  const { since } = from;
  const { feed } = core.catalog;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
  const send = (event: string, data: unknown, id?: number) => res.write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const deliver = (changes: readonly Change[]) => {
    const grants = grantsNow();
    if (!grants) {
      send('ended', { message: 'the session has ended: sign in again' });
      res.end();
      return;
    }
    let usable: ReturnType<typeof usableScope> | undefined;
    const scope = () => (usable ??= usableScope(grants, core.inventory));
    const seen = changes
      .filter((c) => visible(grants, scope, c.object))
      .map((c) => {
        const o = c.object.object;
        return { type: c.type, key: o.key, kind: o.resource.kind, namespace: o.namespace, name: o.name, health: o.resource.kind === 'Event' ? undefined : healthOf(o.status).health };
      });
    const last = changes.at(-1)?.object.meta.resourceVersion;
    if (seen.length) send('change', { changes: seen }, last);
  };
  const rv = since === undefined || since === '' ? undefined : Number(since);
  if (rv !== undefined) {
    const backlog = Number.isInteger(rv) && rv >= 0 && rv <= feed.revision() ? feed.since(rv) : 'expired';
    if (backlog === 'expired') send('expired', { resourceVersion: feed.revision() });
    else if (backlog.length) deliver(backlog);
  }
  send('ready', { resourceVersion: feed.revision() }, feed.revision());
  const unsubscribe = feed.subscribe(deliver);
  let digest = statusVersion(core);
  if (from.status && from.status !== digest) send('status', {});
  const poll = setInterval(() => {
    const now = statusVersion(core);
    if (now !== digest) {
      digest = now;
      send('status', {});
    }
  }, STATUS_POLL_MS);
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const stop = () => {
    unsubscribe();
    clearInterval(poll);
    clearInterval(heartbeat);
  };
  req.on('close', stop);
  res.on('close', stop);
}
