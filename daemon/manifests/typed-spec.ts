/**
 * A validated object's spec through its kind's generated type (`kinds.generated.ts`, printed from
 * the definitions that validated it), so no reader casts a spec. The kind is checked, not assumed:
 * asking a VirtualMachine for a Deployment's spec is a programming error and throws.
 */
import type { KindSpecs, KindsWithOptionalSpec, KindVersionSpecs } from './kinds.generated.js';
import type { ManifestObject } from './types.js';

export type TypedKind = keyof KindSpecs;

/** A kind's spec as a valid object of it carries one: absent only when some version lets it be. */
export type SpecOf<K extends TypedKind> = K extends KindsWithOptionalSpec ? KindSpecs[K] | undefined : KindSpecs[K];

function sameKind(actual: string, kind: TypedKind): void {
  if (actual !== kind) throw new Error(`a ${actual}'s spec read as a ${kind}'s`);
}

/**
 * The spec of a validated (or derived) object of `kind`. Its body passed the kind's schema, whose
 * definition printed `KindSpecs[kind]`: the one place that trust becomes a type.
 */
export function specOf<K extends TypedKind>(object: Pick<ManifestObject, 'kind' | 'body'>, kind: K): SpecOf<K> {
  sameKind(object.kind, kind);
  return object.body['spec'] as SpecOf<K>;
}

/**
 * The spec of a live object of `kind` in the inventory: it was applied from a validated or
 * derived object (or written through the Kubernetes API, which validates too), so it has the
 * kind's type; absent when the object has none.
 */
export function liveSpecOf<K extends TypedKind>(object: { readonly kind: string; readonly spec?: unknown }, kind: K): KindSpecs[K] | undefined {
  sameKind(object.kind, kind);
  return object.spec as KindSpecs[K] | undefined;
}

/** A live object's spec with the version it was written at: narrowing `version` narrows `spec`. */
export type VersionedSpec<K extends TypedKind> = {
  [V in keyof KindVersionSpecs[K]]: { readonly version: V; readonly spec: KindVersionSpecs[K][V] | undefined };
}[keyof KindVersionSpecs[K]];

/** Like `liveSpecOf`, for code that reads versions differently (a conversion): the version tells which type the spec has. */
export function versionedSpecOf<K extends TypedKind>(object: { readonly kind: string; readonly apiVersion: string; readonly spec?: unknown }, kind: K): VersionedSpec<K> {
  sameKind(object.kind, kind);
  return { version: object.apiVersion.slice(object.apiVersion.indexOf('/') + 1), spec: object.spec } as VersionedSpec<K>;
}

type KeysOfUnion<T> = T extends unknown ? keyof T : never;

/**
 * One reading of several versions' specs (a union): every field any of them has, optional, typed
 * as the versions that have it type it. A conversion's internal shape (vm-operator's hub) is this.
 */
export type Merged<T> = { readonly [F in KeysOfUnion<T>]?: T extends unknown ? (F extends keyof T ? T[F] : never) : never };

/** A kind's spec read field by field where it may be absent (`specOf(o, kind) ?? {}`): every field optional. */
export type SpecFields<K extends TypedKind> = Partial<KindSpecs[K]>;

/**
 * A validated (or derived) object's spec whatever its kind, as the store keeps every kind's: each
 * kind's schema makes `spec` an object. For kind-agnostic code (the stored form, comparisons).
 */
export function anySpecOf(object: Pick<ManifestObject, 'body'>): Readonly<Record<string, unknown>> | undefined {
  return object.body['spec'] as Readonly<Record<string, unknown>> | undefined;
}
