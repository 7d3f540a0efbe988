/** The plan: what a revision changes in the inventory, in apply order, with admission verdicts. */
import type { ManifestObject, SourceLocation } from '../manifests/types.js';

export type ChangeAction = 'create' | 'update' | 'delete';

/** One field that differs: `from` absent on create, `to` absent on delete. */
export interface FieldChange {
  readonly path: string;
  readonly from?: unknown;
  readonly to?: unknown;
}

/** Closed vocabulary of admission refusals. */
export type AdmissionReason =
  | 'QuotaExceeded'
  | 'NamespaceNotFound'
  | 'NamespaceNotEmpty'
  | 'ClassNotFound'
  | 'ImageNotFound'
  | 'StorageClassNotFound'
  | 'NoAvailableHosts'
  | 'InsufficientResources'
  | 'Immutable'
  | 'InvalidPowerState'
  | 'NotAllowedByPolicy'
  | 'ClaimNotFound'
  | 'SecretNotFound'
  | 'ResourcePolicyNotFound'
  | 'EncryptionClassNotFound'
  | 'NotFound'
  | 'InUse'
  | 'LimitRangeViolation'
  | 'Forbidden'
  | 'Invalid';

export interface Placement {
  /** Host name (ESXi). */
  readonly host: string;
  /** Datastore name (of the VM's disks; absent for a vSphere Pod). */
  readonly datastore?: string;
}

export interface Admission {
  readonly allowed: boolean;
  readonly reason?: AdmissionReason;
  readonly message?: string;
  readonly placement?: Placement;
  /** Informational lines (quota left after the change, resize pending power-off). */
  readonly notes?: readonly string[];
  /** What the Supervisor ignores or changes in the object; recorded as Warning events when applied. */
  readonly warnings?: readonly string[];
}

/** One change to one object. Creates and updates carry the desired object; deletes the live identity. */
export interface Change {
  readonly action: ChangeAction;
  readonly key: string;
  readonly apiVersion: string;
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly source?: SourceLocation;
  readonly fields: readonly FieldChange[];
  readonly admission: Admission;
  /** Apply wave (kind order); deletes run after every create/update, in reverse wave order. */
  readonly wave: number;
  readonly desired?: ManifestObject;
  /** Set when pacific did not create the object: a prune only forgets it. */
  readonly release?: boolean;
  /** Set when the repo did not change the object: the inventory drifted from what was applied. */
  readonly drift?: boolean;
  /** `Kind/namespace/name` of the declared object this one is derived from. */
  readonly owner?: string;
}

export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  unchanged: number;
}

export interface Plan {
  readonly revision: string;
  /** Every desired object: the declared ones and those derived from them. */
  readonly objects: readonly ManifestObject[];
  readonly changes: readonly Change[];
  readonly unchanged: readonly string[];
  readonly summary: PlanSummary;
}
