/**
 * One step of a KubeadmControlPlane, as its controller takes them: machines join one at a time
 * (the next only when every machine runs a node), and a rollout adds one up-to-date machine, then
 * removes the oldest outdated one once the new one runs (maxSurge 1, the only KCP strategy).
 * Pure: the live machines in, the machine to create or to remove out.
 */
import { byAge, isRunning, type LiveMachine } from './machines.js';

export interface ControlPlaneStep {
  readonly create: boolean;
  readonly remove?: string;
  /** Why nothing moves this pass, when something is left to do. */
  readonly waitingFor?: string;
}

export function controlPlaneStep(replicas: number, machines: readonly LiveMachine[], upToDate: (m: LiveMachine) => boolean): ControlPlaneStep {
  const outdated = machines.filter((m) => !upToDate(m)).sort(byAge);
  const pending = machines.filter((m) => !isRunning(m));
  const done = machines.length === replicas && outdated.length === 0;
  if (done) return { create: false };
  // etcd membership changes one at a time: wait until every member runs.
  if (pending.length) return { create: false, waitingFor: `machine ${pending.map((m) => m.name).sort().join(', ')} to join` };
  if (machines.length < replicas || (machines.length === replicas && outdated.length)) return { create: true };
  return { create: false, remove: (outdated[0] ?? [...machines].sort(byAge)[0]!).name };
}
