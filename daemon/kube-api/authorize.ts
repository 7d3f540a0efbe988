/**
 * The API's authorization, from the identity's grants: `view` reads its namespaces (Secrets without
 * their values), `edit` and `owner` also read Secret values and may send dry-run writes, a VI admin
 * may do everything. Cluster-scoped reads are filtered to what the identity's namespaces may use.
 */
import { allows, hasRole, missingRoleReason, type Grants, type UsableScope } from '../access/grants.js';
import type { ServedObject } from './objects.js';
import type { ResourceType } from './resources.js';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export const READ_VERBS: readonly Verb[] = ['get', 'list', 'watch'];
export const WRITE_VERBS: readonly Verb[] = ['create', 'update', 'patch', 'delete', 'deletecollection'];

export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly why: string };

const ALLOWED: Decision = { allowed: true };

/** Whether the identity may `verb` the resource in `namespace` (undefined: all namespaces or cluster scope). */
export function decide(grants: Grants, verb: Verb, resource: ResourceType, namespace: string | undefined): Decision {
  if (grants.admin) return ALLOWED;
  const reading = READ_VERBS.includes(verb);
  if (reading) {
    if (!resource.namespaced || namespace === undefined) return ALLOWED; // filtered object by object
    return hasRole(grants, namespace, 'view') ? ALLOWED : { allowed: false, why: missingRoleReason(grants, namespace, 'view') };
  }
  if (!resource.namespaced || namespace === undefined) return { allowed: false, why: 'only a VI admin (group system:masters) may change cluster-scoped objects or several namespaces at once' };
  return hasRole(grants, namespace, 'edit') ? ALLOWED : { allowed: false, why: missingRoleReason(grants, namespace, 'edit') };
}

/** Whether an object a read returns is one the identity may see. */
export function visible(grants: Grants, usable: () => UsableScope, s: ServedObject): boolean {
  if (grants.admin) return true;
  const o = s.object;
  if (o.resource.namespaced) return hasRole(grants, o.namespace, 'view');
  switch (o.resource.kind) {
    case 'Namespace':
      return grants.namespaces.has(o.name);
    case 'Node':
      return allows(usable().hosts, o.name);
    case 'ClusterVirtualMachineImage': {
      // Not a declared spec: the image pacific reflects from a content library, which records the library (no schema field).
      const library = (o.spec as { library?: string } | undefined)?.library;
      return !!library && allows(usable().libraries, library);
    }
    default:
      return false;
  }
}
