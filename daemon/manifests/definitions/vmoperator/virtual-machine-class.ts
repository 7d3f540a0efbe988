/**
 * VirtualMachineClass: the hardware and policy template a VirtualMachine is sized by. Its spec has not
 * changed between v1alpha2 and v1alpha6, so every served version shares one definition; v1alpha1
 * differs only in that vGPU devices are a plain list, not keyed by profile name.
 */
import { extend, int, list, obj, openObject, quantity, str } from '../dsl/builders.js';
import type { KindDefinition } from '../dsl/kind.js';
import { cpuMemory, VMOPERATOR_GROUP, VMOPERATOR_VERSIONS, vmOperatorKind } from './common.js';

const directPathIODevices = list(obj({ customLabel: str(), deviceID: int(), vendorID: int() }, { required: ['deviceID', 'vendorID'] }));
const vgpuDevice = obj({ profileName: str() }, { required: ['profileName'] });
const devices = obj({ dynamicDirectPathIODevices: directPathIODevices, vgpuDevices: list(vgpuDevice, { mapKeys: ['profileName'] }) });

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

const devicesV1alpha1 = obj({ dynamicDirectPathIODevices: directPathIODevices, vgpuDevices: list(vgpuDevice) });

/** VirtualMachineClass at v1alpha1: duplicate vGPU profiles are not refused by the schema. */
export const virtualMachineClassV1alpha1: KindDefinition = vmOperatorKind(
  'VirtualMachineClass',
  'v1alpha1',
  extend(virtualMachineClassSpec, { hardware: extend(hardware, { devices: devicesV1alpha1 }) }),
);

/** VirtualMachineClass at every served version; names are DNS-1123 subdomains, as for most kinds. */
export const virtualMachineClassKinds: readonly KindDefinition[] = VMOPERATOR_VERSIONS.map((version) => ({
  group: VMOPERATOR_GROUP,
  version,
  kind: 'VirtualMachineClass',
  namespaced: true,
  nameFormat: 'dns-subdomain',
  fields: { spec: virtualMachineClassSpec },
}));
