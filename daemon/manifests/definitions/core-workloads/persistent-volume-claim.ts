/**
 * `v1` PersistentVolumeClaim: on the Supervisor a first-class disk, placed by storage class (storage
 * policy). Its spec is also the template of a pod's ephemeral volumes.
 */
import { enumOf, list, obj, quantity, str } from '../dsl/builders.js';
import type { KindDefinition } from '../dsl/kind.js';
import { labelSelector, resourceList, typedLocalObjectReference, typedObjectReference } from './common.js';
import { mapWithKeys } from './dsl-extra.js';

const accessMode = () => enumOf('ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod');

/**
 * `PersistentVolumeClaimSpec`. As the API server validates it, a claim names at least one access mode
 * and requests `storage`, whatever its data source.
 */
export const persistentVolumeClaimSpec = obj(
  {
    accessModes: list(accessMode(), { minItems: 1 }),
    dataSource: typedLocalObjectReference,
    dataSourceRef: typedObjectReference,
    resources: obj({ limits: resourceList, requests: mapWithKeys(quantity(), 'storage') }, { required: ['requests'] }),
    selector: labelSelector,
    storageClassName: str(),
    volumeAttributesClassName: str(),
    volumeMode: enumOf('Block', 'Filesystem'),
    volumeName: str(),
  },
  { required: ['accessModes', 'resources'] },
);

/** `v1` PersistentVolumeClaim (namespaced, DNS-subdomain name). */
export const persistentVolumeClaimV1: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  namespaced: true,
  nameFormat: 'dns-subdomain',
  fields: { spec: persistentVolumeClaimSpec },
  required: ['spec'],
};
