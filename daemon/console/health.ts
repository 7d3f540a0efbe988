/**
 * The console's health of an object, from its Ready condition, in Argo CD's four words: Ready,
 * Progressing (not yet, nothing wrong), Waiting (for capacity, a host or something that may appear
 * without a commit) and Degraded (refused or failed: a commit must change something).
 */
import { READINESS_REASONS } from '../controller/readiness-reasons.js';

export type Health = 'Ready' | 'Progressing' | 'Waiting' | 'Degraded';
export const HEALTHS: readonly Health[] = ['Ready', 'Progressing', 'Waiting', 'Degraded'];

interface Condition {
  readonly type?: unknown;
  readonly status?: unknown;
  readonly reason?: unknown;
  readonly message?: unknown;
}

/** Reasons pacific's reconcilers give for waiting beyond the admission vocabulary. */
const WAITING = new Set(['WaitingForHost', 'WaitingForCapacity', 'RolloutStalled', 'Pending']);
const FAILED = /Fail|Refused|Error|Invalid|Stalled|Degraded|Rejected/;

export interface HealthOf {
  readonly health: Health;
  readonly reason?: string;
  readonly message?: string;
}

/** The health of a served object's status (a kind without conditions, such as a ConfigMap, is Ready once held). */
export function healthOf(status: Readonly<Record<string, unknown>> | undefined): HealthOf {
  const conditions = status?.['conditions'];
  if (!Array.isArray(conditions) || !conditions.length) return { health: 'Ready' };
  const ready = (conditions as Condition[]).find((c) => c.type === 'Ready');
  if (!ready) return { health: 'Progressing', reason: 'NoReadyCondition' };
  if (ready.status === 'True') return { health: 'Ready' };
  const reason = typeof ready.reason === 'string' ? ready.reason : '';
  const detail = { ...(reason ? { reason } : {}), ...(typeof ready.message === 'string' && ready.message ? { message: ready.message } : {}) };
  const klass = (READINESS_REASONS as Record<string, string | undefined>)[reason];
  if (WAITING.has(reason) || klass === 'capacity' || klass === 'retriable') return { health: 'Waiting', ...detail };
  if (ready.status === 'False' && (klass === 'terminal' || FAILED.test(reason))) return { health: 'Degraded', ...detail };
  return { health: 'Progressing', ...detail };
}
