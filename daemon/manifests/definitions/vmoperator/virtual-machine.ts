/**
 * VirtualMachine, v1alpha2..v1alpha6: each version's spec is the previous one plus (or minus) a few
 * fields; the larger sections (bootstrap, network, hardware, volumes) evolve in their own files.
 */
import { bool, enumOf, extend, int, intOrString, list, obj, omit, quantity, str, withDefault, type Schema } from '../dsl/builders.js';
import type { KindDefinition } from '../dsl/kind.js';
import { imageRef, keyValue, labelSelector, typedObjectRef, VMOPERATOR_GROUP, type VmOperatorVersion } from './common.js';
import { bootstrapV1alpha2, bootstrapV1alpha3, bootstrapV1alpha5, bootstrapV1alpha6 } from './virtual-machine-bootstrap.js';
import { bootOptionsV1alpha5, cdromListV1alpha3, cpuAdvancedV1alpha6, hardwareV1alpha5, memoryAdvancedV1alpha6, resourcesV1alpha6 } from './virtual-machine-hardware.js';
import { networkV1alpha2, networkV1alpha3, networkV1alpha6 } from './virtual-machine-network.js';
import { volumesV1alpha2, volumesV1alpha5 } from './virtual-machine-volumes.js';

const POWER_OP_MODE = withDefault(enumOf('Hard', 'Soft', 'TrySoft'), 'TrySoft');

const affinityTerms = list(obj({ labelSelector, topologyKey: str() }, { required: ['topologyKey'] }));
const vmAffinity = obj({
  preferredDuringSchedulingPreferredDuringExecution: affinityTerms,
  requiredDuringSchedulingPreferredDuringExecution: affinityTerms,
});

const readinessProbe = obj({
  guestHeartbeat: obj({ thresholdStatus: withDefault(enumOf('yellow', 'green'), 'green') }),
  guestInfo: list(keyValue),
  periodSeconds: int({ minimum: 1 }),
  tcpSocket: obj({ host: str(), port: intOrString() }, { required: ['port'] }),
  timeoutSeconds: int({ minimum: 1, maximum: 60 }),
});

const advancedV1alpha2 = obj({
  bootDiskCapacity: quantity(),
  changeBlockTracking: bool(),
  defaultVolumeProvisioningMode: enumOf('Thin', 'Thick', 'ThickEagerZero'),
});
const advancedV1alpha6 = extend(advancedV1alpha2, {
  cpuAffinityExclusiveNoStatsEnabled: bool(),
  extraConfig: list(keyValue, { mapKeys: ['key'] }),
  hugePages1GEnabled: bool(),
  pnumaNodeAffinity: list(int()),
  preferHtEnabled: bool(),
  timeTrackerLowLatencyEnabled: bool(),
  vmxSwapEnabled: bool(),
});

const cryptoV1alpha2 = obj({ encryptionClassName: str(), useDefaultKeyProvider: bool({ default: true }) });
const cryptoV1alpha5 = extend(cryptoV1alpha2, { vTPMMode: withDefault(enumOf('Clone', 'New'), 'New') });

const specV1alpha2 = obj({
  advanced: advancedV1alpha2,
  affinity: obj({ vmAffinity, vmAntiAffinity: vmAffinity }),
  bootstrap: bootstrapV1alpha2,
  className: str(),
  crypto: cryptoV1alpha2,
  groupName: str(),
  imageName: str(),
  minHardwareVersion: int({ minimum: 13 }),
  network: networkV1alpha2,
  nextRestartTime: str(),
  powerOffMode: POWER_OP_MODE,
  powerState: enumOf('PoweredOff', 'PoweredOn', 'Suspended'),
  readinessProbe,
  reserved: obj({ resourcePolicyName: str() }),
  restartMode: POWER_OP_MODE,
  storageClass: str(),
  suspendMode: POWER_OP_MODE,
  volumes: volumesV1alpha2,
});

// v1alpha3: image references by kind, ISO CD-ROMs, explicit guest OS and UUIDs, DNS domain.
const specV1alpha3 = extend(specV1alpha2, {
  biosUUID: str({ format: 'uuid' }),
  bootstrap: bootstrapV1alpha3,
  cdrom: cdromListV1alpha3,
  guestID: str(),
  image: imageRef,
  instanceUUID: str({ format: 'uuid' }),
  network: networkV1alpha3,
});

// v1alpha4: linked-clone disk promotion.
const specV1alpha4 = extend(specV1alpha3, { promoteDisksMode: withDefault(enumOf('Online', 'Offline', 'Disabled'), 'Online') });

// v1alpha5: CD-ROMs move under `hardware` with the disk controllers; boot options, class instances,
// snapshots, config policies, vTPM, richer guest customization and disk placement.
const specV1alpha5 = extend(omit(specV1alpha4, 'cdrom'), {
  bootOptions: bootOptionsV1alpha5,
  bootstrap: bootstrapV1alpha5,
  class: typedObjectRef,
  crypto: cryptoV1alpha5,
  currentSnapshotName: str(),
  hardware: hardwareV1alpha5,
  policies: list(typedObjectRef),
  volumes: volumesV1alpha5,
});

// v1alpha6: CPU/memory tuning, class-less sizing, NIC tuning and VLANs, volume attributes classes.
const specV1alpha6 = extend(specV1alpha5, {
  advanced: advancedV1alpha6,
  bootstrap: bootstrapV1alpha6,
  cpuAdvanced: cpuAdvancedV1alpha6,
  memoryAdvanced: memoryAdvancedV1alpha6,
  network: networkV1alpha6,
  resources: resourcesV1alpha6,
  volumeAttributesClassName: str(),
});

/**
 * One served version of VirtualMachine. Names are DNS-1123 subdomains, as the API server checks them;
 * vm-operator's webhook additionally wants a host name (a DNS label, ≤ 63 characters, no dots) when
 * `spec.network.hostName` is empty, which is an admission rule, not a schema one.
 */
function virtualMachine(version: VmOperatorVersion, spec: Schema): KindDefinition {
  return { group: VMOPERATOR_GROUP, version, kind: 'VirtualMachine', namespaced: true, nameFormat: 'dns-subdomain', fields: { spec } };
}

/** VirtualMachine at v1alpha2..v1alpha6. */
export const virtualMachineKinds: readonly KindDefinition[] = [
  virtualMachine('v1alpha2', specV1alpha2),
  virtualMachine('v1alpha3', specV1alpha3),
  virtualMachine('v1alpha4', specV1alpha4),
  virtualMachine('v1alpha5', specV1alpha5),
  virtualMachine('v1alpha6', specV1alpha6),
];
