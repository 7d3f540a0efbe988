/**
 * The in-tree volume plugins of `v1` Volume (cloud disks, network filesystems, SAN). Most are
 * deprecated or redirected to CSI drivers, but the API still accepts them, so manifests that carry
 * them validate; the Supervisor decides at admission which sources a vSphere Pod may use.
 */
import { bool, int, list, mapOf, obj, str, type Schema } from '../dsl/builders.js';
import { localObjectReference } from './common.js';

const fsType = () => str();
const readOnly = () => bool();
const secretRef = localObjectReference;
const strings = () => list(str());

/** Volume source field name → schema, for every in-tree plugin. */
export const inTreeVolumeSources: Record<string, Schema> = {
  awsElasticBlockStore: obj({ fsType: fsType(), partition: int(), readOnly: readOnly(), volumeID: str() }, { required: ['volumeID'] }),
  azureDisk: obj(
    { cachingMode: str(), diskName: str(), diskURI: str(), fsType: fsType(), kind: str(), readOnly: readOnly() },
    { required: ['diskName', 'diskURI'] },
  ),
  azureFile: obj({ readOnly: readOnly(), secretName: str(), shareName: str() }, { required: ['secretName', 'shareName'] }),
  cephfs: obj(
    { monitors: strings(), path: str(), readOnly: readOnly(), secretFile: str(), secretRef, user: str() },
    { required: ['monitors'] },
  ),
  cinder: obj({ fsType: fsType(), readOnly: readOnly(), secretRef, volumeID: str() }, { required: ['volumeID'] }),
  fc: obj({ fsType: fsType(), lun: int(), readOnly: readOnly(), targetWWNs: strings(), wwids: strings() }),
  flexVolume: obj(
    { driver: str(), fsType: fsType(), options: mapOf(str()), readOnly: readOnly(), secretRef },
    { required: ['driver'] },
  ),
  flocker: obj({ datasetName: str(), datasetUUID: str() }),
  gcePersistentDisk: obj({ fsType: fsType(), partition: int(), pdName: str(), readOnly: readOnly() }, { required: ['pdName'] }),
  gitRepo: obj({ directory: str(), repository: str(), revision: str() }, { required: ['repository'] }),
  glusterfs: obj({ endpoints: str(), path: str(), readOnly: readOnly() }, { required: ['endpoints', 'path'] }),
  iscsi: obj(
    {
      chapAuthDiscovery: bool(),
      chapAuthSession: bool(),
      fsType: fsType(),
      initiatorName: str(),
      iqn: str(),
      iscsiInterface: str(),
      lun: int(),
      portals: strings(),
      readOnly: readOnly(),
      secretRef,
      targetPortal: str(),
    },
    { required: ['targetPortal', 'iqn', 'lun'] },
  ),
  nfs: obj({ path: str(), readOnly: readOnly(), server: str() }, { required: ['server', 'path'] }),
  photonPersistentDisk: obj({ fsType: fsType(), pdID: str() }, { required: ['pdID'] }),
  portworxVolume: obj({ fsType: fsType(), readOnly: readOnly(), volumeID: str() }, { required: ['volumeID'] }),
  quobyte: obj(
    { group: str(), readOnly: readOnly(), registry: str(), tenant: str(), user: str(), volume: str() },
    { required: ['registry', 'volume'] },
  ),
  rbd: obj(
    { fsType: fsType(), image: str(), keyring: str(), monitors: strings(), pool: str(), readOnly: readOnly(), secretRef, user: str() },
    { required: ['monitors', 'image'] },
  ),
  scaleIO: obj(
    {
      fsType: fsType(),
      gateway: str(),
      protectionDomain: str(),
      readOnly: readOnly(),
      secretRef,
      sslEnabled: bool(),
      storageMode: str(),
      storagePool: str(),
      system: str(),
      volumeName: str(),
    },
    { required: ['gateway', 'system', 'secretRef'] },
  ),
  storageos: obj({ fsType: fsType(), readOnly: readOnly(), secretRef, volumeName: str(), volumeNamespace: str() }),
  vsphereVolume: obj(
    { fsType: fsType(), storagePolicyID: str(), storagePolicyName: str(), volumePath: str() },
    { required: ['volumePath'] },
  ),
};
