/** Prometheus metrics of one daemon (prom-client), served on `/metrics`. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type ReconcileResult = 'applied' | 'unchanged' | 'invalid' | 'held' | 'source_unavailable' | 'suspended' | 'failed';

/** Pipeline stages timed on every pass (issue: per-stage timings as histograms). */
export type Stage = 'detect' | 'read' | 'parse' | 'validate' | 'plan' | 'apply' | 'persist' | 'publish';

export class Metrics {
  readonly registry = new Registry();
  readonly reconciles = new Counter({ name: 'pacific_reconcile_total', help: 'Reconcile passes by result', labelNames: ['result'] as const, registers: [this.registry] });
  readonly reconcileDuration = new Histogram({
    name: 'pacific_reconcile_duration_seconds',
    help: 'Duration of reconcile passes by result',
    labelNames: ['result'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly stageDuration = new Histogram({
    name: 'pacific_stage_duration_seconds',
    help: 'Duration of each pipeline stage of a reconcile pass',
    labelNames: ['stage'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly objects = new Gauge({ name: 'pacific_objects', help: 'Managed objects by kind and readiness', labelNames: ['kind', 'ready'] as const, registers: [this.registry] });
  readonly lastApplied = new Gauge({ name: 'pacific_last_applied_revision_info', help: 'The last applied revision (value is always 1)', labelNames: ['revision'] as const, registers: [this.registry] });
  readonly lastAppliedAt = new Gauge({
    name: 'pacific_last_applied_timestamp_seconds',
    help: 'When the last applied revision was applied (Unix time): a watcher measures its delivery from it',
    registers: [this.registry],
  });
  /** When the last revision was applied (ms since the epoch): what the Kubernetes API's watch delivery is timed from. */
  lastAppliedAtMs = 0;
  readonly watchDelivery = new Histogram({
    name: 'pacific_api_watch_delivery_seconds',
    help: 'From the apply that caused Kubernetes API changes to their watch events written to a watcher connection (one sample per watcher and refresh)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly pushToApplied = new Histogram({
    name: 'pacific_push_to_applied_seconds',
    help: 'From the branch ref being written (git push) to the revision being applied',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly webhookToApplied = new Histogram({
    name: 'pacific_webhook_to_applied_seconds',
    help: 'From a verified webhook push being received to the revision it announced being applied (fetch included)',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly planScopes = new Counter({
    name: 'pacific_reconcile_scope_total',
    help: 'Passes by what they planned: everything (full), the namespaces that changed (incremental), or nothing because nothing changed (skipped)',
    labelNames: ['scope'] as const,
    registers: [this.registry],
  });
  readonly suspended = new Gauge({ name: 'pacific_suspended', help: '1 while reconciling is suspended (pacific suspend), else 0', registers: [this.registry] });
  readonly pruneHeld = new Gauge({ name: 'pacific_prune_held', help: '1 while the prune bound holds a revision (pacific prune confirm), else 0', registers: [this.registry] });
  readonly conditions = new Gauge({
    name: 'pacific_condition',
    help: "The source's conditions: 1 for each condition's current status, 0 for the others (as Flux's gotk_reconcile_condition)",
    labelNames: ['type', 'status'] as const,
    registers: [this.registry],
  });
  readonly lastSuccess = new Gauge({ name: 'pacific_last_success_timestamp_seconds', help: 'When a pass last ended applied or unchanged (Unix time)', registers: [this.registry] });
  readonly commitToReady = new Histogram({
    name: 'pacific_commit_to_ready_seconds',
    help: 'From the push of a revision (the pass that saw it, without one) to every object of it Ready: VMs powered on, pods running, clusters provisioned',
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    registers: [this.registry],
  });
  readonly events = new Counter({ name: 'pacific_events_total', help: 'Events recorded, by type and reason', labelNames: ['type', 'reason'] as const, registers: [this.registry] });
  readonly notificationsSent = new Counter({
    name: 'pacific_notifications_sent_total',
    help: 'Notifications (--notify) by result: delivered (2xx), or failed once the tries ran out or the receiver refused it (4xx)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly notificationsDropped = new Counter({ name: 'pacific_notifications_dropped_total', help: "Notifications dropped unsent because a receiver's queue was full (the oldest goes)", registers: [this.registry] });
  readonly notificationsQueued = new Gauge({ name: 'pacific_notifications_queued', help: 'Notifications waiting to be sent, all receivers', registers: [this.registry] });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    // Under their standard names (process_cpu_seconds_total, nodejs_heap_size_used_bytes): dashboards for any Node service work.
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Times `fn` into the stage histogram. */
  async time<T>(stage: Stage, fn: () => T | Promise<T>): Promise<T> {
    const end = this.stageDuration.startTimer({ stage });
    try {
      return await fn();
    } finally {
      end();
    }
  }

  /** Records a stage timed by the caller (stages that interleave, like parse and validate). */
  observe(stage: Stage, ms: number): void {
    this.stageDuration.observe({ stage }, ms / 1000);
  }

  /** A new revision applied at `nowMs`. */
  markApplied(nowMs: number): void {
    this.lastAppliedAtMs = nowMs;
    this.lastAppliedAt.set(nowMs / 1000);
  }

  setLastApplied(revision: string): void {
    this.lastApplied.reset();
    this.lastApplied.set({ revision }, 1);
  }

  setConditions(conditions: readonly { readonly type: string; readonly status: string }[]): void {
    this.conditions.reset();
    for (const c of conditions) for (const status of ['True', 'False', 'Unknown']) this.conditions.set({ type: c.type, status }, c.status === status ? 1 : 0);
  }

  setObjects(counts: ReadonlyMap<string, { ready: number; notReady: number }>): void {
    this.objects.reset();
    for (const [kind, c] of counts) {
      this.objects.set({ kind, ready: 'true' }, c.ready);
      this.objects.set({ kind, ready: 'false' }, c.notReady);
    }
  }
}
