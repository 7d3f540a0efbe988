/** Which events make a notification, and how it reads: a table over the event reasons the daemon records. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { notificationOf, signatureOf, type LoggedEvent } from '../../daemon/notify/notifications.js';

const source = { repo: 'https://git.example.com/ops/gitops.git', branch: 'main' };
const event = (reason: string, extra: Partial<LoggedEvent> = {}): LoggedEvent => ({ seq: 7, time: '2026-12-05T19:00:00.000Z', type: 'Warning', reason, object: source.repo, message: 'm', ...extra });

describe('notificationOf', () => {
  it.each([
    ['RevisionApplied', 'revision.applied'],
    ['ValidationFailed', 'revision.failed'],
    ['VerificationError', 'revision.failed'],
    ['ReconcileFailed', 'revision.failed'],
    ['PruneHeld', 'prune.held'],
    ['DriftCorrected', 'drift.corrected'],
    ['HostFailed', 'host.failed'],
    ['FetchFailed', 'source.failed'],
    ['SourceUnreadable', 'source.failed'],
    ['BranchNotFound', 'source.failed'],
    ['EmptyRepository', 'source.failed'],
  ])('%s → %s', (reason, type) => {
    expect(notificationOf(event(reason), source)).toEqual({ type, reason, severity: 'Warning', time: '2026-12-05T19:00:00.000Z', object: source.repo, message: 'm', source, seq: 7 });
  });

  it.each(['OutOfBandChange', 'HostRecovered', 'HaRestarted', 'Created', 'FetchSucceeded', 'Suspended', 'VMotionCompleted'])('tells nothing of %s', (reason) => {
    expect(notificationOf(event(reason), source)).toBeUndefined();
  });

  it('writes a revision as <branch>@sha1:<commit>, and leaves one already written so', () => {
    const sha = 'a'.repeat(40);
    expect(notificationOf(event('PruneHeld', { revision: sha }), source)?.revision).toBe(`main@sha1:${sha}`);
    expect(notificationOf(event('PruneHeld', { revision: `v1.2@sha1:${sha}` }), source)?.revision).toBe(`v1.2@sha1:${sha}`);
  });

  it('signs the exact body bytes: sha256=<hex HMAC>', () => {
    const body = '{"type":"revision.applied"}';
    expect(signatureOf('k'.repeat(16), body)).toBe(`sha256=${createHmac('sha256', 'k'.repeat(16)).update(body).digest('hex')}`);
    expect(signatureOf('k'.repeat(16), `${body} `)).not.toBe(signatureOf('k'.repeat(16), body));
  });
});
