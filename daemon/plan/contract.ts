/**
 * The contract every kind's reconciler meets. A reconciler computes: it observes live objects,
 * compares them with desired ones, admits changes against the plan ledger, and derives status.
 * Only `apply` acts, and only on the registry it is handed inside a transaction.
 */
import type { ManifestObject, SourceLocation } from '../manifests/types.js';
import type { Entity, EntityType, SimulatorSettings } from '../inventory/model/entity.js';
import type { StoredObject } from '../inventory/model/stored-object.js';
import type { InventoryReader, InventoryRegistry } from '../inventory/registry.js';
import type { TaskResult } from '../inventory/model/faults.js';
import type { PlanLedger } from './ledger.js';
import { anySpecOf } from '../manifests/typed-spec.js';


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

/** An object as the Supervisor holds it: what was last applied, and the entity realizing it. */
export interface ObservedObject {
  readonly key: string;
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly object: StoredObject;
  readonly entity: Entity;
}

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** A Kubernetes condition (metav1.Condition without the generation). */
export interface Condition {
  readonly type: string;
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message: string;
  readonly lastTransitionTime?: string;
}

/** Kind-specific status fields and conditions of one object. */
export interface ObjectStatus {
  readonly conditions: readonly Condition[];
  readonly fields?: Readonly<Record<string, unknown>>;
}

export interface PlanContext {
  readonly inventory: InventoryReader;
  readonly ledger: PlanLedger;
  /** Every desired object of the plan (declared and derived), by key. */
  readonly desired: ReadonlyMap<string, ManifestObject>;
  /** A spec in canonical form for its apiVersion/kind (quantities spelled one way). */
  normalizeSpec(apiVersion: string, kind: string, spec: unknown): unknown;
}

/** What an apply step may read besides the registry: the simulator's clock and settings. */
export interface ApplyContext {
  /** The simulator clock (epoch ms): when scheduled tasks fall due. */
  readonly now: number;
  readonly settings: SimulatorSettings;
}

/** What `derive` may read: the live inventory and the other desired objects. */
export interface DeriveContext {
  readonly inventory: InventoryReader;
  readonly desired: ReadonlyMap<string, ManifestObject>;
}

/** Why an object is not as desired: an admission refusal or a task fault, with its message. */
export interface Problem {
  readonly reason: string;
  readonly message: string;
}

/** The problem of an object of this pass, by key. */
export type ProblemLookup = (key: string) => Problem | undefined;

export interface KindReconciler {
  readonly group: string;
  readonly kind: string;
  /** Live objects of this kind. */
  observe(inventory: InventoryReader): Iterable<ObservedObject>;
  /**
   * Set when `observe` is exactly one live object per entity of one type, each observed alone: a
   * reader that knows which of those entities changed observes only them (the Kubernetes API's refresh).
   */
  readonly observesEach?: { readonly type: EntityType; observe(entity: Entity): ObservedObject | undefined };
  /** Charges a live object's membership and consumption to the plan ledger before planning. */
  seed(live: ObservedObject, ledger: PlanLedger): void;
  /** Fields that differ between desired and live (every desired leaf when live is absent). */
  compare(desired: ManifestObject, live: ObservedObject | undefined, ctx: PlanContext): FieldChange[];
  /** Admits a create or update; when allowed, records its effect in the ledger. */
  admit(desired: ManifestObject, live: ObservedObject | undefined, fields: readonly FieldChange[], ctx: PlanContext): Admission;
  /** Admits a delete; when allowed, records its effect in the ledger. */
  admitDelete(live: ObservedObject, ctx: PlanContext): Admission;
  /** Performs an admitted change on the simulator; a fault rolls the step back. */
  apply(change: Change, registry: InventoryRegistry, ctx: ApplyContext): TaskResult<unknown>;
  /**
   * Objects this kind derives from a desired object, as Kubernetes controllers do (a Deployment's
   * ReplicaSets, a ReplicaSet's Pods), computed from the live inventory. They are planned like
   * declared objects and pruned when no longer derived.
   */
  derive?(desired: ManifestObject, ctx: DeriveContext): ManifestObject[];
  /**
   * Status of a desired object given its live entity (absent when not created) and its last
   * problem; `problemOf` gives other objects' problems (a cluster reports why its machines wait).
   */
  status(desired: ManifestObject, live: ObservedObject | undefined, inventory: InventoryReader, problem?: Problem, problemOf?: ProblemLookup): ObjectStatus;
}

const STRUCTURAL = new Set(['apiVersion', 'kind', 'metadata', 'spec', 'status']);

/** The Supervisor's stored form of a validated manifest: the version written, without status. */
export function storedObject(desired: ManifestObject): StoredObject {
  const meta = (desired.body['metadata'] ?? {}) as { labels?: Record<string, string>; annotations?: Record<string, string> };
  const extra = Object.fromEntries(Object.entries(desired.body).filter(([k]) => !STRUCTURAL.has(k)));
  return {
    apiVersion: desired.apiVersion,
    kind: desired.kind,
    namespace: desired.namespace,
    name: desired.name,
    ...(meta.labels ? { labels: meta.labels } : {}),
    ...(meta.annotations ? { annotations: meta.annotations } : {}),
    ...(desired.body['spec'] !== undefined ? { spec: anySpecOf(desired) } : {}),
    ...(desired.owner ? { owner: desired.owner } : {}),
    ...(Object.keys(extra).length ? { extra } : {}),
  };
}

/** The metadata a reconciler compares: labels and annotations, as the user wrote them. */
export function comparableMeta(object: Pick<StoredObject, 'labels' | 'annotations'>): Record<string, unknown> {
  return { labels: object.labels ?? {}, annotations: object.annotations ?? {} };
}

/** Labels, annotations, the spec in canonical form and other top-level data: what kinds compare. */
export function comparableObject(object: StoredObject, ctx: Pick<PlanContext, 'normalizeSpec'>): Record<string, unknown> {
  return { metadata: comparableMeta(object), spec: ctx.normalizeSpec(object.apiVersion, object.kind, object.spec ?? {}), ...object.extra };
}

const observedOf = new WeakMap<Entity, ObservedObject>();

/**
 * Observed form of an entity that realizes a stored object: one instance per entity (entities are
 * immutable values), so what compares observations by identity sees only the entities that changed.
 */
export function observed(group: string, entity: Entity & { object: StoredObject }): ObservedObject {
  const known = observedOf.get(entity);
  if (known?.group === group) return known;
  const { object } = entity;
  const made: ObservedObject = { key: `${group}/${object.kind}/${object.namespace}/${object.name}`, group, kind: object.kind, namespace: object.namespace, name: object.name, object, entity };
  observedOf.set(entity, made);
  return made;
}

export function condition(type: string, status: ConditionStatus, reason: string, message = ''): Condition {
  return { type, status, reason, message };
}

export const ALLOWED: Admission = { allowed: true };

export function refused(reason: Admission['reason'], message: string): Admission {
  return { allowed: false, ...(reason ? { reason } : {}), message };
}
