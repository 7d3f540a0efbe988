/**
 * `v1` Volume: a named source a pod's containers mount. Every source type of the API is here,
 * hostPath included: the Supervisor refuses hostPath at admission (except `/var/log/pods`
 * read-only), not at validation, so the refusal can name the rule.
 */
import { bool, enumOf, int, list, mapOf, obj, quantity, str } from '../dsl/builders.js';
import { labelSelector, localObjectReference, templateMetadata } from './common.js';
import { objectFieldSelector, resourceFieldSelector } from './env.js';
import { persistentVolumeClaimSpec } from './persistent-volume-claim.js';
import { inTreeVolumeSources } from './volume-sources-in-tree.js';

// File permission bits. The API server caps them at 0777 (511), but our YAML 1.2 parser reads the
// usual `0644` as decimal 644 where Kubernetes' YAML 1.1 reads octal 420; a cap would refuse
// correct manifests, so it waits until the parser reads 1.1 octals.
const mode = () => int({ minimum: 0 });

const keyToPath = obj({ key: str(), mode: mode(), path: str({ minLength: 1 }) }, { required: ['key', 'path'] });

const downwardAPIVolumeFile = obj(
  { fieldRef: objectFieldSelector, mode: mode(), path: str({ minLength: 1 }), resourceFieldRef: resourceFieldSelector },
  { required: ['path'] },
);

const configMapProjection = obj({ items: list(keyToPath), name: str(), optional: bool() });
const secretProjection = obj({ items: list(keyToPath), name: str(), optional: bool() });

const volumeProjection = obj({
  clusterTrustBundle: obj(
    { labelSelector, name: str(), optional: bool(), path: str(), signerName: str() },
    { required: ['path'] },
  ),
  configMap: configMapProjection,
  downwardAPI: obj({ items: list(downwardAPIVolumeFile) }),
  podCertificate: obj(
    {
      certificateChainPath: str(),
      credentialBundlePath: str(),
      keyPath: str(),
      keyType: enumOf('RSA3072', 'RSA4096', 'ECDSAP256', 'ECDSAP384', 'ECDSAP521', 'ED25519'),
      maxExpirationSeconds: int({ minimum: 3600, maximum: 7862400 }),
      signerName: str(),
      userAnnotations: mapOf(str()),
    },
    { required: ['signerName', 'keyType'] },
  ),
  secret: secretProjection,
  serviceAccountToken: obj({ audience: str(), expirationSeconds: int({ minimum: 600 }), path: str() }, { required: ['path'] }),
});

/** The volume sources Kubernetes itself implements (no in-tree storage plugin). */
const nativeVolumeSources = {
  configMap: obj({ defaultMode: mode(), items: list(keyToPath), name: str(), optional: bool() }),
  csi: obj(
    { driver: str(), fsType: str(), nodePublishSecretRef: localObjectReference, readOnly: bool(), volumeAttributes: mapOf(str()) },
    { required: ['driver'] },
  ),
  downwardAPI: obj({ defaultMode: mode(), items: list(downwardAPIVolumeFile) }),
  emptyDir: obj({ medium: str(), sizeLimit: quantity() }),
  ephemeral: obj({ volumeClaimTemplate: obj({ metadata: templateMetadata, spec: persistentVolumeClaimSpec }, { required: ['spec'] }) }),
  hostPath: obj(
    {
      path: str({ minLength: 1 }),
      type: enumOf('', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'),
    },
    { required: ['path'] },
  ),
  image: obj({ pullPolicy: enumOf('Always', 'Never', 'IfNotPresent'), reference: str() }),
  persistentVolumeClaim: obj({ claimName: str({ minLength: 1 }), readOnly: bool() }, { required: ['claimName'] }),
  projected: obj({ defaultMode: mode(), sources: list(volumeProjection) }),
  secret: obj({ defaultMode: mode(), items: list(keyToPath), optional: bool(), secretName: str() }),
};

/** `Volume`: a DNS-label name and its source (native or in-tree plugin). */
export const volume = obj(
  { name: str({ format: 'dns1123-label', maxLength: 63 }), ...nativeVolumeSources, ...inTreeVolumeSources },
  { required: ['name'] },
);
