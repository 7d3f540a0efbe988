/**
 * The simulator's admin operations, as a vCenter administrator performs them behind the GitOps
 * reconciler's back: VM power and size changes (drift), host failure and maintenance mode. Each is
 * one registry transaction persisted as one store step, with its events.
 */
import type { Logger } from 'pino';
import { timestamp, type Clock } from '../base/clock.js';
import { adminVirtualMachine, type AdminVmAction } from '../inventory/admin.js';
import { FaultError, type TaskResult } from '../inventory/model/faults.js';
import { enterMaintenance, exitMaintenance, failHost, recoverHost } from '../inventory/host-faults.js';
import type { InventoryRegistry } from '../inventory/registry.js';
import type { TaskOutcome } from '../inventory/tasks.js';
import type { Metrics } from '../base/metrics.js';
import type { StepJournal } from '../store/ports.js';
import type { StoredEvent } from '../store/types.js';

export type AdminHostAction = 'fail' | 'recover' | 'enter-maintenance' | 'exit-maintenance';

export type AdminResult = { ok: true } | { ok: false; status: number; message: string };

const HOST_ACTIONS: Record<AdminHostAction, (registry: InventoryRegistry, host: string, now: number) => TaskResult<TaskOutcome>> = {
  fail: failHost,
  recover: recoverHost,
  'enter-maintenance': enterMaintenance,
  'exit-maintenance': exitMaintenance,
};

export class SimulatorAdmin {
  constructor(
    private readonly deps: {
      registry: InventoryRegistry;
      store: StepJournal;
      metrics: Metrics;
      log: Logger;
      clock: Clock;
      /** Called after a successful operation (re-arm the task runner, look again). */
      onChanged: (kind: 'vm' | 'host') => void;
    },
  ) {}

  virtualMachine(namespace: string, name: string, action: AdminVmAction): AdminResult {
    const object = `VirtualMachine/${namespace}/${name}`;
    return this.run('vm', () => {
      const r = adminVirtualMachine(this.deps.registry, namespace, name, action);
      return r.ok ? { ok: true, value: { events: [{ type: 'Warning', reason: 'OutOfBandChange', object, message: `simulator admin: ${JSON.stringify(action)}` }] } } : r;
    });
  }

  host(name: string, action: AdminHostAction): AdminResult {
    return this.run('host', () => HOST_ACTIONS[action](this.deps.registry, name, this.deps.clock.now()));
  }

  private run(kind: 'vm' | 'host', operation: () => TaskResult<TaskOutcome>): AdminResult {
    const { registry, store, metrics, log } = this.deps;
    try {
      const time = timestamp(this.deps.clock);
      registry.transaction(
        () => {
          const r = operation();
          if (!r.ok) throw new FaultError(r.error);
          return r.value;
        },
        (changes, outcome) => {
          const events: StoredEvent[] = outcome.events.map((e) => ({ ...e, time }));
          store.commitStep(changes, [], events);
          for (const e of events) {
            metrics.events.inc({ type: e.type, reason: e.reason });
            log.warn({ object: e.object, reason: e.reason }, e.message);
          }
        },
      );
      this.deps.onChanged(kind);
      return { ok: true };
    } catch (err) {
      if (!(err instanceof FaultError)) throw err;
      return { ok: false, status: err.fault.fault === 'NotFound' ? 404 : 409, message: err.fault.message };
    }
  }
}
