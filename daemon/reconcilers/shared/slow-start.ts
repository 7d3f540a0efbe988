/**
 * How many replicas of a set exist after a pass: what exists now plus one batch, as the ReplicaSet
 * and MachineSet controllers create them. Kubernetes creates in slow-start batches that double and
 * stop at the first refusal, at most 500 a sync (the ReplicaSet controller's BurstReplicas), so
 * `replicas: 100000` behind a quota of 20 pods makes a few dozen objects, not 100,000. pacific
 * starts with a batch of 64 (a set of a few dozen replicas still appears in one pass) and then
 * doubles what exists; objects a quota or placement refuses do not exist, so growth stops there.
 */

/** The first batch: sets up to this size are created in one pass. */
export const FIRST_BATCH = 64;
/** At most this many replicas are added in one pass (kube-controller-manager's BurstReplicas). */
export const BURST_REPLICAS = 500;

/** Replicas to derive this pass for `wanted` replicas when `existing` exist (scaling down is never batched). */
export function replicasThisPass(wanted: number, existing: number): number {
  if (wanted <= existing) return wanted;
  return Math.min(wanted, existing + Math.min(BURST_REPLICAS, Math.max(FIRST_BATCH, existing)));
}

/** What a set's status says of replicas not created yet, or '' when none wait. */
export function notCreatedYet(wanted: number, existing: number, what: string): string {
  const waiting = wanted - replicasThisPass(wanted, existing);
  return waiting > 0 ? `; ${waiting.toLocaleString('en-US')} ${what} not created yet (created in batches as the ${what} before them exist: up to twice as many, at most ${BURST_REPLICAS} a pass)` : '';
}
