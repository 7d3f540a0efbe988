/** LimitRange: stored as written; its bounds and defaults bind the namespace's pods and claims. */
import { kubeObjectReconciler } from '../shared/kube-object.js';
import { limitView } from '../../capacity/limits.js';
import { liveSpecOf } from '../../manifests/typed-spec.js';

export const limitRangeReconciler = kubeObjectReconciler({
  group: '',
  kind: 'LimitRange',
  record: (object, ledger) => ledger.setLimitRange(object.namespace, object.name, limitView(liveSpecOf(object, 'LimitRange'))),
  forget: (live, ledger) => ledger.removeLimitRange(live.namespace, live.name),
});
