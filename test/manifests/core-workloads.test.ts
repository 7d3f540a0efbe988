/**
 * pacific's own schemas for the core workload kinds (Pod, Service, PersistentVolumeClaim, LimitRange,
 * ConfigMap, Secret, Deployment), checked through the real loader on a registry built in memory:
 * realistic manifests pass, typical mistakes are named at their line, and every corpus document of
 * these kinds is accepted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnySchemaObject } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { coreWorkloadKinds } from '../../daemon/manifests/definitions/core-workloads/index.js';
import { documentSchema } from '../../daemon/manifests/definitions/dsl/kind.js';
import { loadManifestFile } from '../../daemon/manifests/load.js';
import { parseManifestFile } from '../../daemon/manifests/parse.js';
import { SchemaRegistry } from '../../daemon/manifests/schema-registry.js';
import { formatDiagnostic, splitApiVersion, type Diagnostic } from '../../daemon/manifests/types.js';
import { validateDocument } from '../../daemon/manifests/validate.js';
import { conformanceDir, conformanceSamples, errorsOf, hasConformance } from '../support/conformance.js';

type Node = Record<string, unknown>;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: team-a
  labels: { app: web }
spec:
  replicas: 3
  selector:
    matchLabels: { app: web }
  strategy:
    type: RollingUpdate
    rollingUpdate: { maxSurge: 25%, maxUnavailable: 1 }
  minReadySeconds: 5
  revisionHistoryLimit: 4
  progressDeadlineSeconds: 600
  paused: false
  template:
    metadata:
      labels: { app: web }
      annotations: { prometheus.io/scrape: "true" }
    spec:
      serviceAccountName: web
      securityContext: { runAsNonRoot: true, runAsUser: 1000, fsGroup: 2000, seccompProfile: { type: RuntimeDefault } }
      initContainers:
        - name: migrate
          image: registry.example.com/web:1.4.2
          command: [/app/migrate, --wait]
          envFrom: [{ configMapRef: { name: web-config } }]
      containers:
        - name: web
          image: registry.example.com/web:1.4.2
          imagePullPolicy: IfNotPresent
          args: [--port=8080]
          ports:
            - { name: http, containerPort: 8080 }
            - { name: metrics, containerPort: 9090, protocol: TCP }
          env:
            - { name: LOG_LEVEL, value: info }
            - name: DB_PASSWORD
              valueFrom: { secretKeyRef: { name: web-db, key: password } }
            - name: POD_IP
              valueFrom: { fieldRef: { fieldPath: status.podIP } }
            - name: MEMORY_LIMIT
              valueFrom: { resourceFieldRef: { resource: limits.memory, divisor: 1Mi } }
          resources:
            requests: { cpu: 250m, memory: 256Mi }
            limits: { cpu: 1, memory: 1Gi }
          livenessProbe:
            httpGet: { path: /healthz, port: http, scheme: HTTP, httpHeaders: [{ name: X-Probe, value: liveness }] }
            initialDelaySeconds: 10
            periodSeconds: 10
            failureThreshold: 3
          readinessProbe:
            tcpSocket: { port: 8080 }
            timeoutSeconds: 2
          startupProbe:
            exec: { command: [cat, /tmp/ready] }
            failureThreshold: 30
          lifecycle:
            preStop: { sleep: { seconds: 5 } }
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL] }
          volumeMounts:
            - { name: data, mountPath: /var/lib/web }
            - { name: config, mountPath: /etc/web, readOnly: true }
            - { name: cache, mountPath: /tmp }
            - { name: logs, mountPath: /var/log/pods, readOnly: true }
        - name: grpc-sidecar
          image: registry.example.com/sidecar:2
          readinessProbe:
            grpc: { port: 9000 }
      volumes:
        - name: data
          persistentVolumeClaim: { claimName: web-data }
        - name: config
          projected:
            defaultMode: 0o440
            sources:
              - configMap: { name: web-config, items: [{ key: app.yaml, path: app.yaml }] }
              - secret: { name: web-tls }
              - downwardAPI: { items: [{ path: labels, fieldRef: { fieldPath: metadata.labels } }] }
              - serviceAccountToken: { path: token, expirationSeconds: 3600, audience: vault }
        - name: cache
          emptyDir: { medium: Memory, sizeLimit: 128Mi }
        - name: logs
          hostPath: { path: /var/log/pods, type: Directory }
        - name: scratch
          ephemeral:
            volumeClaimTemplate:
              metadata: { labels: { app: web } }
              spec:
                accessModes: [ReadWriteOnce]
                storageClassName: vsan-default-storage-policy
                resources: { requests: { storage: 1Gi } }
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
              - matchExpressions: [{ key: kubernetes.io/os, operator: In, values: [linux] }]
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm:
                topologyKey: kubernetes.io/hostname
                labelSelector: { matchLabels: { app: web } }
      tolerations:
        - { key: node.vmware.com/drain, operator: Exists, effect: NoSchedule }
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector: { matchLabels: { app: web } }
      terminationGracePeriodSeconds: 30
`;

const VALID_MANIFESTS: Record<string, string> = {
  'deployment with probes, resources, volumes and affinity': DEPLOYMENT,
  'LoadBalancer Service': `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: team-a
spec:
  type: LoadBalancer
  selector: { app: web }
  ports:
    - { name: http, port: 80, targetPort: http }
    - { name: https, port: 443, targetPort: 8443, protocol: TCP }
    - { name: dns, port: 53, protocol: UDP }
    - { name: dns-tcp, port: 53, protocol: TCP }
  loadBalancerIP: 10.0.0.10
  loadBalancerSourceRanges: [10.0.0.0/8]
  externalTrafficPolicy: Local
  sessionAffinity: ClientIP
  sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } }
  ipFamilyPolicy: SingleStack
  ipFamilies: [IPv4]
`,
  'ExternalName Service': `apiVersion: v1
kind: Service
metadata: { name: upstream-db, namespace: team-a }
spec: { type: ExternalName, externalName: db.example.com }
`,
  'PersistentVolumeClaim from a snapshot': `apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: web-data, namespace: team-a }
spec:
  accessModes: [ReadWriteOnce]
  volumeMode: Filesystem
  storageClassName: vsan-default-storage-policy
  resources: { requests: { storage: 20Gi }, limits: { storage: 40Gi } }
  dataSource: { apiGroup: snapshot.storage.k8s.io, kind: VolumeSnapshot, name: web-data-snap }
  dataSourceRef: { apiGroup: snapshot.storage.k8s.io, kind: VolumeSnapshot, name: web-data-snap }
  selector: { matchExpressions: [{ key: tier, operator: In, values: [gold] }] }
`,
  'LimitRange for containers, pods and claims': `apiVersion: v1
kind: LimitRange
metadata: { name: defaults, namespace: team-a }
spec:
  limits:
    - type: Container
      default: { cpu: 500m, memory: 512Mi }
      defaultRequest: { cpu: 100m, memory: 128Mi }
      max: { cpu: "4", memory: 8Gi }
      min: { cpu: 10m, memory: 16Mi }
      maxLimitRequestRatio: { cpu: 10 }
    - type: Pod
      max: { cpu: 8, memory: 16Gi }
    - type: PersistentVolumeClaim
      min: { storage: 1Gi }
      max: { storage: 100Gi }
`,
  'Secret with stringData and data': `apiVersion: v1
kind: Secret
metadata: { name: web-db, namespace: team-a }
type: Opaque
immutable: true
stringData:
  username: web
  config.yaml: |
    password: s3cr3t!
data:
  password: czNjcjN0IQ==
  empty: ""
  wrapped: |
    aGVsbG8gd29ybGQsIHRoaXMgaXMgYSBsb25nIHZhbHVl
    IHdyYXBwZWQgYnkgYmFzZTY0IC13IDc2
`,
  'TLS Secret': `apiVersion: v1
kind: Secret
metadata: { name: web-tls, namespace: team-a }
type: kubernetes.io/tls
data: { tls.crt: LS0tLS1CRUdJTg==, tls.key: LS0tLS1CRUdJTiBL }
`,
  'ConfigMap with data and binaryData': `apiVersion: v1
kind: ConfigMap
metadata: { name: web-config, namespace: team-a }
data:
  app.yaml: |
    listen: :8080
  LOG_LEVEL: info
binaryData:
  logo.png: iVBORw0KGgo=
`,
  'Pod with hostPath, hostNetwork and NodePort-style ports (refused or ignored at admission, not here)': `apiVersion: v1
kind: Pod
metadata: { name: debug, namespace: team-a }
spec:
  hostNetwork: true
  restartPolicy: Never
  containers:
    - name: shell
      image: busybox:1.36
      command: [sh, -c, sleep 3600]
      ports: [{ containerPort: 8080, hostPort: 8080 }]
      volumeMounts: [{ name: host, mountPath: /host }]
  volumes:
    - name: host
      hostPath: { path: /etc }
`,
};

interface Mistake {
  readonly name: string;
  readonly text: string;
  /** Text on the line the diagnostic must point at; the column is at its `^`, or its start. */
  readonly at: string;
  readonly occurrence?: number;
  readonly path: string;
  readonly code: Diagnostic['code'];
  readonly message: string;
}

const MISTAKES: readonly Mistake[] = [
  {
    name: 'an imagePullPolicy that does not exist',
    text: DEPLOYMENT.replace('imagePullPolicy: IfNotPresent', 'imagePullPolicy: Sometimes'),
    at: 'imagePullPolicy: Sometimes',
    path: 'spec.template.spec.containers[0].imagePullPolicy',
    code: 'SchemaViolation',
    message: 'must be one of "Always", "Never", "IfNotPresent"; got string "Sometimes"',
  },
  {
    name: 'a memory limit that is not a quantity',
    text: DEPLOYMENT.replace('limits: { cpu: 1, memory: 1Gi }', 'limits: { cpu: 1, memory: lots }'),
    at: 'memory: lots',
    path: 'spec.template.spec.containers[0].resources.limits.memory',
    code: 'SchemaViolation',
    message: 'must be a Kubernetes quantity',
  },
  {
    name: 'port: instead of ports: in a container',
    text: DEPLOYMENT.replace('          ports:\n            - { name: http', '          port:\n            - { name: http'),
    at: 'port:',
    path: 'spec.template.spec.containers[0].port',
    code: 'UnknownField',
    message: 'unknown field "port"',
  },
  {
    name: 'a Deployment without a selector',
    text: DEPLOYMENT.replace('  selector:\n    matchLabels: { app: web }\n', ''),
    at: 'spec:',
    path: 'spec.selector',
    code: 'RequiredField',
    message: 'required field is missing',
  },
  {
    name: 'two containers with the same name',
    text: DEPLOYMENT.replace('- name: grpc-sidecar', '- name: web'),
    at: '- ^name: web',
    occurrence: 2,
    path: 'spec.template.spec.containers[1]',
    code: 'SchemaViolation',
    message: 'duplicate entry with name="web" (first at [0])',
  },
  {
    name: 'two Service ports with the same port and protocol',
    text: VALID_MANIFESTS['LoadBalancer Service']!.replace('{ name: https, port: 443, targetPort: 8443, protocol: TCP }', '{ name: https, port: 80, targetPort: 8443 }'),
    at: '{ name: https',
    path: 'spec.ports[1]',
    code: 'SchemaViolation',
    message: 'duplicate entry with port=80',
  },
  {
    name: 'a Service name that starts with a digit (RFC 1035)',
    text: VALID_MANIFESTS['LoadBalancer Service']!.replace('name: web\n', 'name: 1web\n'),
    at: 'name: 1web',
    path: 'metadata.name',
    code: 'SchemaViolation',
    message: 'must match pattern',
  },
  {
    name: 'a Service type in the wrong case',
    text: VALID_MANIFESTS['LoadBalancer Service']!.replace('type: LoadBalancer', 'type: Loadbalancer'),
    at: 'type: Loadbalancer',
    path: 'spec.type',
    code: 'SchemaViolation',
    message: '"ClusterIP", "NodePort", "LoadBalancer", "ExternalName"',
  },
  {
    name: 'a claim without a storage request',
    text: VALID_MANIFESTS['PersistentVolumeClaim from a snapshot']!.replace('requests: { storage: 20Gi }, ', ''),
    at: 'resources:',
    path: 'spec.resources.requests',
    code: 'RequiredField',
    message: 'required field is missing',
  },
  {
    name: 'Secret data that is not base64',
    text: VALID_MANIFESTS['Secret with stringData and data']!.replace('password: czNjcjN0IQ==', 'password: s3cr3t!'),
    at: 'password: s3cr3t!',
    occurrence: 2,
    path: 'data.password',
    code: 'SchemaViolation',
    message: 'must match pattern',
  },
  {
    name: 'a Deployment template that does not restart its pods',
    text: DEPLOYMENT.replace('      terminationGracePeriodSeconds: 30', '      restartPolicy: Never'),
    at: 'restartPolicy: Never',
    path: 'spec.template.spec.restartPolicy',
    code: 'SchemaViolation',
    message: 'must be one of "Always"',
  },
  {
    name: 'a maxSurge that is neither a count nor a percentage',
    text: DEPLOYMENT.replace('maxSurge: 25%', 'maxSurge: "25"'),
    at: 'maxSurge: "25"',
    path: 'spec.strategy.rollingUpdate.maxSurge',
    code: 'SchemaViolation',
    message: 'must match pattern',
  },
  {
    name: 'a Pod container without an image',
    text: VALID_MANIFESTS['Pod with hostPath, hostNetwork and NodePort-style ports (refused or ignored at admission, not here)']!.replace(
      '      image: busybox:1.36\n',
      '',
    ),
    at: 'name: shell',
    path: 'spec.containers[0].image',
    code: 'RequiredField',
    message: 'required field is missing',
  },
  {
    name: 'two LimitRange items of one type',
    text: VALID_MANIFESTS['LimitRange for containers, pods and claims']!.replace('type: Pod', 'type: Container'),
    at: 'type: Container',
    occurrence: 2,
    path: 'spec.limits[1]',
    code: 'SchemaViolation',
    message: 'duplicate entry with type="Container"',
  },
  {
    name: 'ephemeral containers in a pod template (the API server adds them through a subresource only)',
    text: DEPLOYMENT.replace('      terminationGracePeriodSeconds: 30', '      ephemeralContainers: [{ name: debug, image: busybox }]'),
    at: 'ephemeralContainers',
    path: 'spec.template.spec.ephemeralContainers',
    code: 'SchemaViolation',
    message: 'must NOT have more than 0 items',
  },
  {
    name: 'a probe port name longer than an IANA service name',
    text: DEPLOYMENT.replace('port: http, scheme', 'port: http-with-a-long-name, scheme'),
    at: 'port: http-with-a-long-name',
    path: 'spec.template.spec.containers[0].livenessProbe.httpGet.port',
    code: 'SchemaViolation',
    message: 'must match pattern',
  },
];

const schemas = coreWorkloadKinds.map((def) => documentSchema(def) as AnySchemaObject);
const registry = SchemaRegistry.fromSchemas(schemas);
const load = (file: string, text: string) => loadManifestFile(file, new TextEncoder().encode(text), registry);

/**
 * 1-based line and column of the `occurrence`-th line containing `needle`; the column is at `^` in
 * the needle when it has one (`'- ^name: web'`), else at the needle's start.
 */
function position(text: string, needle: string, occurrence = 1): { line: number; column: number } {
  const caret = Math.max(needle.indexOf('^'), 0);
  const plain = needle.replace('^', '');
  let seen = 0;
  for (const [i, line] of text.split('\n').entries()) {
    const column = line.indexOf(plain);
    if (column >= 0 && ++seen === occurrence) return { line: i + 1, column: column + caret + 1 };
  }
  throw new Error(`"${needle}" (occurrence ${occurrence}) not in the manifest`);
}

/** The schema node at a dotted path (`spec.containers[]`: array items), for structural checks. */
function nodeAt(schema: Node, path: string): Node {
  let node = schema;
  for (const part of path.split('.')) {
    const name = part.replace(/\[\]$/, '');
    node = (node['properties'] as Record<string, Node>)[name]!;
    expect(node, `${path}: ${name}`).toBeDefined();
    if (part.endsWith('[]')) node = node['items'] as Node;
  }
  return node;
}

function kindSchema(kind: string): Node {
  return schemas.find((s) => (s['x-pacific-kind'] as { kind: string }).kind === kind) as Node;
}

describe('core workload schemas: valid manifests', () => {
  it('defines the seven kinds, each compiling under the registry', () => {
    expect(registry.servedKinds().map((k) => `${k.group || 'core'}/${k.version}/${k.kind}`).sort()).toEqual([
      'apps/v1/Deployment',
      'core/v1/ConfigMap',
      'core/v1/LimitRange',
      'core/v1/PersistentVolumeClaim',
      'core/v1/Pod',
      'core/v1/Secret',
      'core/v1/Service',
    ]);
    for (const k of registry.servedKinds()) expect(registry.validator(k.group, k.version, k.kind)).toBeTypeOf('function');
  });

  it.each(Object.entries(VALID_MANIFESTS))('accepts %s', (name, text) => {
    const result = load(`${name}.yaml`, text);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(result.objects).toHaveLength(1);
  });

  it('keeps the Deployment\'s identity and body as written', () => {
    const [deployment] = load('d.yaml', VALID_MANIFESTS['deployment with probes, resources, volumes and affinity']!).objects;
    expect(deployment).toMatchObject({ key: 'apps/Deployment/team-a/web', apiVersion: 'apps/v1', namespace: 'team-a' });
    const spec = deployment!.body['spec'] as { template: { spec: { containers: { resources: unknown }[] } } };
    expect(spec.template.spec.containers[0]!.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: 1, memory: '1Gi' } });
  });

  it('normalizes quantities of these kinds for the planner (4096Mi == 4Gi)', () => {
    const a = registry.normalizeSpec('v1', 'PersistentVolumeClaim', { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '4096Mi' } } });
    const b = registry.normalizeSpec('v1', 'PersistentVolumeClaim', { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '4Gi' } } });
    expect(a).toEqual(b);
  });
});

describe('core workload schemas: typical mistakes, named at their line', () => {
  it.each(MISTAKES)('$name', (m) => {
    const errors = errorsOf(load('m.yaml', m.text).diagnostics);
    const at = position(m.text, m.at, m.occurrence);
    const hit = errors.find((d) => d.path === m.path);
    expect(hit, errors.map(formatDiagnostic).join('\n') || 'accepted').toBeDefined();
    expect(hit).toMatchObject({ code: m.code, file: 'm.yaml', line: at.line, column: at.column });
    expect(hit!.message).toContain(m.message);
  });
});

describe('core workload schemas: structure', () => {
  it.each([
    ['Pod', 'spec.containers', ['name']],
    ['Pod', 'spec.initContainers', ['name']],
    ['Pod', 'spec.ephemeralContainers', ['name']],
    ['Pod', 'spec.containers[].ports', ['containerPort', 'protocol']],
    ['Pod', 'spec.containers[].env', ['name']],
    ['Pod', 'spec.containers[].volumeMounts', ['mountPath']],
    ['Pod', 'spec.containers[].volumeDevices', ['devicePath']],
    ['Pod', 'spec.containers[].securityContext.ulimits', ['name']],
    ['Pod', 'spec.volumes', ['name']],
    ['Pod', 'spec.imagePullSecrets', ['name']],
    ['Pod', 'spec.hostAliases', ['ip']],
    ['Pod', 'spec.resourceClaims', ['name']],
    ['Pod', 'spec.schedulingGates', ['name']],
    ['Pod', 'spec.topologySpreadConstraints', ['topologyKey', 'whenUnsatisfiable']],
    ['Deployment', 'spec.template.spec.containers', ['name']],
    ['Deployment', 'spec.template.spec.volumes', ['name']],
    ['Service', 'spec.ports', ['port', 'protocol']],
    ['LimitRange', 'spec.limits', ['type']],
  ])('%s %s is a list map keyed by %j', (kind, path, keys) => {
    const node = nodeAt(kindSchema(kind), path);
    expect(node['x-kubernetes-list-type']).toBe('map');
    expect(node['x-kubernetes-list-map-keys']).toEqual(keys);
  });

  it('closes every object that declares fields (unknown fields are errors, as with --validate=strict)', () => {
    const open: string[] = [];
    const walk = (node: Node, path: string) => {
      const additional = node['additionalProperties'];
      if (node['properties'] && (additional === undefined || additional === true)) open.push(path);
      for (const [name, child] of Object.entries((node['properties'] ?? {}) as Record<string, Node>)) walk(child, `${path}.${name}`);
      if (node['items']) walk(node['items'] as Node, `${path}[]`);
      if (node['additionalProperties'] && typeof node['additionalProperties'] === 'object') walk(node['additionalProperties'] as Node, `${path}{}`);
    };
    for (const schema of schemas) walk(schema as Node, (schema['x-pacific-kind'] as { kind: string }).kind);
    expect(open).toEqual([]);
  });

  it('covers every volume source of the v1 API, hostPath included', () => {
    const sources = Object.keys((nodeAt(kindSchema('Pod'), 'spec.volumes[]')['properties'] as Node) ?? {}).filter((f) => f !== 'name');
    expect(sources.sort()).toEqual(
      [
        'awsElasticBlockStore', 'azureDisk', 'azureFile', 'cephfs', 'cinder', 'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'fc',
        'flexVolume', 'flocker', 'gcePersistentDisk', 'gitRepo', 'glusterfs', 'hostPath', 'image', 'iscsi', 'nfs', 'persistentVolumeClaim',
        'photonPersistentDisk', 'portworxVolume', 'projected', 'quobyte', 'rbd', 'scaleIO', 'secret', 'storageos', 'vsphereVolume',
      ].sort(),
    );
  });

  it('names Services by RFC 1035 label and the other kinds by DNS subdomain', () => {
    const name = (kind: string) => nodeAt(kindSchema(kind), 'metadata.name');
    expect(name('Service')).toMatchObject({ pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 });
    for (const kind of ['Pod', 'Deployment', 'ConfigMap', 'Secret', 'PersistentVolumeClaim', 'LimitRange']) {
      expect(name(kind)).toMatchObject({ format: 'dns1123-subdomain', maxLength: 253 });
    }
  });
});

const CORE_KINDS = new Set(coreWorkloadKinds.map((k) => `${k.group}/${k.version}/${k.kind}`));

interface CorpusVerdict {
  readonly where: string;
  readonly kind: string;
  readonly errors: readonly Diagnostic[];
}

describe.skipIf(!hasConformance)('core workload schemas: corpus samples of these kinds', () => {
  const verdicts: CorpusVerdict[] = [];

  beforeAll(() => {
    const samples = readdirSync(join(conformanceDir, 'samples')).flatMap((sub) => conformanceSamples(sub));
    for (const sample of samples) {
      const { documents } = parseManifestFile(sample, readFileSync(join(conformanceDir, 'samples', sample), 'utf8'));
      for (const doc of documents) {
        const value = (doc.value ?? {}) as Record<string, unknown>;
        const { group, version } = splitApiVersion(String(value['apiVersion'] ?? ''));
        const kind = String(value['kind'] ?? '');
        if (!CORE_KINDS.has(`${group}/${version}/${kind}`)) continue;
        verdicts.push({ where: `${sample}:${doc.line}`, kind, errors: errorsOf(validateDocument(doc, registry).diagnostics) });
      }
    }
    const perKind = [...new Set(coreWorkloadKinds.map((k) => k.kind))].map((k) => `${k} ${verdicts.filter((v) => v.kind === k).length}`);
    const rejected = verdicts.filter((v) => v.errors.length).length;
    console.log(
      `[pacific] core workload kinds in the corpus: ${verdicts.length} documents checked (${perKind.join(', ')}), ` +
        `${verdicts.length - rejected} accepted, ${rejected} rejected`,
    );
  });

  it('finds core-kind documents to check', () => {
    expect(verdicts.length).toBeGreaterThan(0);
  });

  it('accepts every one of them', () => {
    expect(verdicts.filter((v) => v.errors.length).map((v) => `${v.where}\n  ${v.errors.map(formatDiagnostic).join('\n  ')}`)).toEqual([]);
  });
});
