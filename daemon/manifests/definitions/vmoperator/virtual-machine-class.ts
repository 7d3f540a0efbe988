/**
 * VirtualMachineClass: the hardware and policy template a VirtualMachine is sized by. Its spec has not
 * changed between v1alpha2 and v1alpha6, so every served version shares one definition.
 */
import { int, list, obj, openObject, quantity, str } from '../dsl.js';
import type { KindDefinition } from '../kind.js';
import { cpuMemory, VMOPERATOR_GROUP, VMOPERATOR_VERSIONS } from './common.js';

const devices = obj({
  dynamicDirectPathIODevices: list(obj({ customLabel: str(), deviceID: int(), vendorID: int() }, { required: ['deviceID', 'vendorID'] })),
  vgpuDevices: list(obj({ profileName: str() }, { required: ['profileName'] }), { mapKeys: ['profileName'] }),
});

const instanceStorage = obj({
  storageClass: str(),
  volumes: list(obj({ size: quantity() }, { required: ['size'] })),
});

const hardware = obj({ cpus: int(), devices, instanceStorage, memory: quantity() });

/** The spec of a VirtualMachineClass, v1alpha2 through v1alpha6. */
export const virtualMachineClassSpec = obj({
  configSpec: openObject(),
  controllerName: str(),
  description: str(),
  hardware,
  policies: obj({ resources: obj({ limits: cpuMemory(), requests: cpuMemory() }) }),
  reservedProfileID: str(),
  reservedSlots: int({ minimum: 0 }),
});

/** VirtualMachineClass at every served version; names are DNS-1123 subdomains, as for most kinds. */
export const virtualMachineClassKinds: readonly KindDefinition[] = VMOPERATOR_VERSIONS.map((version) => ({
  group: VMOPERATOR_GROUP,
  version,
  kind: 'VirtualMachineClass',
  namespaced: true,
  nameFormat: 'dns-subdomain',
  fields: { spec: virtualMachineClassSpec },
}));
