/** Pod placement rules: node affinity, and affinity or anti-affinity to other pods by topology. */
import { enumOf, int, list, obj, str } from '../dsl/builders.js';
import { labelSelector } from './common.js';

const weight = () => int({ minimum: 1, maximum: 100 });

const nodeSelectorRequirement = obj(
  { key: str(), operator: enumOf('In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'), values: list(str()) },
  { required: ['key', 'operator'] },
);

const nodeSelectorTerm = obj({ matchExpressions: list(nodeSelectorRequirement), matchFields: list(nodeSelectorRequirement) });

const nodeAffinity = obj({
  preferredDuringSchedulingIgnoredDuringExecution: list(obj({ preference: nodeSelectorTerm, weight: weight() }, { required: ['weight', 'preference'] })),
  requiredDuringSchedulingIgnoredDuringExecution: obj({ nodeSelectorTerms: list(nodeSelectorTerm) }, { required: ['nodeSelectorTerms'] }),
});

const podAffinityTerm = obj(
  {
    labelSelector,
    matchLabelKeys: list(str()),
    mismatchLabelKeys: list(str()),
    namespaceSelector: labelSelector,
    namespaces: list(str()),
    topologyKey: str({ minLength: 1 }),
  },
  { required: ['topologyKey'] },
);

const podAffinityRules = obj({
  preferredDuringSchedulingIgnoredDuringExecution: list(
    obj({ podAffinityTerm, weight: weight() }, { required: ['weight', 'podAffinityTerm'] }),
  ),
  requiredDuringSchedulingIgnoredDuringExecution: list(podAffinityTerm),
});

/** `Affinity`: node affinity, pod affinity and pod anti-affinity, each required or preferred. */
export const affinity = obj({ nodeAffinity, podAffinity: podAffinityRules, podAntiAffinity: podAffinityRules });
