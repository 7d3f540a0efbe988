/**
 * KubeadmConfigSpec at v1beta2. Compared with v1beta1: extra arguments become `{name, value}`
 * lists, durations become `...Seconds` integers (`timeouts`, `ttlSeconds`), kubeadm's own
 * apiVersion/kind/clusterName/kubernetesVersion/networking go (Cluster API sets them), and most
 * objects and lists may no longer be empty.
 */
import { bool, enumOf, int, list, mapOf, obj, str, time, type Schema } from '../dsl/builders.js';
import { filled, oneToMany, req, text, upTo } from './dsl-extra.js';
import {
  bootstrapFile,
  bootstrapFilesystem,
  bootstrapUser,
  diskLayoutEntry,
  execEnv,
  hostPathMount,
  kubeConfigAuthProvider,
  kubeConfigClusterFields,
} from './kubeadm-v1beta1.js';
import { coreTaint, envVar } from './kubernetes-core.js';

/** `[{name, value}]` arguments, keyed by name+value, with names unique (CEL). */
function args(field: string): Schema {
  return list(req(['name', 'value'], { name: text(256), value: str({ minLength: 0, maxLength: 1024 }) }), {
    minItems: 1,
    maxItems: 100,
    mapKeys: ['name', 'value'],
    cel: [{ rule: 'self.all(x, self.exists_one(y, x.name == y.name))', message: `${field} name must be unique` }],
  });
}

const control = (extra: Record<string, Schema> = {}): Schema =>
  filled({ extraArgs: args('extraArgs'), extraEnvs: oneToMany(100, envVar), extraVolumes: oneToMany(100, hostPathMount), ...extra });

const sans = oneToMany(100, text(253));

const clusterConfiguration = filled({
  apiServer: control({ certSANs: sans }),
  caCertificateValidityPeriodDays: int({ minimum: 1, maximum: 36500 }),
  certificateValidityPeriodDays: int({ minimum: 1, maximum: 1095 }),
  certificatesDir: text(512),
  controlPlaneEndpoint: text(512),
  controllerManager: control(),
  dns: filled({ imageRepository: text(512), imageTag: text(256) }),
  encryptionAlgorithm: enumOf('ECDSA-P256', 'ECDSA-P384', 'RSA-2048', 'RSA-3072', 'RSA-4096'),
  etcd: filled({
    external: req(['caFile', 'certFile', 'endpoints', 'keyFile'], {
      caFile: text(512),
      certFile: text(512),
      endpoints: oneToMany(50, text(512)),
      keyFile: text(512),
    }),
    local: filled({
      dataDir: text(512),
      extraArgs: args('extraArgs'),
      extraEnvs: oneToMany(100, envVar),
      imageRepository: text(512),
      imageTag: text(256),
      peerCertSANs: sans,
      serverCertSANs: sans,
    }),
  }),
  featureGates: mapOf(bool()),
  imageRepository: text(512),
  scheduler: control(),
});

const nodeRegistration = filled({
  criSocket: text(512),
  ignorePreflightErrors: oneToMany(50, text(512)),
  imagePullPolicy: enumOf('Always', 'IfNotPresent', 'Never'),
  imagePullSerial: bool(),
  kubeletExtraArgs: args('kubeletExtraArgs'),
  name: text(253),
  taints: list(coreTaint, { minItems: 0, maxItems: 100 }),
});

const seconds = () => int({ minimum: 0 });
const timeouts = filled({
  controlPlaneComponentHealthCheckSeconds: seconds(),
  discoverySeconds: seconds(),
  etcdAPICallSeconds: seconds(),
  kubeletHealthCheckSeconds: seconds(),
  kubernetesAPICallSeconds: seconds(),
  tlsBootstrapSeconds: seconds(),
});
const apiEndpoint = filled({ advertiseAddress: text(39), bindPort: int({ minimum: 1 }) });
const patches = filled({ directory: text(512) });
const skipPhases = oneToMany(50, text(256));

const initConfiguration = filled({
  bootstrapTokens: oneToMany(
    100,
    req(['token'], {
      description: text(512),
      expires: time(),
      groups: oneToMany(100, text(256)),
      token: text(23),
      ttlSeconds: seconds(),
      usages: oneToMany(100, text(256)),
    }),
  ),
  localAPIEndpoint: apiEndpoint,
  nodeRegistration,
  patches,
  skipPhases,
  timeouts,
});

const joinConfiguration = filled({
  caCertPath: text(512),
  controlPlane: obj({ localAPIEndpoint: apiEndpoint }),
  discovery: filled({
    bootstrapToken: filled({
      apiServerEndpoint: text(512),
      caCertHashes: oneToMany(100, text(512)),
      token: text(512),
      unsafeSkipCAVerification: bool(),
    }),
    file: req(['kubeConfigPath'], {
      kubeConfig: req(['user'], {
        cluster: filled(kubeConfigClusterFields),
        user: filled({
          authProvider: kubeConfigAuthProvider,
          exec: req(['command'], {
            apiVersion: text(512),
            args: oneToMany(100, text(512)),
            command: text(1024),
            env: oneToMany(100, execEnv),
            provideClusterInfo: bool(),
          }),
        }),
      }),
      kubeConfigPath: text(512),
    }),
    tlsBootstrapToken: text(512),
  }),
  nodeRegistration,
  patches,
  skipPhases,
  timeouts,
});

const commands = oneToMany(1000, text(10240));

/** KubeadmConfigSpec at v1beta2. */
export const kubeadmConfigSpecV1beta2 = filled({
  bootCommands: commands,
  clusterConfiguration,
  diskSetup: filled({
    filesystems: upTo(100, bootstrapFilesystem(upTo(100, text(256)))),
    partitions: upTo(
      100,
      req(
        ['device'],
        {
          device: text(256),
          diskLayout: list(diskLayoutEntry, { minItems: 1, maxItems: 100 }),
          layout: bool(),
          overwrite: bool(),
          tableType: enumOf('mbr', 'gpt'),
        },
        {
          cel: [
            {
              rule: '[has(self.layout),has(self.diskLayout)].filter(x,x==true).size() == 1',
              message: 'exactly one of the fields in [layout diskLayout] must be set',
            },
          ],
        },
      ),
    ),
  }),
  files: oneToMany(200, bootstrapFile),
  format: enumOf('cloud-config', 'ignition'),
  ignition: filled({ containerLinuxConfig: filled({ additionalConfig: text(32768), strict: bool() }) }),
  initConfiguration,
  joinConfiguration,
  mounts: oneToMany(100, oneToMany(100, text(512))),
  ntp: filled({ enabled: bool(), servers: upTo(100, text(512)) }),
  postKubeadmCommands: commands,
  preKubeadmCommands: commands,
  users: oneToMany(100, bootstrapUser(upTo(100, text(2048)))),
  verbosity: int(),
});
