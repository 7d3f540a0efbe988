/**
 * What a receiver of `--notify` is told: the happenings the daemon already records in its event
 * log, those an operator acts on, as a JSON body signed with HMAC-SHA256 as GitHub signs webhooks.
 * Messages are the events' own, in which a Secret's values are already masked.
 */
import { createHmac } from 'node:crypto';

export type NotificationType = 'revision.applied' | 'revision.failed' | 'prune.held' | 'drift.corrected' | 'host.failed' | 'source.failed';

/** The event reasons worth a notification, by what they tell; other events are only logged. */
const TYPE_OF_REASON: Readonly<Record<string, NotificationType>> = {
  RevisionApplied: 'revision.applied',
  // Invalid manifests, a commit refused by --verify, a pass that failed.
  ValidationFailed: 'revision.failed',
  VerificationError: 'revision.failed',
  ReconcileFailed: 'revision.failed',
  PruneHeld: 'prune.held',
  DriftCorrected: 'drift.corrected',
  HostFailed: 'host.failed',
  // A fetch that failed, and the reasons SourceReady turns False with.
  FetchFailed: 'source.failed',
  SourceUnreadable: 'source.failed',
  BranchNotFound: 'source.failed',
  EmptyRepository: 'source.failed',
};

/** An event as the event log holds it. */
export interface LoggedEvent {
  readonly seq?: number;
  readonly time: string;
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly object: string;
  readonly message: string;
  readonly revision?: string;
}

/** The followed source, as status names it. */
export interface NotifiedSource {
  readonly repo: string;
  readonly branch: string;
}

/** The body of one notification. */
export interface Notification {
  readonly type: NotificationType;
  /** The event's reason (`ValidationFailed`, `VerificationError`…): why, within the type. */
  readonly reason: string;
  readonly severity: 'Normal' | 'Warning';
  readonly time: string;
  /** `Kind/namespace/name`, a host as `Host/<name>`, or the source for events about the repository. */
  readonly object: string;
  readonly message: string;
  /** `<branch>@sha1:<commit>`, as status and the event API write it. */
  readonly revision?: string;
  readonly source: NotifiedSource;
  /** The event's place in the event log (`pacific events`): a receiver drops a repeat by it. */
  readonly seq: number;
}

/** The notification an event makes, or undefined for an event no receiver is told of. */
export function notificationOf(event: LoggedEvent, source: NotifiedSource): Notification | undefined {
  const type = TYPE_OF_REASON[event.reason];
  if (!type || event.seq === undefined) return undefined;
  const revision = event.revision && (event.revision.includes('@') ? event.revision : `${source.branch}@sha1:${event.revision}`);
  return { type, reason: event.reason, severity: event.type, time: event.time, object: event.object, message: event.message, ...(revision ? { revision } : {}), source, seq: event.seq };
}

/** The header carrying the signature, as GitHub's `X-Hub-Signature-256`. */
export const SIGNATURE_HEADER = 'X-Pacific-Signature';

/** `sha256=<hex>`: HMAC-SHA256 of the exact body bytes under the shared secret. */
export function signatureOf(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
