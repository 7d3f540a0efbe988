/** One receiver's queue in process, against real loopback receivers: which answers are tried again, and the bound. */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Metrics } from '../../daemon/base/metrics.js';
import { ReceiverQueue, receiverLabel, DEFAULT_DELIVERY } from '../../daemon/notify/delivery.js';
import type { Notification } from '../../daemon/notify/notifications.js';
import { waitFor } from '../support/daemon-process.js';
import { startReceiver, type Receiver } from '../support/notify-receiver.js';

const fast = { ...DEFAULT_DELIVERY, attempts: 3, initialDelayMs: 10, maxDelayMs: 20, timeoutMs: 500 };
const note = (seq: number): Notification => ({ type: 'host.failed', reason: 'HostFailed', severity: 'Warning', time: '2026-12-05T19:00:00.000Z', object: 'Host/esx-01', message: 'm', source: { repo: 'r', branch: 'main' }, seq });
const counted = async (metrics: Metrics, result: string) => (await metrics.notificationsSent.get()).values.find((v) => v.labels.result === result)?.value ?? 0;

let receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  receivers = [];
});

async function queueTo(answer: (n: number) => number | undefined, options = fast) {
  const receiver = await startReceiver(answer);
  receivers.push(receiver);
  const metrics = new Metrics({ defaultMetrics: false });
  const queue = new ReceiverQueue(new URL(receiver.url), 'k'.repeat(16), options, 'pacific/test', metrics, pino({ level: 'silent' }));
  return { receiver, metrics, queue };
}

describe('ReceiverQueue', () => {
  it.each([500, 503, 429, 408])('tries again after %i', async (status) => {
    const { receiver, metrics, queue } = await queueTo((n) => (n === 0 ? status : 204));
    queue.offer(note(1));
    await waitFor(async () => ((await counted(metrics, 'delivered')) === 1 ? true : undefined), 'delivered');
    expect(receiver.received.map((r) => r.answered)).toEqual([status, 204]);
  });

  it.each([400, 401, 404, 410])('gives up at once after %i, and goes on with the next', async (status) => {
    const { receiver, metrics, queue } = await queueTo((n) => (n === 0 ? status : 200));
    queue.offer(note(1));
    queue.offer(note(2));
    await waitFor(async () => ((await counted(metrics, 'delivered')) === 1 ? true : undefined), 'the second delivered');
    expect(await counted(metrics, 'failed')).toBe(1);
    expect(receiver.received.map((r) => [JSON.parse(r.raw).seq, r.answered])).toEqual([
      [1, status],
      [2, 200],
    ]);
  });

  it('gives up after the last try at a receiver that keeps failing, in order, without losing the queue', async () => {
    const { receiver, metrics, queue } = await queueTo(() => 502);
    queue.offer(note(1));
    queue.offer(note(2));
    await waitFor(async () => ((await counted(metrics, 'failed')) === 2 ? true : undefined), 'both given up');
    expect(receiver.received.map((r) => JSON.parse(r.raw).seq)).toEqual([1, 1, 1, 2, 2, 2]);
  });

  it('drops the oldest waiting notification when the queue is full, and stop drops the rest', async () => {
    const { receiver, metrics, queue } = await queueTo(() => undefined, { ...fast, queueLimit: 2, timeoutMs: 60_000 });
    for (const seq of [1, 2, 3, 4, 5]) queue.offer(note(seq));
    // 1 in flight (the receiver never answers), 2 and 3 dropped, 4 and 5 waiting.
    expect((await metrics.notificationsDropped.get()).values[0]!.value).toBe(2);
    expect((await metrics.notificationsQueued.get()).values[0]!.value).toBe(2);
    await waitFor(() => (receiver.received.length ? true : undefined), 'the first try');
    queue.stop();
    expect((await metrics.notificationsQueued.get()).values[0]!.value).toBe(0);
    expect(receiver.received.map((r) => JSON.parse(r.raw).seq)).toEqual([1]);
  });

  it('names a receiver without its query, which may hold a token', () => {
    expect(receiverLabel(new URL('https://hooks.example.com/pacific/x?token=abc#f'))).toBe('https://hooks.example.com/pacific/x');
  });
});
