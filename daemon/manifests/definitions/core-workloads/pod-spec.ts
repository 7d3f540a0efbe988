/**
 * `PodSpec` and `PodTemplateSpec`, field for field as the `v1` API defines them. On the Supervisor
 * each pod runs as a vSphere Pod (one pod VM); which features it honours is admission's business.
 */
import { bool, enumOf, int, list, mapOf, obj, str, type Schema } from '../dsl/builders.js';
import { affinity } from './affinity.js';
import { resourceList, templateMetadata } from './common.js';
import { container, ephemeralContainer } from './container.js';
import { requiring } from './dsl-extra.js';
import { resourceRequirements } from './resources.js';
import { toleration, topologySpreadConstraint } from './scheduling.js';
import { podSecurityContext } from './security-context.js';
import { volume } from './volumes.js';

const dnsConfig = obj({
  nameservers: list(str()),
  options: list(obj({ name: str(), value: str() })),
  searches: list(str()),
});

const hostAlias = obj({ hostnames: list(str()), ip: str() }, { required: ['ip'] });

const podResourceClaim = obj({ name: str(), resourceClaimName: str(), resourceClaimTemplateName: str() }, { required: ['name'] });

const workloadReference = obj({ name: str(), podGroup: str(), podGroupReplicaKey: str() }, { required: ['name', 'podGroup'] });

/**
 * A PodSpec whose containers and init containers follow `containerSchema`. At least one container;
 * `ephemeralContainers` has its full schema but must stay empty, because the API server refuses
 * them on create and in templates (they are added through a subresource only).
 */
function podSpecOf(containerSchema: Schema): Schema {
  return obj(
    {
      activeDeadlineSeconds: int({ minimum: 1 }),
      affinity,
      automountServiceAccountToken: bool(),
      containers: list(containerSchema, { mapKeys: ['name'], minItems: 1 }),
      dnsConfig,
      dnsPolicy: enumOf('ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'),
      enableServiceLinks: bool(),
      ephemeralContainers: list(ephemeralContainer, { mapKeys: ['name'], maxItems: 0 }),
      hostAliases: list(hostAlias, { mapKeys: ['ip'] }),
      hostIPC: bool(),
      hostNetwork: bool(),
      hostPID: bool(),
      hostUsers: bool(),
      hostname: str(),
      hostnameOverride: str({ maxLength: 64 }),
      imagePullSecrets: list(obj({ name: str() }), { mapKeys: ['name'] }),
      initContainers: list(containerSchema, { mapKeys: ['name'] }),
      nodeName: str(),
      nodeSelector: mapOf(str()),
      os: obj({ name: enumOf('linux', 'windows') }, { required: ['name'] }),
      overhead: resourceList,
      preemptionPolicy: enumOf('Never', 'PreemptLowerPriority'),
      priority: int(),
      priorityClassName: str(),
      readinessGates: list(obj({ conditionType: str() }, { required: ['conditionType'] })),
      resourceClaims: list(podResourceClaim, { mapKeys: ['name'] }),
      resources: resourceRequirements,
      restartPolicy: enumOf('Always', 'OnFailure', 'Never'),
      runtimeClassName: str(),
      schedulerName: str(),
      schedulingGates: list(obj({ name: str() }, { required: ['name'] }), { mapKeys: ['name'] }),
      securityContext: podSecurityContext,
      serviceAccount: str(),
      serviceAccountName: str(),
      setHostnameAsFQDN: bool(),
      shareProcessNamespace: bool(),
      subdomain: str(),
      terminationGracePeriodSeconds: int({ minimum: 0 }),
      tolerations: list(toleration),
      topologySpreadConstraints: list(topologySpreadConstraint, { mapKeys: ['topologyKey', 'whenUnsatisfiable'] }),
      volumes: list(volume, { mapKeys: ['name'] }),
      workloadRef: workloadReference,
    },
    { required: ['containers'] },
  );
}

/** The PodSpec of a pod template: container images may be left for tooling to fill in. */
export const podSpec = podSpecOf(container);

/** The PodSpec of a bare Pod: as the API server checks on create, every container names an image. */
export const podSpecForPod = podSpecOf(requiring(container, 'image'));

/**
 * `PodTemplateSpec` (Deployment `spec.template`): metadata without a required name, and a PodSpec,
 * required because a template without containers is refused by the API server.
 */
export const podTemplateSpec = obj({ metadata: templateMetadata, spec: podSpec }, { required: ['spec'] });
