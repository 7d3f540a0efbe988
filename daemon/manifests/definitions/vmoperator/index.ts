/** vmoperator.vmware.com kinds pacific serves. */
import type { KindDefinition } from '../kind.js';
import { virtualMachineKinds } from './virtual-machine.js';
import { virtualMachineClassKinds } from './virtual-machine-class.js';

/** VirtualMachine and VirtualMachineClass at v1alpha2..v1alpha6. */
export const vmOperatorKinds: readonly KindDefinition[] = [...virtualMachineKinds, ...virtualMachineClassKinds];
