/**
 * Desired objects by the namespace they follow (a Namespace its own, other cluster-scoped objects
 * under ''), kept across passes and changed namespace by namespace, so an incremental pass picks
 * out the objects of its scope without walking the others.
 */
import type { ManifestObject } from '../manifests/types.js';
import { scopeNamespace } from '../plan/scoped-inventory.js';

const bucketOf = (o: ManifestObject) => scopeNamespace(o) ?? '';

/** Declaration order: file, then line (a file's documents in order). */
function byDeclaration(a: ManifestObject, b: ManifestObject): number {
  return a.source.file < b.source.file ? -1 : a.source.file > b.source.file ? 1 : a.source.line - b.source.line;
}

export class DesiredIndex {
  private readonly buckets = new Map<string, Map<string, ManifestObject>>();
  /** Every object by key (the Kubernetes API looks declarations up one by one). */
  private readonly byKey = new Map<string, ManifestObject>();

  constructor(objects: Iterable<ManifestObject> = []) {
    for (const o of objects) this.add(o);
  }

  get size(): number {
    return this.byKey.size;
  }

  /** The object held under `key`, if any. */
  find(key: string): ManifestObject | undefined {
    return this.byKey.get(key);
  }

  /** The object held under `o`'s key, if any. */
  get(o: ManifestObject): ManifestObject | undefined {
    return this.buckets.get(bucketOf(o))?.get(o.key);
  }

  add(o: ManifestObject): void {
    let bucket = this.buckets.get(bucketOf(o));
    if (!bucket) this.buckets.set(bucketOf(o), (bucket = new Map()));
    bucket.set(o.key, o);
    this.byKey.set(o.key, o);
  }

  remove(o: ManifestObject): void {
    const bucket = this.buckets.get(bucketOf(o));
    if (bucket?.get(o.key) !== o) return;
    bucket.delete(o.key);
    this.byKey.delete(o.key);
  }

  /** The objects of `namespaces` and the cluster-scoped ones, in declaration order. */
  select(namespaces: ReadonlySet<string>): ManifestObject[] {
    const out: ManifestObject[] = [];
    for (const ns of ['', ...namespaces]) for (const o of this.buckets.get(ns)?.values() ?? []) out.push(o);
    return out.sort(byDeclaration);
  }

  /** Replaces the objects of `namespaces` and the cluster-scoped ones with `objects` (all of theirs); returns the keys that went away. */
  replace(namespaces: ReadonlySet<string>, objects: readonly ManifestObject[]): string[] {
    const gone = new Set<string>();
    for (const ns of ['', ...namespaces]) {
      for (const key of this.buckets.get(ns)?.keys() ?? []) {
        gone.add(key);
        this.byKey.delete(key);
      }
      this.buckets.delete(ns);
    }
    for (const o of objects) {
      gone.delete(o.key);
      this.add(o);
    }
    return [...gone];
  }

  /** Every object (no particular order). */
  all(): ManifestObject[] {
    const out: ManifestObject[] = [];
    for (const bucket of this.buckets.values()) for (const o of bucket.values()) out.push(o);
    return out;
  }
}
