/** A Kubernetes object as the Supervisor stores it: the version the user wrote, without status. */
export interface StoredObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly spec?: Readonly<Record<string, unknown>>;
  /** `Kind/namespace/name` of the object this one was derived from (a ReplicaSet's Deployment). */
  readonly owner?: string;
  /** Top-level fields besides metadata and spec that the kind carries (ConfigMap data, Secret type). */
  readonly extra?: Readonly<Record<string, unknown>>;
}
