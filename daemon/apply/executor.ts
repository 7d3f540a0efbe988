/**
 * The executor: performs an admitted plan on the simulator, one step per change. A step is one
 * registry transaction whose entity changes, ownership record and event are persisted together;
 * a fault rolls the step back and is recorded as the object's problem. Steps are committed to the
 * store in batches, each one transaction: a crash loses at most the batch in flight, never part of
 * a step, and the next pass redoes it.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { FaultError, type FaultCode } from '../inventory/model/faults.js';
import { timestamp, type Clock } from '../base/clock.js';
import type { InventoryRegistry } from '../inventory/registry.js';
import { simulatorSettings } from '../inventory/settings.js';
import { displayName } from '../manifests/types.js';
import type { Ownership } from '../plan/planner.js';
import type { AdmissionReason, Change, Problem } from '../plan/contract.js';
import type { Plan } from '../plan/types.js';
import { reconcilers } from '../reconcilers/index.js';
import type { EventLog, OwnershipChange, StepJournal } from '../store/ports.js';
import type { StoredEvent } from '../store/types.js';
import { SLICE_MS } from '../base/time-slices.js';

/** Past-tense outcome of one change. */
export type Outcome = 'created' | 'configured' | 'deleted' | 'released' | 'refused' | 'failed';

/** Why a step left its object not as desired: the admission's refusal or the task's fault (a closed vocabulary). */
export type ProblemReason = AdmissionReason | FaultCode;

/** A step's problem, its reason from the closed vocabulary. */
export interface StepProblem extends Problem {
  readonly reason: ProblemReason;
}

export interface StepResult {
  readonly change: Change;
  readonly outcome: Outcome;
  readonly problem?: StepProblem;
}

export interface ApplyOptions {
  readonly revision: string;
  /** Stamps the step's events; the simulator schedules the step's tasks from it. */
  readonly clock: Clock;
  /** Objects pacific already manages (to tell created from adopted). */
  readonly ownership: ReadonlyMap<string, Ownership>;
  /** Longest run of steps between yields to the event loop, so the HTTP server keeps answering during big applies. */
  readonly sliceMs?: number;
  /** Called after each step (metrics, tests). */
  readonly onStep?: (result: StepResult) => void;
}

const DONE: Record<Change['action'], Outcome> = { create: 'created', update: 'configured', delete: 'deleted' };

function describe(change: Change, outcome: Outcome): string {
  const where = change.admission.placement ? ` on ${change.admission.placement.host}` : '';
  const fields = change.fields.length && change.action === 'update' ? `: ${change.fields.slice(0, 3).map((f) => f.path).join(', ')}${change.fields.length > 3 ? ', …' : ''}` : '';
  return `${outcome}${where}${fields}`;
}

function ownershipChange(change: Change, revision: string, ownership: ReadonlyMap<string, Ownership>): OwnershipChange {
  if (change.action === 'delete') return { op: 'delete', key: change.key };
  const origin: Ownership = change.action === 'create' ? 'created' : (ownership.get(change.key) ?? 'adopted');
  return {
    op: 'put',
    record: {
      key: change.key,
      apiVersion: change.apiVersion,
      kind: change.kind,
      namespace: change.namespace,
      name: change.name,
      origin,
      revision,
      ...(change.source ? { source: change.source } : {}),
    },
  };
}

/** Applies one change as one step; returns its outcome. Store failures propagate (the pass fails). */
export function applyChange(change: Change, registry: InventoryRegistry, store: StepJournal & EventLog, options: ApplyOptions): StepResult {
  const object = displayName(change.kind, change.namespace, change.name);
  const event = (type: StoredEvent['type'], reason: string, message: string): StoredEvent => ({
    time: timestamp(options.clock),
    type,
    reason,
    object,
    message,
    revision: options.revision,
  });
  if (!change.admission.allowed) {
    const problem = { reason: change.admission.reason ?? 'Invalid', message: change.admission.message ?? '' };
    return { change, outcome: 'refused', problem };
  }
  if (change.release) {
    store.commitStep([], [{ op: 'delete', key: change.key }], [event('Normal', 'Released', 'no longer declared; pacific did not create it, so it is left in place')]);
    return { change, outcome: 'released' };
  }
  const reconciler = reconcilers.of(change.group, change.kind)!;
  const ctx = { now: options.clock.now(), settings: simulatorSettings(registry) };
  try {
    registry.transaction(
      () => {
        const result = reconciler.apply(change, registry, ctx);
        if (!result.ok) throw new FaultError(result.error);
      },
      (entityChanges) => {
        const outcome = DONE[change.action];
        const warnings = (change.admission.warnings ?? []).map((w) => event('Warning', 'UnsupportedFeature', w));
        store.commitStep(entityChanges, [ownershipChange(change, options.revision, options.ownership)], [event('Normal', outcome[0]!.toUpperCase() + outcome.slice(1), describe(change, outcome)), ...warnings]);
      },
    );
    return { change, outcome: DONE[change.action] };
  } catch (err) {
    if (!(err instanceof FaultError)) throw err;
    store.addEvents([event('Warning', err.fault.fault, err.fault.message)]);
    return { change, outcome: 'failed', problem: { reason: err.fault.fault, message: err.fault.message } };
  }
}

/** Most steps committed in one store transaction. */
export const STEPS_PER_BATCH = 256;

/**
 * Applies a plan in order. Refused changes are skipped; they do not block the others. Steps run in
 * batches (at most `STEPS_PER_BATCH`, or `sliceMs` of work): each batch is one store transaction,
 * durable whole or not at all (a failed commit undoes the batch in memory too), and the event loop
 * runs between batches. `onStep` hears of a step once its batch is committed.
 */
export async function applyPlan(plan: Plan, registry: InventoryRegistry, store: StepJournal & EventLog, options: ApplyOptions): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const { changes } = plan;
  const sliceMs = options.sliceMs ?? SLICE_MS;
  for (let i = 0; i < changes.length; ) {
    const batch: StepResult[] = [];
    const started = performance.now();
    registry.savepoint();
    try {
      store.batch(() => {
        do batch.push(applyChange(changes[i++]!, registry, store, options));
        while (i < changes.length && batch.length < STEPS_PER_BATCH && performance.now() - started < sliceMs);
      });
    } catch (err) {
      registry.rollbackToSavepoint();
      throw err;
    } finally {
      registry.releaseSavepoint();
    }
    for (const result of batch) {
      results.push(result);
      options.onStep?.(result);
    }
    if (i < changes.length) await yieldToEventLoop();
  }
  return results;
}
