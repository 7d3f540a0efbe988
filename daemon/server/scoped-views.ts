/**
 * What a tenant identity sees on the status listener: the same documents as the VI admin's, cut to
 * its namespaces (objects, diagnostics, events, VMs, pod VMs, disks) and to the cluster things its
 * namespaces may use (hosts, datastores, storage policies, images), with messages that could name
 * another tenant's objects replaced by a summary of its own. Secret values are served to the VI
 * admin only, on every endpoint of this listener.
 */
import { allows, type Grants, type UsableScope } from '../access/grants.js';
import type { Entity } from '../inventory/model/entity.js';
import { tenantOf } from '../manifests/tenancy.js';
import type { OwnedObject } from '../store/types.js';
import { statusView, type StatusInput } from './views.js';

type Obj = Record<string, unknown>;

/** The namespace a `Kind/namespace/name` (or `Kind/name`) string names; undefined for other strings. */
function namespaceOfName(name: string): string | undefined {
  const parts = name.split('/');
  if (parts.length === 3) return parts[1];
  return parts.length === 2 && parts[0] === 'Namespace' ? parts[1] : undefined;
}

/** `/status` for a tenant. */
export function scopedStatus(input: StatusInput, grants: Grants, tenantRoot: string | undefined): unknown {
  const mine = (ns: string | undefined) => ns !== undefined && grants.namespaces.has(ns);
  const objects = input.objects.filter((o) => mine(o.namespace || (o.kind === 'Namespace' ? o.name : undefined)));
  const notReady = objects.filter((o) => o.conditions[0]?.status !== 'True');
  const view = statusView({ ...input, objects }) as Obj & { conditions: Obj[]; diagnostics: Obj[]; events: Obj[]; pruneHold?: Obj };
  const summary = `${notReady.length} of ${objects.length} object(s) in your namespaces not ready${notReady.length ? `: ${notReady.slice(0, 3).map((o) => `${o.kind}/${o.namespace}/${o.name}`).join(', ')}` : ''}`;
  const conditions = view.conditions.map((c) => (c['type'] === 'Ready' ? { ...c, message: summary } : c));
  const diagnostics = view.diagnostics.filter((d) => mine(tenantOf(String(d['file']), tenantRoot ? { root: tenantRoot } : undefined)) || mine(namespaceOfName(String(d['object'] ?? ''))));
  // Events about the repo speak of every tenant's objects: their reason stays, their words do not.
  const events = input.events.flatMap((e) => {
    const ns = namespaceOfName(e.object);
    if (ns !== undefined) return mine(ns) ? [e] : [];
    return [{ ...e, message: '' }];
  });
  const { pruneHold, ...rest } = view;
  return {
    ...rest,
    conditions,
    diagnostics,
    ...(pruneHold ? { pruneHold: { ...pruneHold, examples: ((pruneHold['examples'] ?? []) as string[]).filter((x) => mine(namespaceOfName(x))) } } : {}),
    events,
  };
}

/** `/inventory` for a tenant: the view's arrays cut to what it may use. */
export function scopedInventory(view: Obj, grants: Grants, usable: UsableScope): Obj {
  const inNs = (list: unknown) => ((list ?? []) as Obj[]).filter((x) => grants.namespaces.has(String(x['namespace'] ?? x['name'])));
  return {
    ...view,
    hosts: ((view['hosts'] ?? []) as Obj[]).filter((h) => allows(usable.hosts, String(h['name']))),
    storagePolicies: ((view['storagePolicies'] ?? []) as Obj[]).filter((p) => allows(usable.storagePolicies, String(p['name']))),
    images: ((view['images'] ?? []) as Obj[]).filter((i) => allows(usable.libraries, String(i['library']))),
    namespaces: inNs(view['namespaces']),
    virtualMachines: inNs(view['virtualMachines']),
    podVMs: inNs(view['podVMs']),
    disks: inNs(view['disks']),
  };
}

/** A Secret without its values (a KubeObject entity's `data` and `stringData`). */
function withoutSecretData(e: Entity): Entity {
  if (e.type !== 'KubeObject' || e.object.kind !== 'Secret' || !e.object.extra) return e;
  const { data: _d, stringData: _s, ...extra } = e.object.extra as Obj;
  return { ...e, object: { ...e.object, extra } };
}

/** `/inventory/snapshot`: every entity and ownership record to the VI admin; a tenant's namespaces and usable cluster entities, Secrets without values, to others. */
export function scopedSnapshot(entities: readonly Entity[], ownership: readonly OwnedObject[], grants: Grants, usable: UsableScope): { entities: Entity[]; ownership: OwnedObject[] } {
  if (grants.admin) return { entities: [...entities], ownership: [...ownership] };
  const visible = (e: Entity): boolean => {
    if ('namespace' in e && typeof e.namespace === 'string' && e.namespace) return grants.namespaces.has(e.namespace);
    switch (e.type) {
      case 'Namespace':
        return grants.namespaces.has(e.name);
      case 'Host':
        return allows(usable.hosts, e.name);
      case 'StoragePolicy':
        return allows(usable.storagePolicies, e.name);
      case 'VmClass':
        return allows(usable.vmClasses, e.name);
      case 'Task':
        return false;
      default:
        return true;
    }
  };
  return {
    entities: entities.filter(visible).map(withoutSecretData),
    ownership: ownership.filter((o) => (o.namespace ? grants.namespaces.has(o.namespace) : o.kind === 'Namespace' && grants.namespaces.has(o.name))),
  };
}
