/**
 * The views of the Namespace, Object and Hosts pages: quota usage against the tightest quota,
 * the namespace's policy, its objects grouped by kind with health, recent events; one object with
 * its owner chain drawn from the served owner references; the ESXi hosts with their reservations,
 * workloads, vMotions and what waits for a host.
 */
import { dump } from 'js-yaml';
import type { Grants } from '../access/grants.js';
import { usableScope } from '../access/grants.js';
import { namespaceUsage } from '../inventory/namespace-usage.js';
import { namespacePolicy } from '../inventory/namespace-policy.js';
import { visible } from '../kube-api/authorize.js';
import type { ServedObject } from '../kube-api/objects.js';
import { formatAmount } from '../capacity/quota.js';
import { scopedInventory } from '../server/scoped-views.js';
import { inventoryView } from '../server/views.js';
import { gitLink } from './git-link.js';
import { eventsOf, ownObject, rowOf, visibleObjects, type ConsoleCore, type ObjectRow } from './views.js';

type Obj = Record<string, unknown>;

/** Quota rows: each resource the tightest quota limits, with what is used. */
function quotaRows(core: ConsoleCore, namespace: string): Obj[] {
  const hard = new Map<string, number>();
  for (const q of core.inventory.inNamespace('ResourceQuota', namespace)) for (const [r, v] of Object.entries(q.hard)) hard.set(r, Math.min(v, hard.get(r) ?? Infinity));
  const used = namespaceUsage(core.inventory, namespace);
  return [...hard].sort(([a], [b]) => (a < b ? -1 : 1)).map(([resource, limit]) => ({ resource, used: used[resource] ?? 0, hard: limit, usedText: formatAmount(resource, used[resource] ?? 0), hardText: formatAmount(resource, limit) }));
}

export function namespaceView(core: ConsoleCore, grants: Grants, namespace: string): Obj | undefined {
  if (!core.inventory.list('Namespace').some((n) => n.name === namespace)) return undefined;
  const groups = new Map<string, ObjectRow[]>();
  for (const s of visibleObjects(core, grants, namespace)) {
    if (!ownObject(s)) continue;
    const row = rowOf(s);
    const list = groups.get(row.kind) ?? [];
    list.push(row);
    groups.set(row.kind, list);
  }
  const policy = namespacePolicy(core.inventory, namespace);
  return {
    name: namespace,
    resourceVersion: core.catalog.feed.revision(),
    role: grants.admin ? 'admin' : grants.namespaces.get(namespace)?.role,
    quota: quotaRows(core, namespace),
    policy: policy ?? null,
    kinds: [...groups].sort(([a], [b]) => (a < b ? -1 : 1)).map(([kind, rows]) => ({ kind, rows })),
    events: eventsOf(core, namespace),
  };
}

interface TreeNode extends ObjectRow {
  readonly children: TreeNode[];
}

/** One object: its row, the owner chain from its topmost visible owner down, its declaration and its events. */
export function objectView(core: ConsoleCore, grants: Grants, key: string): Obj | undefined {
  let usable: ReturnType<typeof usableScope> | undefined;
  const scope = () => (usable ??= usableScope(grants, core.inventory));
  const seen = (s: ServedObject | undefined): s is ServedObject => !!s && visible(grants, scope, s);
  const self = core.catalog.get(key);
  if (!seen(self)) return undefined;
  let root = self;
  for (let owner = core.catalog.get(root.object.ownerKey ?? ''); seen(owner) && owner !== self; owner = core.catalog.get(owner.object.ownerKey ?? '')) root = owner;
  const children = new Map<string, ServedObject[]>();
  for (const s of visibleObjects(core, grants, self.object.namespace || undefined)) {
    if (!s.object.ownerKey) continue;
    const list = children.get(s.object.ownerKey) ?? [];
    list.push(s);
    children.set(s.object.ownerKey, list);
  }
  const grow = (s: ServedObject, depth: number): TreeNode => ({ ...rowOf(s), children: depth > 12 ? [] : (children.get(s.object.key) ?? []).map((c) => grow(c, depth + 1)) });
  const o = self.object;
  const declared = o.declared && o.lastApplied && o.resource.kind !== 'Secret' ? (dump(JSON.parse(o.lastApplied), { noRefs: true, lineWidth: -1 }) as string) : undefined;
  const source = core.statusInput().source;
  return {
    ...rowOf(self),
    tree: grow(root, 0),
    ...(o.declared ? { declared: { file: o.declared.file, line: o.declared.line, ...(declared ? { yaml: declared } : {}), link: gitLink(source.repo, self.meta.commit, o.declared.file, o.declared.line) ?? null, repo: source.repo, branch: source.branch, commit: self.meta.commit ?? null } } : {}),
    events: o.namespace ? eventsOf(core, o.namespace, { kind: o.resource.kind, name: o.name }) : [],
  };
}

/** The hosts the grants may see, each with its VMs and pod VMs, and the objects waiting for capacity. */
export function hostsView(core: ConsoleCore, grants: Grants): Obj {
  const full = inventoryView(core.inventory) as Obj;
  const view = grants.admin ? full : scopedInventory(full, grants, usableScope(grants, core.inventory));
  const onHost = (list: unknown, host: string) => ((list ?? []) as Obj[]).filter((w) => w['host'] === host).map((w) => ({ namespace: w['namespace'], name: w['name'], ...(w['powerState'] ? { powerState: w['powerState'] } : { phase: w['phase'] }), cpus: w['cpus'], memory: w['memory'] }));
  const hosts = ((view['hosts'] ?? []) as Obj[]).map((h) => ({ ...h, vms: onHost(view['virtualMachines'], String(h['name'])), pods: onHost(view['podVMs'], String(h['name'])) }));
  const waiting = visibleObjects(core, grants)
    .map(rowOf)
    .filter((r) => r.health === 'Waiting' && (r.kind === 'VirtualMachine' || r.kind === 'Pod' || r.kind === 'Machine'));
  return { resourceVersion: core.catalog.feed.revision(), hosts, waiting };
}
