/** Content library images as vm-operator names and resolves them. */
import { createHash } from 'node:crypto';
import type { InventoryReader } from './registry.js';
import type { LibraryItem } from './model/infrastructure.js';
import { fail, ok, type TaskResult } from './model/faults.js';
import { KUBERNETES_RELEASES_LIBRARY } from '../catalog/kubernetes-releases.js';

/**
 * The library names a namespace's VMs may take images from: its policy's contentLibraries and the
 * Supervisor's release library (guest cluster nodes); undefined when the policy lists none (any).
 */
export function usableLibraries(policy: { readonly contentLibraries?: readonly string[] } | undefined): ReadonlySet<string> | undefined {
  return policy?.contentLibraries ? new Set([...policy.contentLibraries, KUBERNETES_RELEASES_LIBRARY]) : undefined;
}

/**
 * The library names a namespace may publish into: its policy's defaultContentLibrary and
 * writableContentLibraries; none without a policy (a library is shared: the VI admin says who writes).
 */
export function writableLibraries(policy: { readonly defaultContentLibrary?: string; readonly writableContentLibraries?: readonly string[] } | undefined): ReadonlySet<string> {
  return new Set([...(policy?.defaultContentLibrary ? [policy.defaultContentLibrary] : []), ...(policy?.writableContentLibraries ?? [])]);
}

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
 * Only items of the `usable` libraries count (see usableLibraries): what another namespace
 * published elsewhere can neither shadow nor make ambiguous a namespace's image.
 */
export function resolveImage(inventory: InventoryReader, imageName: string, usable?: ReadonlySet<string>): TaskResult<LibraryItem> {
  const all = inventory.list('LibraryItem');
  const items = usable ? all.filter((i) => usable.has(inventory.get('ContentLibrary', i.library)?.name ?? i.library)) : all;
  if (IMAGE_OBJECT_NAME.test(imageName)) {
    const item = items.find((i) => i.imageName === imageName);
    return item ? ok(item) : fail('NotFound', `no VM image exists for "${imageName}" in namespace or cluster scope`);
  }
  const matches = items.filter((i) => i.name === imageName);
  if (matches.length > 1) return fail('InvalidArgument', `multiple VM images exist for "${imageName}" in cluster scope`);
  if (matches.length === 0) return fail('NotFound', `no VM image exists for "${imageName}" in namespace or cluster scope`);
  return ok(matches[0]!);
}
