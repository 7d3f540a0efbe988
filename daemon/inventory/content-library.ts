/** Content library images as vm-operator names and resolves them. */
import { createHash } from 'node:crypto';
import type { InventoryReader } from './registry.js';
import type { LibraryItem } from './model/infrastructure.js';
import { fail, ok, type TaskResult } from './model/faults.js';

/**
 * The VirtualMachineImage name of a library item: `vmi-` + the first 17 hex characters of the
 * SHA-1 of the item UUID without hyphens (vm-operator `pkg/util/hash.go` `VMIName`).
 */
export function vmiName(itemUuid: string): string {
  return 'vmi-' + createHash('sha1').update(itemUuid.replaceAll('-', '')).digest('hex').slice(0, 17);
}

/** An image object name (VirtualMachineImage `vmi-…`, ClusterVirtualMachineImage `cvmi-…`), not a display name. */
const IMAGE_OBJECT_NAME = /^c?vmi-/;

/**
 * Resolves `spec.imageName` or `spec.image.name` (an image object name, `vmi-` or `cvmi-`, or an
 * item's display name) to a library item, as vm-operator's `ResolveImageName` does (it leaves
 * object names alone and rewrites display names); ambiguity and absence are faults with its messages.
 */
export function resolveImage(inventory: InventoryReader, imageName: string): TaskResult<LibraryItem> {
  const items = inventory.list('LibraryItem');
  if (IMAGE_OBJECT_NAME.test(imageName)) {
    const item = items.find((i) => i.imageName === imageName);
    return item ? ok(item) : fail('NotFound', `no VM image exists for "${imageName}" in namespace or cluster scope`);
  }
  const matches = items.filter((i) => i.name === imageName);
  if (matches.length > 1) return fail('InvalidArgument', `multiple VM images exist for "${imageName}" in cluster scope`);
  if (matches.length === 0) return fail('NotFound', `no VM image exists for "${imageName}" in namespace or cluster scope`);
  return ok(matches[0]!);
}
