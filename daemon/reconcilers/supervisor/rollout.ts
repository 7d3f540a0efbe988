/**
 * One step of a Deployment rollout, as the deployment controller takes it: scale the new
 * ReplicaSet up within maxSurge, scale old ones down while at least replicas − maxUnavailable pods
 * stay ready (unready old pods go first). Recreate removes every old pod before creating new ones.
 * Pure: the live pod counts in, the ReplicaSet sizes out; each pass takes the next step.
 */

export interface ReplicaSetPods {
  readonly name: string;
  readonly pods: number;
  readonly ready: number;
}

export interface Strategy {
  readonly type: 'RollingUpdate' | 'Recreate';
  readonly maxSurge: number | string;
  readonly maxUnavailable: number | string;
}

/** The strategy's int-or-percent resolved against the replica count (surge rounds up, unavailable down). */
export function resolveIntOrPercent(value: number | string, replicas: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const percent = Number(value.replace('%', '')) / 100;
  return roundUp ? Math.ceil(percent * replicas) : Math.floor(percent * replicas);
}

export interface RolloutStep {
  readonly newReplicas: number;
  /** Target size of each old ReplicaSet. */
  readonly oldReplicas: ReadonlyMap<string, number>;
  /** True when the new ReplicaSet has every replica and no old pod remains. */
  readonly complete: boolean;
}

export function rolloutStep(replicas: number, strategy: Strategy, current: ReplicaSetPods, old: readonly ReplicaSetPods[]): RolloutStep {
  const oldTotal = old.reduce((n, rs) => n + rs.pods, 0);
  if (oldTotal === 0) return { newReplicas: replicas, oldReplicas: new Map(old.map((rs) => [rs.name, 0])), complete: current.ready === replicas && current.pods === replicas };
  if (strategy.type === 'Recreate') return { newReplicas: 0, oldReplicas: new Map(old.map((rs) => [rs.name, 0])), complete: false };

  let surge = resolveIntOrPercent(strategy.maxSurge, replicas, true);
  const unavailable = resolveIntOrPercent(strategy.maxUnavailable, replicas, false);
  if (surge === 0 && unavailable === 0) surge = 1; // the API server refuses both zero; never stall
  const maxTotal = replicas + surge;
  const newReplicas = Math.max(current.pods, Math.min(replicas, current.pods + Math.max(0, maxTotal - oldTotal - current.pods)));

  const oldReady = old.reduce((n, rs) => n + rs.ready, 0);
  const minAvailable = replicas - unavailable;
  let remove = Math.min(oldTotal, oldTotal - oldReady + Math.max(0, oldReady + current.ready - minAvailable));
  const oldReplicas = new Map<string, number>();
  // Unready pods go first, then ReplicaSets in name order.
  for (const rs of [...old].sort((a, b) => a.ready / Math.max(1, a.pods) - b.ready / Math.max(1, b.pods) || a.name.localeCompare(b.name))) {
    const cut = Math.min(rs.pods, remove);
    oldReplicas.set(rs.name, rs.pods - cut);
    remove -= cut;
  }
  return { newReplicas, oldReplicas, complete: false };
}
