/** What the Kubernetes API reads from the core: nothing here is computed by the API itself. */
import type { SchemaRegistry } from '../manifests/schema-registry.js';
import type { ManifestObject } from '../manifests/types.js';
import type { Ownership } from '../plan/planner.js';
import type { ObjectStatusRecord, StoredEvent } from '../store/types.js';
import type { VersionedInventory } from './inventory-reads.js';

/** Where a reader of the statuses' changes is (the core's own bookkeeping: compared, never made here). */
export interface StatusCursor {
  readonly book: object;
  readonly at: number;
}

export interface CoreView {
  readonly inventory: VersionedInventory;
  readonly schemas: SchemaRegistry;
  /** Where the desired state comes from (named in provenance and in refused writes). */
  readonly source: { readonly repo: string; readonly branch: string; readonly tenantRoot?: string };
  /** Object statuses of the last pass (the same array until a pass saves new ones). */
  statuses(): readonly ObjectStatusRecord[];
  /** One object's status of the last pass. */
  status(key: string): ObjectStatusRecord | undefined;
  /** Keys whose status was put or deleted since `cursor`, and the cursor now; `all` when the core cannot say. */
  statusChangesSince(cursor: StatusCursor | undefined): { readonly keys: readonly string[] | 'all'; readonly cursor: StatusCursor };
  /** Every desired object of the last applied plan, declared and derived. */
  desiredObject(key: string): ManifestObject | undefined;
  /** The revision whose objects are applied, and its declared objects. */
  applied(): { readonly revision: string; readonly objects: readonly ManifestObject[] } | undefined;
  /** Objects pacific manages and how (what a dry-run plan prunes). */
  ownership(): ReadonlyMap<string, Ownership>;
  /** The newest events, newest first. */
  recentEvents(limit: number): readonly StoredEvent[];
  /** Wall clock, ms since the epoch. */
  now(): number;
}
