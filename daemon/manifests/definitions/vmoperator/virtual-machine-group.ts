/**
 * VirtualMachineGroup (v1alpha2+): VMs and nested groups powered on in ordered boot stages, with one
 * desired power state; and VirtualMachineGroupPublishRequest (v1alpha5+), publishing a group's VMs.
 */
import { enumOf, extend, int, list, obj, str, withDefault } from '../dsl/builders.js';
import type { KindDefinition } from '../dsl/kind.js';
import { versionsFrom, vmOperatorKind } from './common.js';

const POWER_OP_MODE = enumOf('Hard', 'Soft', 'TrySoft');

// Members are keyed by kind+name; a member without a kind is a VirtualMachine.
const member = obj({ kind: withDefault(enumOf('VirtualMachine', 'VirtualMachineGroup'), 'VirtualMachine'), name: str() }, { required: ['name'] });
const bootOrderV1alpha2 = obj({ members: list(member, { mapKeys: ['kind', 'name'] }), powerOnDelay: str() });
const bootOrderV1alpha6 = extend(bootOrderV1alpha2, { powerOffDelay: str() });

const specV1alpha2 = obj({
  bootOrder: list(bootOrderV1alpha2),
  groupName: str(),
  nextForcePowerStateSyncTime: str(),
  powerOffMode: POWER_OP_MODE,
  powerState: enumOf('PoweredOff', 'PoweredOn', 'Suspended'),
  suspendMode: POWER_OP_MODE,
});

/** v1alpha6 = v1alpha2 + a delay after powering off each boot stage. */
const specV1alpha6 = extend(specV1alpha2, { bootOrder: list(bootOrderV1alpha6) });

/** VirtualMachineGroup at v1alpha2..v1alpha6. */
export const virtualMachineGroupKinds: readonly KindDefinition[] = versionsFrom('v1alpha2').map((version) =>
  vmOperatorKind('VirtualMachineGroup', version, version === 'v1alpha6' ? specV1alpha6 : specV1alpha2),
);

const groupPublishSpec = obj({
  source: str(),
  target: str(),
  ttlSecondsAfterFinished: int({ minimum: 0 }),
  virtualMachines: list(str()),
});

/** VirtualMachineGroupPublishRequest at v1alpha5 and v1alpha6. */
export const virtualMachineGroupPublishRequestKinds: readonly KindDefinition[] = versionsFrom('v1alpha5').map((version) =>
  vmOperatorKind('VirtualMachineGroupPublishRequest', version, groupPublishSpec),
);
