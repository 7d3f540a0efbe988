/** Records the store keeps besides the inventory. */
import type { Diagnostic, SourceLocation } from '../manifests/types.js';
import type { Condition, ObjectStatus } from '../plan/contract.js';
import type { Ownership } from '../plan/planner.js';
import type { PruneHold } from '../plan/prune-bound.js';

export interface OwnedObject {
  readonly key: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly origin: Ownership;
  readonly revision: string;
  readonly source?: SourceLocation;
}

export type EventType = 'Normal' | 'Warning';

export interface StoredEvent {
  readonly seq?: number;
  readonly time: string;
  readonly type: EventType;
  readonly reason: string;
  /** `Kind/namespace/name`, or the source for events about the repo. */
  readonly object: string;
  readonly message: string;
  readonly revision?: string;
}

/** One object's status as `/status` lists it. */
export interface ObjectStatusRecord extends ObjectStatus {
  readonly key: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly source?: SourceLocation;
  /** `Kind/namespace/name` of the object this one is derived from. */
  readonly owner?: string;
}

/** The reconciler's own state: revisions, source health, conditions, diagnostics. */
export interface SyncState {
  readonly headRevision?: string;
  readonly lastAppliedRevision?: string;
  readonly lastAttemptedRevision?: string;
  readonly conditions: readonly Condition[];
  readonly diagnostics: readonly Diagnostic[];
  /** Set while the head revision is held by the prune bound (until confirmed or replaced). */
  readonly pruneHold?: PruneHold;
}
