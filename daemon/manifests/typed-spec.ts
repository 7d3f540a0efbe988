/**
 * A validated object's spec through its kind's generated type (`kinds.generated.ts`, printed from
 * the definitions that validated it), so no reader casts a spec. The kind is checked, not assumed:
 * asking a VirtualMachine for a Deployment's spec is a programming error and throws.
 */
import type { KindSpecs, KindsWithOptionalSpec } from './kinds.generated.js';
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
