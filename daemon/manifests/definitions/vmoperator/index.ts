/** vmoperator.vmware.com kinds: those pacific serves today, and every kind it has a schema for. */
import type { KindDefinition } from '../dsl/kind.js';
import { virtualMachineKinds } from './virtual-machine.js';
import { virtualMachineV1alpha1 } from './virtual-machine-v1alpha1.js';
import { virtualMachineClassKinds, virtualMachineClassV1alpha1 } from './virtual-machine-class.js';
import { clusterVirtualMachineImageKinds, virtualMachineImageKinds } from './virtual-machine-image.js';
import { virtualMachineServiceKinds } from './virtual-machine-service.js';
import { virtualMachineSetResourcePolicyKinds } from './virtual-machine-set-resource-policy.js';
import { virtualMachineSnapshotKinds } from './virtual-machine-snapshot.js';
import { virtualMachinePublishRequestKinds } from './virtual-machine-publish-request.js';
import { virtualMachineGroupKinds, virtualMachineGroupPublishRequestKinds } from './virtual-machine-group.js';

/** What the daemon serves: every vm-operator kind with a reconciler, at every version (not VirtualMachineGroupPublishRequest). */
export const vmOperatorKinds: readonly KindDefinition[] = [
  virtualMachineV1alpha1,
  ...virtualMachineKinds,
  virtualMachineClassV1alpha1,
  ...virtualMachineClassKinds,
  ...virtualMachineImageKinds,
  ...clusterVirtualMachineImageKinds,
  ...virtualMachineServiceKinds,
  ...virtualMachineSetResourcePolicyKinds,
  ...virtualMachineSnapshotKinds,
  ...virtualMachinePublishRequestKinds,
  ...virtualMachineGroupKinds,
];

/**
 * Every vm-operator kind and version pacific has a schema for, served or not yet: VirtualMachine and
 * VirtualMachineClass v1alpha1..v1alpha6, (Cluster)VirtualMachineImage, VirtualMachineService,
 * VirtualMachineSetResourcePolicy, VirtualMachineSnapshot, VirtualMachinePublishRequest,
 * VirtualMachineGroup and VirtualMachineGroupPublishRequest at each version their CRDs define.
 * Kinds join `vmOperatorKinds` as their reconcilers land.
 */
export const vmOperatorSchemaKinds: readonly KindDefinition[] = [...vmOperatorKinds, ...virtualMachineGroupPublishRequestKinds];
