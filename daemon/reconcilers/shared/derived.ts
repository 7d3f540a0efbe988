/** Objects a reconciler derives from a desired one, as a Kubernetes controller creates them. */
import { displayName, objectKey, type ManifestObject } from '../../manifests/types.js';

/**
 * A derived object in the parent's namespace, at the parent's source location (where a user looks
 * for why it exists), owned by the parent. `body` holds metadata beyond name/namespace and spec.
 */
export function derivedObject(parent: ManifestObject, apiVersion: string, kind: string, name: string, body: Record<string, unknown>): ManifestObject {
  const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
  const { metadata, ...rest } = body;
  return {
    key: objectKey(group, kind, parent.namespace, name),
    apiVersion,
    group,
    version,
    kind,
    namespace: parent.namespace,
    name,
    namespaced: true,
    body: { apiVersion, kind, metadata: { name, namespace: parent.namespace, ...((metadata as object | undefined) ?? {}) }, ...rest },
    source: parent.source,
    owner: displayName(parent.kind, parent.namespace, parent.name),
  };
}
