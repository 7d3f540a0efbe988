/**
 * VirtualMachinePublishRequest: publish a VM as a new item of a content library. Source and target
 * default to the VM of the same name and the namespace's content library, so every reference field
 * carries the CRD's default; v1alpha5 adds a retry limit.
 */
import { extend, int, obj, str } from '../dsl/builders.js';
import type { KindDefinition } from '../dsl/kind.js';
import { versionsFrom, vmOperatorKind } from './common.js';

const source = obj({
  apiVersion: str({ default: 'vmoperator.vmware.com/v1alpha1' }),
  kind: str({ default: 'VirtualMachine' }),
  name: str(),
});

const target = obj({
  item: obj({ description: str(), name: str() }),
  location: obj({
    apiVersion: str({ default: 'imageregistry.vmware.com/v1alpha1' }),
    kind: str({ default: 'ContentLibrary' }),
    name: str(),
  }),
});

const specV1alpha1 = obj({ source, target, ttlSecondsAfterFinished: int({ minimum: 0 }) });

/** v1alpha5 = v1alpha1 + `backoffLimit` (three attempts unless given). */
const specV1alpha5 = extend(specV1alpha1, { backoffLimit: int({ minimum: 0, default: 3 }) });

/** VirtualMachinePublishRequest at v1alpha1..v1alpha6. */
export const virtualMachinePublishRequestKinds: readonly KindDefinition[] = versionsFrom('v1alpha1').map((version) =>
  vmOperatorKind('VirtualMachinePublishRequest', version, version === 'v1alpha5' || version === 'v1alpha6' ? specV1alpha5 : specV1alpha1),
);
