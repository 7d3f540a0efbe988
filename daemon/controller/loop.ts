/**
 * When passes run: at start, on every ref change the watcher reports, on a resync timer (the
 * fallback for missed events and the drift check), and after a requeue delay. Triggers that arrive
 * during a pass coalesce into one more pass; passes never overlap.
 */
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Controller } from './controller.js';
import type { PassResult, Trigger } from './pass-result.js';

export interface LoopOptions {
  readonly resyncMs: number;
  readonly log: Logger;
  /** Called after every pass (the simulator's task runner re-arms its timer); the next pass waits for it. */
  readonly afterPass?: () => void | Promise<void>;
  /** A follower's loop: triggers are ignored until `start` (when the replica leads). */
  readonly standby?: boolean;
}

export class ReconcileLoop {
  private running: Promise<void> | undefined;
  private pending: Trigger | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private requeueTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private started = false;
  /** True once the first pass has finished (the daemon's readiness). */
  ready = false;
  lastResult: PassResult | undefined;

  constructor(
    private readonly controller: Controller,
    private readonly options: LoopOptions,
  ) {}

  /** Runs the first pass and starts the resync timer. */
  async start(): Promise<void> {
    this.started = true;
    this.trigger({ reason: 'startup' });
    await this.idle();
    if (this.stopped) return;
    this.resyncTimer = setInterval(() => this.trigger({ reason: 'resync' }), this.options.resyncMs);
    this.resyncTimer.unref();
  }

  /** Asks for a pass. Coalesces with one already waiting; keeps the earliest ref write time. */
  trigger(trigger: Trigger): void {
    if (this.stopped || (this.options.standby && !this.started)) return;
    const refWrittenAtMs = Math.min(trigger.refWrittenAtMs ?? Infinity, this.pending?.refWrittenAtMs ?? Infinity);
    const webhookAtMs = Math.min(trigger.webhookAtMs ?? Infinity, this.pending?.webhookAtMs ?? Infinity);
    this.pending = { reason: this.pending && this.pending.reason !== 'resync' ? this.pending.reason : trigger.reason, ...(Number.isFinite(refWrittenAtMs) ? { refWrittenAtMs } : {}), ...(Number.isFinite(webhookAtMs) ? { webhookAtMs } : {}) };
    if (!this.running) this.running = this.drain();
  }

  /** Resolves when no pass is running or waiting. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.resyncTimer);
    clearTimeout(this.requeueTimer);
    this.pending = undefined;
    await this.idle();
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending && !this.stopped) {
        const trigger = this.pending;
        this.pending = undefined;
        try {
          this.lastResult = await this.controller.reconcile(trigger);
          clearTimeout(this.requeueTimer);
          if (this.lastResult.requeueAfterMs !== undefined) {
            this.requeueTimer = setTimeout(() => this.trigger({ reason: 'requeue' }), this.lastResult.requeueAfterMs);
            this.requeueTimer.unref();
          }
        } catch (err) {
          this.options.log.error({ err }, 'reconcile pass failed; retrying at the next trigger');
          this.lastResult = { result: 'failed' };
        }
        this.ready = true;
        // The pass ended with its persist stage: let waiting requests in before what follows it (the API's publish).
        await nextMacrotask();
        await this.options.afterPass?.();
      }
    } finally {
      this.running = undefined;
    }
  }
}
