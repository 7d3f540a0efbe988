/**
 * Virtual hardware of a VirtualMachine: CD-ROMs and disk controllers (`spec.hardware`, v1alpha5+;
 * CD-ROMs were `spec.cdrom` in v1alpha3..v1alpha4), boot options, CPU/memory tuning and sizing.
 */
import { bool, enumOf, extend, int, list, obj, str, withDefault, type Schema } from '../dsl/builders.js';
import { cpuMemory, imageRef } from './common.js';

const CONTROLLER_TYPES = ['IDE', 'NVME', 'SCSI', 'SATA'];

const cdromV1alpha3 = obj(
  { allowGuestControl: bool({ default: true }), connected: bool({ default: true }), image: imageRef, name: str({ pattern: '^[a-z0-9]{2,}$' }) },
  { required: ['image', 'name'] },
);
const cdromV1alpha5 = extend(cdromV1alpha3, { controllerBusNumber: int(), controllerType: enumOf(...CONTROLLER_TYPES), unitNumber: int() });

/** `spec.cdrom` of v1alpha3 and v1alpha4, keyed by name. */
export const cdromListV1alpha3 = list(cdromV1alpha3, { mapKeys: ['name'] });

/** A list of disk controllers keyed by bus number, with at most `buses` of them. */
function controllers(buses: number, fields: Record<string, Schema> = {}): Schema {
  const item = obj({ busNumber: int({ minimum: 0, maximum: buses - 1 }), ...fields }, { required: ['busNumber'] });
  return list(item, { mapKeys: ['busNumber'], maxItems: buses });
}

/** `spec.hardware` (v1alpha5+): CD-ROMs and IDE/NVMe/SATA/SCSI controllers. */
export const hardwareV1alpha5 = obj({
  cdrom: list(cdromV1alpha5, { mapKeys: ['name'] }),
  ideControllers: controllers(2),
  nvmeControllers: controllers(4, { sharingMode: withDefault(enumOf('None', 'Physical'), 'None') }),
  sataControllers: controllers(4),
  scsiControllers: controllers(4, {
    sharingMode: withDefault(enumOf('None', 'Physical', 'Virtual'), 'None'),
    type: withDefault(enumOf('ParaVirtual', 'BusLogic', 'LsiLogic', 'LsiLogicSAS'), 'ParaVirtual'),
  }),
});

/** `spec.bootOptions` (v1alpha5+): firmware, boot order, delays and network boot. */
export const bootOptionsV1alpha5 = obj({
  bootDelay: str(),
  bootOrder: list(obj({ name: str(), type: enumOf('Disk', 'Network', 'CDRom') }, { required: ['type'] })),
  bootRetry: str({ default: 'Disabled' }),
  bootRetryDelay: str(),
  efiSecureBoot: withDefault(enumOf('Enabled', 'Disabled'), 'Disabled'),
  firmware: enumOf('bios', 'efi'),
  networkBootProtocol: withDefault(enumOf('IP4', 'IP6'), 'IP4'),
});

/** `spec.cpuAdvanced` (v1alpha6). */
export const cpuAdvancedV1alpha6 = obj({
  hotAddEnabled: bool(),
  iommuEnabled: bool(),
  latencySensitivity: enumOf('Normal', 'High', 'HighWithHyperthreading'),
  nestedHardwareVirtualizationEnabled: bool(),
  performanceCountersEnabled: bool(),
  topology: obj(
    { coresPerSocket: int({ minimum: 0 }), vnumaNodeCount: int({ minimum: 0 }) },
    {
      cel: [
        {
          rule: '!has(self.vnumaNodeCount) || self.vnumaNodeCount == 0 || (has(self.coresPerSocket) && self.coresPerSocket > 0)',
          message: 'vnumaNodeCount requires coresPerSocket to be set to an explicit (non-zero) value',
        },
      ],
    },
  ),
});

/** `spec.memoryAdvanced` (v1alpha6). */
export const memoryAdvancedV1alpha6 = obj({ hotAddEnabled: bool(), reservationLockedToMax: bool() });

const WHOLE_CPU = [
  {
    rule: "type(self) != string || !self.endsWith('m')",
    message: "CPU must be a whole number (e.g. '4' for vCPUs or '2000' for 2000 MHz). The 'm' (milli) suffix is not supported.",
  },
];

/** `spec.resources` (v1alpha6): a class-less VM's size, requests and limits; CPU may not be in millis. */
export const resourcesV1alpha6 = obj({ limits: cpuMemory(WHOLE_CPU), requests: cpuMemory(WHOLE_CPU), size: cpuMemory(WHOLE_CPU) });
