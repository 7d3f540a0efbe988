/**
 * What the daemon's doors (the status listener, the CLI's endpoints, the console) read and ask of
 * the core: views cut by the caller's grants, and the few actions a door may take (suspend,
 * resume, reconcile now, confirm a held prune, the simulator's admin actions).
 */
import type { Logger } from 'pino';
import { usableScope } from './access/grants.js';
import type { Clock } from './base/clock.js';
import type { Metrics } from './base/metrics.js';
import { versionInfo } from './base/version.js';
import type { Controller } from './controller/controller.js';
import type { ReconcileLoop } from './controller/loop.js';
import { confirmPrune } from './controller/prune-guard.js';
import type { Replica } from './ha/replica.js';
import type { InventoryRegistry } from './inventory/registry.js';
import { eventsView, objectsView, summaryView } from './server/light-views.js';
import type { DaemonApi } from './server/routes.js';
import { scopedInventory, scopedSnapshot, scopedStatus } from './server/scoped-views.js';
import { inventoryView, StatusDocument, type StatusInput } from './server/views.js';
import type { SimulatorAdmin } from './simulator/admin.js';
import type { DaemonStore } from './store/ports.js';

export interface DaemonApiParts {
  readonly registry: InventoryRegistry;
  readonly store: DaemonStore;
  readonly controller: Controller;
  readonly loop: ReconcileLoop;
  readonly admin: SimulatorAdmin;
  readonly metrics: Metrics;
  readonly clock: Clock;
  readonly log: Logger;
  readonly replica: Replica | undefined;
  /** The repo as events name it. */
  readonly location: string;
  readonly branch: string;
  readonly tenantRoot: string | undefined;
  readonly statusInput: () => StatusInput;
  /** What the VI admin's /status shows besides (the webhook receivers). */
  readonly adminStatusInput: () => StatusInput;
}

export function daemonApi({ registry, store, controller, loop, admin, metrics, clock, log, replica, location, branch, tenantRoot, statusInput, adminStatusInput }: DaemonApiParts): Omit<DaemonApi, 'webhook'> {
  const statusDocument = new StatusDocument();
  return {
    // A follower is ready once it loaded the store: it serves it as of its revision.
    ready: () => loop.ready || (replica !== undefined && !replica.isLeader),
    status: (grants) => (grants.admin ? statusDocument.render(adminStatusInput()) : scopedStatus(statusInput(), grants, tenantRoot)),
    inventory: (grants) => {
      const view = inventoryView(registry) as Record<string, unknown>;
      return grants.admin ? view : scopedInventory(view, grants, usableScope(grants, registry));
    },
    snapshot: (grants) => scopedSnapshot(registry.all(), store.ownedObjects(), grants, usableScope(grants, registry)),
    metrics: async () => ({ contentType: metrics.registry.contentType, body: await metrics.registry.metrics() }),
    summary: (grants) => summaryView(statusInput(), grants, tenantRoot, { suspended: store.suspension() ?? null }),
    history: (grants, limit) => ({
      // Counts and digests are cluster-wide: a tenant sees when passes ran and what came of them.
      items: store.passes(limit).map((p) => (grants.admin ? p : { seq: p.seq, startedAt: p.startedAt, durationMs: p.durationMs, trigger: p.trigger, result: p.result, ...(p.revision ? { revision: p.revision } : {}) })),
    }),
    suspend: (reason, by = 'pacific:admin-token') => {
      const suspension = { since: new Date(clock.now()).toISOString(), by, ...(reason ? { reason } : {}) };
      store.setSuspension(suspension);
      metrics.suspended.set(1);
      store.addEvents([{ time: suspension.since, type: 'Normal', reason: 'Suspended', object: location, message: `reconciling suspended${reason ? `: ${reason}` : ''}; no revision is applied and no drift corrected until resumed` }]);
      log.warn({ reason }, 'reconciling suspended through the API');
    },
    resume: () => {
      if (!store.suspension()) return;
      store.setSuspension(undefined);
      metrics.suspended.set(0);
      store.addEvents([{ time: new Date(clock.now()).toISOString(), type: 'Normal', reason: 'Resumed', object: location, message: 'reconciling resumed' }]);
      log.warn('reconciling resumed through the API');
      loop.trigger({ reason: 'manual' });
    },
    objects: (grants, query) => objectsView(statusInput(), grants, query),
    events: (grants, after, namespace, limit) => {
      const events = after === undefined ? store.recentEvents(limit).reverse() : store.eventsAfter(after, limit);
      // The last seq examined, shown or not: a follower resumes after it and misses nothing appended since.
      return { items: eventsView(events, grants, branch, namespace), lastSeq: events.at(-1)?.seq ?? after ?? 0 };
    },
    version: () => versionInfo(),
    reconcile: () => {
      if (store.suspension()) return { ok: false, status: 409, message: 'reconciling is suspended: pacific resume first' };
      loop.trigger({ reason: 'manual' });
      return { ok: true };
    },
    confirmPrune: (revision) => {
      const result = confirmPrune(store, controller.state(), revision);
      if (result.ok) {
        log.warn({ revision: result.revision }, 'prune confirmed through the API');
        loop.trigger({ reason: 'manual' });
      }
      return result;
    },
    adminVirtualMachine: (namespace, name, action) => admin.virtualMachine(namespace, name, action),
    adminHost: (name, action) => admin.host(name, action),
  };
}
