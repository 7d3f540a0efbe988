/** `spec.volumes` of a VirtualMachine: PVC-backed disks, keyed by name. */
import { bool, enumOf, extend, int, list, obj, quantity, str } from '../dsl/builders.js';

const persistentVolumeClaim = obj(
  {
    claimName: str(),
    instanceVolumeClaim: obj({ size: quantity(), storageClass: str() }, { required: ['size', 'storageClass'] }),
    readOnly: bool(),
  },
  { required: ['claimName'] },
);

const volumeV1alpha2 = obj({ name: str(), persistentVolumeClaim }, { required: ['name'] });

// v1alpha5 places each disk on a controller and describes how it is shared.
const volumeV1alpha5 = extend(volumeV1alpha2, {
  applicationType: enumOf('OracleRAC', 'MicrosoftWSFC'),
  controllerBusNumber: int(),
  controllerType: enumOf('IDE', 'NVME', 'SCSI', 'SATA'),
  diskMode: enumOf('IndependentNonPersistent', 'IndependentPersistent', 'NonPersistent', 'Persistent'),
  removable: bool({ default: true }),
  sharingMode: enumOf('MultiWriter', 'None'),
  unitNumber: int(),
});

/** `spec.volumes` at v1alpha2..v1alpha4. */
export const volumesV1alpha2 = list(volumeV1alpha2, { mapKeys: ['name'] });
/** v1alpha5 (and v1alpha6) = v1alpha2 + controller placement, disk mode and sharing. */
export const volumesV1alpha5 = list(volumeV1alpha5, { mapKeys: ['name'] });
