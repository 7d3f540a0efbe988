/**
 * `v1` Service: a stable address for pods chosen by label. On the Supervisor ClusterIP and
 * LoadBalancer are served; NodePort is accepted here and ignored with a warning at admission.
 */
import { bool, enumOf, extend, int, list, mapOf, obj, str } from '../dsl/builders.js';
import { objectMeta, type KindDefinition } from '../dsl/kind.js';
import { protocol } from './container.js';
import { DNS1035_LABEL, matching, namedPort, portNumber } from './dsl-extra.js';

const servicePort = obj(
  {
    appProtocol: str(),
    name: str({ format: 'dns1123-label', maxLength: 63 }),
    nodePort: int({ minimum: 0, maximum: 65535 }),
    port: portNumber(),
    protocol: protocol(),
    targetPort: namedPort(),
  },
  { required: ['port'] },
);

const trafficPolicy = () => enumOf('Cluster', 'Local');

/** `ServiceSpec`: ports keyed by port+protocol, as the API server merges them. */
export const serviceSpec = obj({
  allocateLoadBalancerNodePorts: bool(),
  clusterIP: str(),
  clusterIPs: list(str(), { maxItems: 2 }),
  externalIPs: list(str()),
  externalName: str(),
  externalTrafficPolicy: trafficPolicy(),
  healthCheckNodePort: int({ minimum: 0, maximum: 65535 }),
  internalTrafficPolicy: trafficPolicy(),
  ipFamilies: list(enumOf('IPv4', 'IPv6'), { maxItems: 2 }),
  ipFamilyPolicy: enumOf('SingleStack', 'PreferDualStack', 'RequireDualStack'),
  loadBalancerClass: str(),
  loadBalancerIP: str(),
  loadBalancerSourceRanges: list(str()),
  ports: list(servicePort, { mapKeys: ['port', 'protocol'] }),
  publishNotReadyAddresses: bool(),
  selector: mapOf(str()),
  sessionAffinity: enumOf('ClientIP', 'None'),
  sessionAffinityConfig: obj({ clientIP: obj({ timeoutSeconds: int({ minimum: 1, maximum: 86400 }) }) }),
  trafficDistribution: enumOf('PreferClose', 'PreferSameZone', 'PreferSameNode'),
  type: enumOf('ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'),
});

// Service names are RFC 1035 labels (start with a letter). Carried as a pattern until the registry
// knows the `dns1035-label` format; the field overrides the metadata `documentSchema` builds.
const serviceMetadata = extend(objectMeta('dns-label'), { name: matching(DNS1035_LABEL, 63) });

/** `v1` Service (namespaced, RFC 1035 label name). */
export const serviceV1: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'Service',
  namespaced: true,
  nameFormat: 'dns-label',
  fields: { metadata: serviceMetadata, spec: serviceSpec },
};
