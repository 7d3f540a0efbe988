/**
 * VirtualMachineClass declared in a namespace → a class VMs of that namespace may use. It shadows
 * a vCenter class of the same name inside the namespace. Requests become reservations, as
 * guaranteed classes reserve all they size. A class a tenant folder declares is admitted only when
 * the namespace policy allows tenant classes (`tenantVmClasses`), and any class within its
 * `vmClassLimits`: on the Supervisor, classes come from the VI admin.
 */
import { putNamespaceVmClass, removeEntity } from '../../inventory/namespace.js';
import { ok } from '../../inventory/model/faults.js';
import type { StoredObject } from '../../inventory/model/stored-object.js';
import { diffValues } from '../../plan/diff-fields.js';
import type { ClassSize } from '../../plan/ledger.js';
import { cpuMillis, formatBytes, MiB, parseQuantity } from '../../base/quantity.js';
import { ALLOWED, comparableObject, condition, observed, refused, storedObject, type KindReconciler } from '../../plan/contract.js';
import { classLimitAdmission } from '../shared/namespace-rules.js';
import { liveSpecOf, type SpecFields } from '../../manifests/typed-spec.js';

const positive = (v: unknown): number | undefined => (typeof v === 'number' && v > 0 ? v : undefined);

/**
 * A class object's size and reservations. vm-operator builds a VM's ConfigSpec from the class's
 * `spec.configSpec` with `spec.hardware` taking precedence (`CreateConfigSpec`), so a class sized
 * only by configSpec `numCPUs`/`memoryMB` (as vCenter writes classes) sizes VMs by those.
 */
export function classSize(object: StoredObject): ClassSize {
  // configSpec is a vSphere VirtualMachineConfigSpec as JSON (`_typeName` discriminated), kept as written: its size fields are checked here.
  const spec: SpecFields<'VirtualMachineClass'> = liveSpecOf(object, 'VirtualMachineClass') ?? {};
  const requests = spec.policies?.resources?.requests ?? {};
  const hardwareMemory = spec.hardware?.memory !== undefined ? parseQuantity(spec.hardware.memory) : 0;
  const configMemoryMB = positive(spec.configSpec?.memoryMB);
  return {
    name: object.name,
    cpus: positive(spec.hardware?.cpus) ?? positive(spec.configSpec?.numCPUs) ?? 0,
    memoryBytes: hardwareMemory > 0 ? hardwareMemory : configMemoryMB !== undefined ? configMemoryMB * MiB : 0,
    cpuReservationMillis: requests.cpu !== undefined ? cpuMillis(requests.cpu) : 0,
    memoryReservationBytes: requests.memory !== undefined ? parseQuantity(requests.memory) : 0,
  };
}

export const virtualMachineClassReconciler: KindReconciler = {
  group: 'vmoperator.vmware.com',
  kind: 'VirtualMachineClass',

  *observe(inventory) {
    for (const c of inventory.list('VmClass')) if (c.namespace && c.object) yield observed('vmoperator.vmware.com', c as typeof c & { object: StoredObject });
  },

  seed: (live, ledger) => ledger.addMember(live.namespace, live.key),

  compare: (desired, live, ctx) => diffValues(live && comparableObject(live.object, ctx), comparableObject(storedObject(desired), ctx)),

  admit(desired, live, _fields, { ledger }) {
    if (!ledger.hasNamespace(desired.namespace)) return refused('NamespaceNotFound', `namespace ${desired.namespace} not found`);
    const size = classSize(storedObject(desired));
    if (size.cpus < 1 || size.memoryBytes <= 0) return refused('Invalid', 'spec.hardware.cpus and spec.hardware.memory (or spec.configSpec numCPUs and memoryMB) must be set to positive values');
    if (size.cpuReservationMillis > size.cpus * 1000) return refused('Invalid', `spec.policies.resources.requests.cpu exceeds the class's ${size.cpus} vCPUs`);
    if (size.memoryReservationBytes > size.memoryBytes) return refused('Invalid', `spec.policies.resources.requests.memory exceeds the class's ${formatBytes(size.memoryBytes)}`);
    const policy = ledger.policy(desired.namespace);
    if (desired.tenant && !policy?.tenantVmClasses) {
      return refused(
        'NotAllowedByPolicy',
        `VirtualMachineClass ${desired.name} is declared in ${desired.source.file}, a tenant folder: VM classes come from the VI admin, and NamespacePolicy spec.tenantVmClasses of namespace ${desired.namespace} does not allow tenant classes`,
      );
    }
    const limited = classLimitAdmission(desired.namespace, `VirtualMachineClass ${desired.name}`, size, { ledger });
    if (limited) return limited;
    ledger.putClass(desired.namespace, size);
    if (!live) ledger.addMember(desired.namespace, desired.key);
    return ALLOWED;
  },

  admitDelete(live, { ledger }) {
    ledger.removeClass(live.namespace, live.name);
    ledger.removeMember(live.namespace, live.key);
    return ALLOWED;
  },

  apply(change, registry) {
    if (change.action === 'delete') {
      const c = registry.find('VmClass', change.namespace, change.name);
      return c ? removeEntity(registry, c.id) : ok(undefined);
    }
    const object = storedObject(change.desired!);
    return putNamespaceVmClass(registry, { ...classSize(object), object, namespace: object.namespace });
  },

  status(_desired, live, _inventory, problem) {
    if (!live) return { conditions: [condition('Available', 'False', problem?.reason ?? 'Pending', problem?.message ?? '')] };
    return { conditions: [condition('Available', 'True', 'Available', 'VMs of the namespace may use this class')] };
  },
};
