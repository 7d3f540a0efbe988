/** VirtualMachineSnapshot (v1alpha5+): a point-in-time snapshot of one VM, optionally with memory and quiesced. */
import { bool, obj, str } from '../dsl/builders.js';
import type { KindDefinition } from '../dsl/kind.js';
import { versionsFrom, vmOperatorKind } from './common.js';

const spec = obj({
  description: str(),
  memory: bool(),
  quiesce: obj({ timeout: str() }),
  vmName: str(),
});

/** VirtualMachineSnapshot at v1alpha5 and v1alpha6. */
export const virtualMachineSnapshotKinds: readonly KindDefinition[] = versionsFrom('v1alpha5').map((version) =>
  vmOperatorKind('VirtualMachineSnapshot', version, spec),
);
