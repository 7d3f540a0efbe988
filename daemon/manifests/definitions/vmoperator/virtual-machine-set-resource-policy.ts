/**
 * VirtualMachineSetResourcePolicy: the resource pool, folder and cluster-module groups a set of
 * VirtualMachines is placed in. v1alpha1 spells the fields in lower case (`resourcepool`,
 * `clustermodules[].groupname`, `folder.name`); v1alpha2 renamed them and flattened the folder.
 */
import { list, obj, str } from '../dsl/builders.js';
import type { KindDefinition } from '../dsl/kind.js';
import { cpuMemory, versionsFrom, vmOperatorKind } from './common.js';

const resourcePool = obj({ limits: cpuMemory(), name: str(), reservations: cpuMemory() });

const specV1alpha1 = obj({
  clustermodules: list(obj({ groupname: str() }, { required: ['groupname'] })),
  folder: obj({ name: str() }),
  resourcepool: resourcePool,
});

const specV1alpha2 = obj({
  clusterModuleGroups: list(str()),
  folder: str(),
  resourcePool,
});

/** VirtualMachineSetResourcePolicy at v1alpha1..v1alpha6. */
export const virtualMachineSetResourcePolicyKinds: readonly KindDefinition[] = versionsFrom('v1alpha1').map((version) =>
  vmOperatorKind('VirtualMachineSetResourcePolicy', version, version === 'v1alpha1' ? specV1alpha1 : specV1alpha2),
);
