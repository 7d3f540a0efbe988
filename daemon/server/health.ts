/**
 * An object's health as `pacific status` and `pacific get` show it, from its Ready condition: Ready;
 * Waiting for capacity (placement, quota, a failed host's restart); Degraded when only a new commit
 * can fix it (the reasons readiness-reasons.ts calls terminal, a stalled rollout); else Progressing
 * (starting, provisioning, a retriable reference). A namespace's health is its worst object's.
 */
import type { Condition } from '../plan/contract.js';
import { READINESS_REASONS } from '../controller/readiness-reasons.js';

export type Health = 'Ready' | 'Progressing' | 'Degraded' | 'Waiting';

/** Worst first: a namespace rolls up to the first of these any of its objects has. */
export const HEALTH_ORDER: readonly Health[] = ['Degraded', 'Waiting', 'Progressing', 'Ready'];

const WAITING = new Set(['WaitingForHost', 'WaitingForCapacity', 'HaRestartWaiting', 'EvacuationWaiting']);
const DEGRADED = new Set(['RolloutStalled', 'AdmissionRefused', 'ValidationFailed', 'ReconcileFailed']);

export function healthOf(conditions: readonly Condition[]): Health {
  const ready = conditions.find((c) => c.type === 'Ready') ?? conditions[0];
  if (!ready || ready.status === 'True') return 'Ready';
  const known = READINESS_REASONS[ready.reason as keyof typeof READINESS_REASONS];
  if (known === 'capacity' || WAITING.has(ready.reason)) return 'Waiting';
  if (known === 'terminal' || DEGRADED.has(ready.reason)) return 'Degraded';
  return 'Progressing';
}

export interface HealthCounts {
  readonly health: Health;
  readonly total: number;
  readonly ready: number;
  readonly progressing: number;
  readonly degraded: number;
  readonly waiting: number;
}

/** Counts of each health and the worst one. */
export function rollUp(healths: Iterable<Health>): HealthCounts {
  const n = { Ready: 0, Progressing: 0, Degraded: 0, Waiting: 0 };
  let total = 0;
  for (const h of healths) {
    n[h]++;
    total++;
  }
  const health = HEALTH_ORDER.find((h) => h !== 'Ready' && n[h] > 0) ?? 'Ready';
  return { health, total, ready: n.Ready, progressing: n.Progressing, degraded: n.Degraded, waiting: n.Waiting };
}
