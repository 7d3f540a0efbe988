/**
 * What an identity may do, from the NamespacePolicy permissions the VI admin declared: a role per
 * vSphere Namespace (view < edit < owner), or everything for a VI admin. Every door decides with
 * these grants, so the Kubernetes API and the status listener cannot disagree.
 */
import { kubeObjects } from '../inventory/kube-object.js';
import { allowedHosts, policyView, type Role } from '../inventory/namespace-policy.js';
import type { InventoryReader } from '../inventory/registry.js';
import { isViAdmin, type Identity } from './identity.js';

export type { Role } from '../inventory/namespace-policy.js';

/** One namespace's grant and the permission that gives it (what a refusal or a review names). */
export interface NamespaceGrant {
  readonly role: Role;
  readonly rule: string;
}

export interface Grants {
  readonly identity: Identity;
  readonly admin: boolean;
  /** The namespaces the identity has a role in (empty for a VI admin, who needs none). */
  readonly namespaces: ReadonlyMap<string, NamespaceGrant>;
}

const RANK: Record<Role, number> = { view: 1, edit: 2, owner: 3 };

/** The identity's grants in the inventory as it is now. */
export function grantsOf(identity: Identity, inventory: InventoryReader): Grants {
  const admin = isViAdmin(identity);
  const namespaces = new Map<string, NamespaceGrant>();
  if (!admin) {
    for (const policy of kubeObjects(inventory, 'NamespacePolicy')) {
      for (const p of policyView(policy.object).permissions) {
        const match = p.subject.kind === 'User' ? p.subject.name === identity.user : identity.groups.includes(p.subject.name);
        const held = namespaces.get(policy.namespace);
        if (match && (!held || RANK[p.role] > RANK[held.role])) {
          namespaces.set(policy.namespace, { role: p.role, rule: `NamespacePolicy ${policy.namespace}/${policy.object.name} grants ${p.subject.kind} ${p.subject.name} the ${p.role} role` });
        }
      }
    }
  }
  return { identity, admin, namespaces };
}

/** Whether the grants hold at least `role` in `namespace`. */
export function hasRole(grants: Grants, namespace: string, role: Role): boolean {
  if (grants.admin) return true;
  const held = grants.namespaces.get(namespace);
  return !!held && RANK[held.role] >= RANK[role];
}

/** Whether Secret values may be shown: VI admins, and edit or owner in the Secret's namespace (Kubernetes API only). */
export function maySeeSecretData(grants: Grants, namespace: string): boolean {
  return hasRole(grants, namespace, 'edit');
}

/** Why a request in `namespace` needing `role` is refused: what the identity holds there, or that nothing names it. */
export function missingRoleReason(grants: Grants, namespace: string, role: Role): string {
  const held = grants.namespaces.get(namespace);
  if (held) return `${held.rule}; this needs ${role}`;
  const who = [`User ${grants.identity.user}`, ...grants.identity.groups.map((g) => `Group ${g}`)].join(', ');
  return `no NamespacePolicy permission of namespace ${namespace} names ${who}; this needs ${role}`;
}

/**
 * The cluster-wide things an identity may use, through the policies of its namespaces: host names,
 * content libraries, storage policies and VM classes (undefined: all of them).
 */
export interface UsableScope {
  readonly hosts?: ReadonlySet<string>;
  readonly libraries?: ReadonlySet<string>;
  readonly storagePolicies?: ReadonlySet<string>;
  readonly vmClasses?: ReadonlySet<string>;
}

/** Union over the identity's namespaces of what their policies allow; a namespace without a restriction allows all. */
export function usableScope(grants: Grants, inventory: InventoryReader): UsableScope {
  if (grants.admin) return {};
  const sets = { hosts: new Set<string>(), libraries: new Set<string>(), storagePolicies: new Set<string>(), vmClasses: new Set<string>() };
  const unrestricted = new Set<keyof typeof sets>();
  for (const ns of grants.namespaces.keys()) {
    const [policy] = kubeObjects(inventory, 'NamespacePolicy', ns);
    const view = policy ? policyView(policy.object) : undefined;
    const hosts = allowedHosts(inventory, view);
    const lists: Record<keyof typeof sets, Iterable<string> | undefined> = { hosts, libraries: view?.contentLibraries, storagePolicies: view?.storagePolicies, vmClasses: view?.vmClasses };
    for (const [k, list] of Object.entries(lists) as [keyof typeof sets, Iterable<string> | undefined][]) {
      if (list) for (const item of list) sets[k].add(item);
      else unrestricted.add(k);
    }
  }
  return Object.fromEntries(Object.entries(sets).filter(([k]) => !unrestricted.has(k as keyof typeof sets))) as UsableScope;
}

/** Whether a usable set allows a name (undefined allows all). */
export function allows(set: ReadonlySet<string> | undefined, name: string): boolean {
  return !set || set.has(name);
}
