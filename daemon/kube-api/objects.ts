/**
 * An object as the Kubernetes API serves it, before version conversion: what pacific computed
 * (the held object, its status, its owner and where it is declared) plus the metadata the API
 * keeps for it (uid, resourceVersion, generation, creationTimestamp).
 */
import type { ResourceType } from './resources.js';

/** Where an object is declared: the repo, branch, commit that last changed it, file and line. */
export interface Provenance {
  readonly file: string;
  readonly line: number;
}

/** What pacific holds for an object (inputs of the API's bookkeeping). */
export interface ApiObject {
  readonly resource: ResourceType;
  /** `group/Kind/namespace/name`, the resource's group (the identity across versions). */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  /** The version the object is held at (what the user wrote, or what pacific derives). */
  readonly apiVersion: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly spec?: unknown;
  /** Top-level fields besides metadata, spec and status (ConfigMap data, Event fields). */
  readonly extra?: Readonly<Record<string, unknown>>;
  readonly status?: Readonly<Record<string, unknown>>;
  /** Key of the owning object (ownerReferences). */
  readonly ownerKey?: string;
  /** Set on declared objects: where, so a refused write can name the file. */
  readonly declared?: Provenance;
  /** The declaration as kubectl's last-applied-configuration annotation spells it (declared objects). */
  readonly lastApplied?: string;
  /** When the object came to be, when pacific knows better than "first seen" (events). */
  readonly created?: string;
  /** Events: the key of the object the event is about (its uid is filled in when served). */
  readonly involvedKey?: string;
}

/** What the API keeps per object across restarts. */
export interface ObjectMeta {
  readonly uid: string;
  readonly resourceVersion: number;
  readonly generation: number;
  readonly creationTimestamp: string;
  /** The commit that last changed the declaration (declared objects). */
  readonly commit?: string;
  /** Hash of spec and top-level data (generation bumps when it changes). */
  readonly specHash: string;
  /** Hash of everything served (a new resourceVersion when it changes). */
  readonly contentHash: string;
}

/** An object with its metadata, and its JSON per version computed once. */
export interface ServedObject {
  readonly object: ApiObject;
  readonly meta: ObjectMeta;
  /** Rendered JSON by apiVersion, as UTF-8 bytes (filled lazily by the renderer; a LIST writes them as they are). */
  readonly json: Map<string, Buffer>;
}

/** `group/Kind/namespace/name`. */
export function apiKey(group: string, kind: string, namespace: string, name: string): string {
  return `${group}/${kind}/${namespace}/${name}`;
}
