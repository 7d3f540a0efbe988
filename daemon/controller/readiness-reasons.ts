/**
 * What a pass does about an object that is not as desired, by the reason of its problem: a
 * capacity wait (placement or quota; the revision is Ready=False WaitingForCapacity and retried
 * after a delay, as capacity may be freed), retriable (what it refers to may appear without a new
 * commit: retried after the same delay), or terminal (the manifest must change: it waits for the
 * next commit). Every reason of the closed vocabulary is in the table.
 */
import type { ProblemReason } from '../apply/executor.js';

export type ReasonClass = 'capacity' | 'retriable' | 'terminal';

export const READINESS_REASONS: { readonly [R in ProblemReason]: ReasonClass } = {
  NoAvailableHosts: 'capacity',
  InsufficientResources: 'capacity',
  QuotaExceeded: 'capacity',
  NamespaceNotFound: 'retriable',
  ClassNotFound: 'retriable',
  NamespaceNotEmpty: 'terminal',
  ImageNotFound: 'terminal',
  StorageClassNotFound: 'terminal',
  Immutable: 'terminal',
  InvalidPowerState: 'terminal',
  NotAllowedByPolicy: 'terminal',
  ClaimNotFound: 'terminal',
  SecretNotFound: 'terminal',
  ResourcePolicyNotFound: 'terminal',
  EncryptionClassNotFound: 'terminal',
  NotFound: 'terminal',
  InUse: 'terminal',
  LimitRangeViolation: 'terminal',
  Forbidden: 'terminal',
  Invalid: 'terminal',
  AlreadyExists: 'terminal',
  InvalidArgument: 'terminal',
  ResourceInUse: 'terminal',
};

/** How soon a pass with objects waiting on a capacity or retriable reason runs again. */
export const REQUEUE_WAITING_MS = 10_000;

/** The revision's Ready reason when some objects are not ready: a capacity wait if any waits for capacity. */
export function notReadyReason(problems: Iterable<{ readonly reason: ProblemReason }>): 'WaitingForCapacity' | 'AdmissionRefused' {
  for (const p of problems) if (READINESS_REASONS[p.reason] === 'capacity') return 'WaitingForCapacity';
  return 'AdmissionRefused';
}

/** True when any of the problems may clear without a new commit (capacity waits included). */
export function retriable(problems: Iterable<{ readonly reason: ProblemReason }>): boolean {
  for (const p of problems) if (READINESS_REASONS[p.reason] !== 'terminal') return true;
  return false;
}
