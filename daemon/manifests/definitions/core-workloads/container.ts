/** One container of a pod: image, command, ports, environment, mounts, probes, resources and security. */
import { bool, enumOf, extend, int, list, obj, str } from '../dsl/builders.js';
import { IANA_SVC_NAME, matching, portNumber } from './dsl-extra.js';
import { envFromSource, envVar } from './env.js';
import { lifecycle, probe } from './probes.js';
import { containerResizePolicy, resourceRequirements } from './resources.js';
import { securityContext } from './security-context.js';

/**
 * TCP, UDP or SCTP: the protocols of container and Service ports. The API server defaults it to TCP
 * before keying port lists by it; the `default` records that for whoever pairs list items by key.
 */
export const protocol = () => ({ ...enumOf('TCP', 'UDP', 'SCTP'), default: 'TCP' });

const containerPort = obj(
  { containerPort: portNumber(), hostIP: str(), hostPort: portNumber(), name: matching(IANA_SVC_NAME), protocol: protocol() },
  { required: ['containerPort'] },
);

const volumeMount = obj(
  {
    mountPath: str({ minLength: 1 }),
    mountPropagation: enumOf('None', 'HostToContainer', 'Bidirectional'),
    name: str(),
    readOnly: bool(),
    recursiveReadOnly: enumOf('Disabled', 'IfPossible', 'Enabled'),
    subPath: str(),
    subPathExpr: str(),
  },
  { required: ['name', 'mountPath'] },
);

const volumeDevice = obj({ devicePath: str(), name: str() }, { required: ['name', 'devicePath'] });

const restartRule = obj(
  {
    action: enumOf('Restart'),
    exitCodes: obj({ operator: enumOf('In', 'NotIn'), values: list(int(), { set: true, maxItems: 255 }) }, { required: ['operator'] }),
  },
  { required: ['action'] },
);

/** `Container`: lists keyed as the API server merges them (env by name, ports by port+protocol, mounts by path). */
export const container = obj(
  {
    args: list(str()),
    command: list(str()),
    env: list(envVar, { mapKeys: ['name'] }),
    envFrom: list(envFromSource),
    image: str(),
    imagePullPolicy: enumOf('Always', 'Never', 'IfNotPresent'),
    lifecycle,
    livenessProbe: probe,
    name: str({ format: 'dns1123-label', maxLength: 63 }),
    ports: list(containerPort, { mapKeys: ['containerPort', 'protocol'] }),
    readinessProbe: probe,
    resizePolicy: list(containerResizePolicy),
    resources: resourceRequirements,
    restartPolicy: enumOf('Always', 'OnFailure', 'Never'),
    restartPolicyRules: list(restartRule, { maxItems: 20 }),
    securityContext,
    startupProbe: probe,
    stdin: bool(),
    stdinOnce: bool(),
    terminationMessagePath: str(),
    terminationMessagePolicy: enumOf('File', 'FallbackToLogsOnError'),
    tty: bool(),
    volumeDevices: list(volumeDevice, { mapKeys: ['devicePath'] }),
    volumeMounts: list(volumeMount, { mapKeys: ['mountPath'] }),
    workingDir: str(),
  },
  { required: ['name'] },
);

/**
 * `EphemeralContainer`: a container plus the container whose namespaces it joins. The API server
 * only adds these through the `ephemeralcontainers` subresource, never from a manifest.
 */
export const ephemeralContainer = extend(container, { targetContainerName: str() });
