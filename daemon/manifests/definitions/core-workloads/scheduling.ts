/** Scheduling constraints besides affinity: tolerations of node taints and topology spread. */
import { enumOf, int, list, obj, str } from '../dsl/builders.js';
import { labelSelector } from './common.js';

/** `Toleration`: an empty key with `Exists` tolerates every taint; an empty effect matches every effect. */
export const toleration = obj({
  effect: enumOf('', 'NoSchedule', 'PreferNoSchedule', 'NoExecute'),
  key: str(),
  operator: enumOf('Exists', 'Equal', 'Lt', 'Gt'),
  tolerationSeconds: int(),
  value: str(),
});

/** `TopologySpreadConstraint`: how evenly matching pods spread over a topology key; maxSkew ≥ 1. */
export const topologySpreadConstraint = obj(
  {
    labelSelector,
    matchLabelKeys: list(str()),
    maxSkew: int({ minimum: 1 }),
    minDomains: int({ minimum: 1 }),
    nodeAffinityPolicy: enumOf('Honor', 'Ignore'),
    nodeTaintsPolicy: enumOf('Honor', 'Ignore'),
    topologyKey: str({ minLength: 1 }),
    whenUnsatisfiable: enumOf('DoNotSchedule', 'ScheduleAnyway'),
  },
  { required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'] },
);
