/** vSphere VM Encryption: encrypting (or re-keying) a VM, a pod VM or a disk with a key provider. */
import type { Crypto, Disk, Pod, VirtualMachine } from './model/workloads.js';
import type { InventoryRegistry } from './registry.js';

/** Encrypts or re-keys (a shallow re-key: the VM may keep running). */
export function setCrypto<T extends VirtualMachine | Pod | Disk>(registry: InventoryRegistry, entity: T, crypto: Crypto): T {
  const updated = { ...entity, crypto };
  registry.put(updated);
  return updated;
}
