/**
 * get, list and watch. A list is the served objects the identity may see, filtered by the label
 * and field selectors, as JSON (each object's JSON made once) or as a Table. A watch sends the
 * changes after the requested resourceVersion as JSON lines (one-row Tables for a Table watch),
 * bookmarks when asked, and 410 Expired for a version the change feed no longer holds.
 */
import type { ServerResponse } from 'node:http';
import { maySeeSecretData } from '../access/grants.js';
import { visible } from './authorize.js';
import type { Change } from './change-feed.js';
import { apiVersionOf, usableOf, type ApiContext, type ApiRequest, type Target } from './context.js';
import { apiKey, type ServedObject } from './objects.js';
import type { ResourceType } from './resources.js';
import { renderJson, renderJsonBytes, renderObject } from './render.js';
import { fieldSelector, labelSelector, SelectorError } from './selectors.js';
import { badRequest, failure, JsonListBody, notFound, ok, type Reply } from './status.js';
import { columnDefinitions, includeObjectOf, TABLE_CONTENT_TYPE, tableColumns, tableRow, wantsTable } from './tables.js';

type Filter = (s: ServedObject) => boolean;

/** The resource whose objects a read returns: events.k8s.io Events are the core Events, in their own shape. */
function heldAs(ctx: ApiContext, r: ResourceType): ResourceType {
  return r.group === 'events.k8s.io' ? (ctx.table.ofKind('', 'Event') ?? r) : r;
}

/** The filter of a read (visibility, namespace, selectors), or a 400 reply naming a bad selector. */
function readFilter(ctx: ApiContext, req: ApiRequest, target: Target): Filter | Reply {
  try {
    const usable = usableOf(ctx, req.grants);
    const labels = labelSelector(req.query.get('labelSelector'));
    const fieldText = req.query.get('fieldSelector');
    const fields = fieldSelector(target.resource.kind, fieldText);
    const apiVersion = apiVersionOf(target.resource, target.version);
    return (s) =>
      (target.namespace === undefined || s.object.namespace === target.namespace) &&
      visible(req.grants, usable, s) &&
      labels(s.object.labels) &&
      (!fieldText || fields(renderObject(s, apiVersion, ctx.render)));
  } catch (err) {
    if (err instanceof SelectorError) return badRequest(err.message);
    throw err;
  }
}

function secretsFor(req: ApiRequest, s: ServedObject): boolean {
  return s.object.resource.kind !== 'Secret' || maySeeSecretData(req.grants, s.object.namespace);
}

export function getObject(ctx: ApiContext, req: ApiRequest, target: Target): Reply {
  const r = target.resource;
  const held = heldAs(ctx, r);
  const s = ctx.catalog.get(apiKey(held.group, held.kind, target.namespace ?? '', target.name!));
  if (!s || !visible(req.grants, usableOf(ctx, req.grants), s)) return notFound(r, target.name!);
  const apiVersion = apiVersionOf(r, target.version);
  if (wantsTable(req.headers.accept)) {
    const columns = tableColumns(r, target.version);
    const object = renderObject(s, apiVersion, ctx.render, secretsFor(req, s));
    const row = tableRow(columns, object, target.version, includeObjectOf(req.query.get('includeObject')), ctx.core.now());
    return ok({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: String(s.meta.resourceVersion) }, columnDefinitions: columnDefinitions(columns), rows: [row] }, 200, TABLE_CONTENT_TYPE);
  }
  return ok(renderJson(s, apiVersion, ctx.render, secretsFor(req, s)));
}

export function listObjects(ctx: ApiContext, req: ApiRequest, target: Target): Reply {
  const filter = readFilter(ctx, req, target);
  if (typeof filter !== 'function') return filter;
  const r = target.resource;
  const revision = String(ctx.catalog.feed.revision());
  const items = ctx.catalog.list(heldAs(ctx, r), target.namespace).filter(filter);
  const apiVersion = apiVersionOf(r, target.version);
  if (wantsTable(req.headers.accept)) {
    const columns = tableColumns(r, target.version);
    const include = includeObjectOf(req.query.get('includeObject'));
    const now = ctx.core.now();
    const rows = items.map((s) => tableRow(columns, renderObject(s, apiVersion, ctx.render, secretsFor(req, s)), target.version, include, now));
    return ok({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: revision }, columnDefinitions: columnDefinitions(columns), rows }, 200, TABLE_CONTENT_TYPE);
  }
  const head = `{"kind":"${r.kind}List","apiVersion":"${apiVersion}","metadata":{"resourceVersion":"${revision}"},"items":[`;
  return ok(new JsonListBody(head, items.map((s) => renderJsonBytes(s, apiVersion, ctx.render, secretsFor(req, s))), ']}'));
}

/** Streams a watch on `res`; returns a Reply instead when the watch cannot start (bad selector, 410). */
export function watchObjects(ctx: ApiContext, req: ApiRequest, target: Target, res: ServerResponse): Reply | undefined {
  const filter = readFilter(ctx, req, target);
  if (typeof filter !== 'function') return filter;
  const r = target.resource;
  const { feed } = ctx.catalog;
  const rvText = req.query.get('resourceVersion') ?? '';
  const initialEvents = req.query.get('sendInitialEvents') === 'true';
  let backlog: readonly Change[];
  if (!rvText || rvText === '0' || initialEvents) {
    backlog = ctx.catalog.list(heldAs(ctx, r), target.namespace).map((object) => ({ type: 'ADDED' as const, object }));
  } else {
    const rv = Number(rvText);
    if (!Number.isInteger(rv) || rv < 0) return badRequest(`invalid resourceVersion "${rvText}"`);
    if (rv > feed.revision()) return failure(504, 'Timeout', `Timeout: Too large resource version: ${rv}, current: ${feed.revision()}`);
    const since = feed.since(rv);
    if (since === 'expired') return failure(410, 'Expired', `too old resource version: ${rv} (${feed.revision()})`);
    backlog = since;
  }
  const apiVersion = apiVersionOf(r, target.version);
  const table = wantsTable(req.headers.accept);
  const columns = table ? tableColumns(r, target.version) : [];
  const include = includeObjectOf(req.query.get('includeObject'));
  let definitionsSent = false;
  const line = (c: Change): string => {
    if (!table) return `{"type":"${c.type}","object":${renderJson(c.object, apiVersion, ctx.render, secretsFor(req, c.object))}}\n`;
    const object = renderObject(c.object, apiVersion, ctx.render, secretsFor(req, c.object));
    const definitions = definitionsSent ? null : columnDefinitions(columns);
    definitionsSent = true;
    const tableObject = { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: String(c.object.meta.resourceVersion) }, columnDefinitions: definitions, rows: [tableRow(columns, object, target.version, include, ctx.core.now())] };
    return `${JSON.stringify({ type: c.type, object: tableObject })}\n`;
  };
  const send = (changes: readonly Change[], causedAtMs?: number) => {
    let text = '';
    const held = heldAs(ctx, r);
    for (const c of changes) if (c.object.object.resource === held && filter(c.object)) text += line(c);
    if (!text) return;
    const delivered = ctx.watchDelivered;
    // Timed when the connection took the bytes (the kernel has them), from the apply that caused them.
    if (causedAtMs !== undefined && delivered) res.write(text, () => delivered(Date.now() - causedAtMs));
    else res.write(text);
  };
  const bookmark = (annotations?: Record<string, string>) =>
    res.write(`${JSON.stringify({ type: 'BOOKMARK', object: { kind: r.kind, apiVersion, metadata: { resourceVersion: String(feed.revision()), ...(annotations ? { annotations } : {}) } } })}\n`);
  res.writeHead(200, { 'content-type': table ? TABLE_CONTENT_TYPE : 'application/json', 'cache-control': 'no-cache, private' });
  res.flushHeaders();
  const unsubscribe = feed.subscribe(send);
  send(backlog);
  const bookmarks = req.query.get('allowWatchBookmarks') === 'true';
  if (initialEvents && bookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
  const ticker = bookmarks ? setInterval(() => bookmark(), ctx.bookmarkEveryMs) : undefined;
  const timeoutSeconds = Number(req.query.get('timeoutSeconds') ?? 0);
  const timer = timeoutSeconds > 0 ? setTimeout(() => res.end(), timeoutSeconds * 1000) : undefined;
  res.on('close', () => {
    unsubscribe();
    clearInterval(ticker);
    clearTimeout(timer);
  });
  return undefined;
}
