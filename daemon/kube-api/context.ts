/** What every API handler works with: the request as the API reads it and the shared services. */
import type { IncomingHttpHeaders } from 'node:http';
import { usableScope, type Grants, type UsableScope } from '../access/grants.js';
import type { Catalog } from './catalog.js';
import type { CoreView } from './core-view.js';
import type { RenderContext } from './render.js';
import type { ResourceTable, ResourceType } from './resources.js';

export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly grants: Grants;
  /** The request body, read once (bounded by the listener). */
  body(): Promise<Buffer>;
}

/** The resource a path names, at a version, in a namespace, optionally one object and a subresource. */
export interface Target {
  readonly resource: ResourceType;
  readonly version: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: string;
}

export interface ApiContext {
  readonly core: CoreView;
  readonly table: ResourceTable;
  readonly catalog: Catalog;
  readonly render: RenderContext;
  /** How often an idle watch gets a bookmark when it asks for them. */
  readonly bookmarkEveryMs: number;
  /** Told, for each watch, the ms from the apply that caused a change to its event written to the connection. */
  readonly watchDelivered?: (ms: number) => void;
}

/** The identity's usable cluster scope, computed at most once per request. */
export function usableOf(ctx: ApiContext, grants: Grants): () => UsableScope {
  let scope: UsableScope | undefined;
  return () => (scope ??= usableScope(grants, ctx.core.inventory));
}

export function apiVersionOf(r: ResourceType, version: string): string {
  return r.group ? `${r.group}/${version}` : version;
}
