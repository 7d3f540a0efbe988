/**
 * KubeadmConfigSpec at v1beta1: how kubeadm bootstraps a machine (cluster, init and join
 * configuration, files, users, disks, commands). KubeadmConfigTemplate, KubeadmControlPlane and
 * KubeadmControlPlaneTemplate embed the same spec, so it is defined once.
 */
import { bool, enumOf, int, list, mapOf, obj, str, time, type Schema } from '../dsl/builders.js';
import { celString, req, text, upTo } from './dsl-extra.js';
import { coreTaint, envVar } from './kubernetes-core.js';

/** A partition type cloud-init understands, or a GPT partition GUID. */
const PARTITION_TYPE_RULE = {
  rule: "self.matches('^(Linux|LinuxSwap|LinuxRAID|LVM|Fat32|NTFS|LinuxExtended|[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12})$')",
  message: 'partitionType must be one of Linux, LinuxSwap, LinuxRAID, LVM, Fat32, NTFS, LinuxExtended or a full GPT partition GUID',
};

/** A host path mounted into a static control-plane pod (same at v1beta1 and v1beta2). */
export const hostPathMount = req(['hostPath', 'mountPath', 'name'], {
  hostPath: text(512),
  mountPath: text(512),
  name: text(512),
  pathType: str(),
  readOnly: bool(),
});

const control = (extra: Record<string, Schema> = {}): Schema =>
  obj({ extraArgs: mapOf(str()), extraEnvs: upTo(100, envVar), extraVolumes: upTo(100, hostPathMount), ...extra });

const sans = upTo(100, text(253));

const clusterConfiguration = obj({
  apiServer: control({ certSANs: sans, timeoutForControlPlane: str() }),
  apiVersion: str(),
  caCertificateValidityPeriodDays: int({ minimum: 1, maximum: 36500 }),
  certificateValidityPeriodDays: int({ minimum: 1, maximum: 1095 }),
  certificatesDir: text(512),
  clusterName: text(63),
  controlPlaneEndpoint: text(512),
  controllerManager: control(),
  dns: obj({ imageRepository: text(512), imageTag: text(256) }),
  encryptionAlgorithm: enumOf('ECDSA-P256', 'ECDSA-P384', 'RSA-2048', 'RSA-3072', 'RSA-4096'),
  etcd: obj({
    external: req(['caFile', 'certFile', 'endpoints', 'keyFile'], {
      caFile: text(512),
      certFile: text(512),
      endpoints: upTo(50, text(512)),
      keyFile: text(512),
    }),
    local: obj({
      dataDir: text(512),
      extraArgs: mapOf(str()),
      extraEnvs: upTo(100, envVar),
      imageRepository: text(512),
      imageTag: text(256),
      peerCertSANs: sans,
      serverCertSANs: sans,
    }),
  }),
  featureGates: mapOf(bool()),
  imageRepository: text(512),
  kind: str(),
  kubernetesVersion: text(256),
  networking: obj({ dnsDomain: text(253), podSubnet: text(1024), serviceSubnet: text(1024) }),
  scheduler: control(),
});

const nodeRegistration = obj({
  criSocket: text(512),
  ignorePreflightErrors: upTo(50, text(512)),
  imagePullPolicy: enumOf('Always', 'IfNotPresent', 'Never'),
  imagePullSerial: bool(),
  kubeletExtraArgs: mapOf(str()),
  name: text(253),
  taints: upTo(100, coreTaint),
});

const apiEndpoint = obj({ advertiseAddress: text(39), bindPort: int() });
const patches = obj({ directory: text(512) });
const skipPhases = upTo(50, text(256));

const initConfiguration = obj({
  apiVersion: str(),
  bootstrapTokens: upTo(
    100,
    req(['token'], {
      description: text(512),
      expires: time(),
      groups: upTo(100, text(256)),
      token: str(),
      ttl: str(),
      usages: upTo(100, text(256)),
    }),
  ),
  kind: str(),
  localAPIEndpoint: apiEndpoint,
  nodeRegistration,
  patches,
  skipPhases,
});

/** A kubeconfig auth provider (same at v1beta1 and v1beta2). */
export const kubeConfigAuthProvider = req(['name'], { config: mapOf(str()), name: text(256) });

/** An environment variable of a kubeconfig exec plugin (same at v1beta1 and v1beta2). */
export const execEnv = req(['name', 'value'], { name: text(512), value: text(512) });

/** The cluster entry of a discovery kubeconfig (same fields at v1beta1 and v1beta2). */
export const kubeConfigClusterFields: Record<string, Schema> = {
  certificateAuthorityData: text(51200, { format: 'byte' }),
  insecureSkipTLSVerify: bool(),
  proxyURL: text(512),
  server: text(512),
  tlsServerName: text(512),
};

const joinConfiguration = obj({
  apiVersion: str(),
  caCertPath: text(512),
  controlPlane: obj({ localAPIEndpoint: apiEndpoint }),
  discovery: obj({
    bootstrapToken: obj({
      apiServerEndpoint: text(512),
      caCertHashes: upTo(100, text(512)),
      token: text(512),
      unsafeSkipCAVerification: bool(),
    }),
    file: req(['kubeConfigPath'], {
      kubeConfig: req(['user'], {
        cluster: obj(kubeConfigClusterFields),
        user: obj({
          authProvider: kubeConfigAuthProvider,
          exec: req(['command'], {
            apiVersion: text(512),
            args: upTo(100, text(512)),
            command: text(1024),
            env: upTo(100, execEnv),
            provideClusterInfo: bool(),
          }),
        }),
      }),
      kubeConfigPath: text(512),
    }),
    timeout: str(),
    tlsBootstrapToken: text(512),
  }),
  kind: str(),
  nodeRegistration,
  patches,
  skipPhases,
});

/** A file cloud-init writes: inline content or a Secret key (same at v1beta1 and v1beta2). */
export const bootstrapFile = req(['path'], {
  append: bool(),
  content: text(10240),
  contentFormat: enumOf('Raw', 'Template'),
  contentFrom: req(['secret'], { secret: req(['key', 'name'], { key: text(256), name: text(253) }) }),
  encoding: enumOf('base64', 'gzip', 'gzip+base64'),
  owner: text(256),
  path: text(512),
  permissions: text(16),
});

/** A user cloud-init creates (same at v1beta1 and v1beta2 but for the list bounds). */
export function bootstrapUser(keys: Schema): Schema {
  return req(['name'], {
    gecos: text(256),
    groups: text(256),
    homeDir: text(256),
    inactive: bool(),
    lockPassword: bool(),
    name: text(256),
    passwd: text(256),
    passwdFrom: req(['secret'], { secret: req(['key', 'name'], { key: text(256), name: text(253) }) }),
    primaryGroup: text(256),
    shell: text(256),
    sshAuthorizedKeys: keys,
    sudo: text(256),
  });
}

/** A filesystem cloud-init creates (same at v1beta1 and v1beta2 but for the list bound). */
export function bootstrapFilesystem(extraOpts: Schema): Schema {
  return req(['device', 'filesystem'], {
    device: text(256),
    extraOpts,
    filesystem: text(128),
    label: text(512),
    overwrite: bool(),
    partition: text(128),
    replaceFS: text(128),
  });
}

/** One entry of a partition's disk layout. */
export const diskLayoutEntry = req(['percentage'], {
  partitionType: celString(PARTITION_TYPE_RULE.rule, PARTITION_TYPE_RULE.message, { minLength: 1, maxLength: 36 }),
  percentage: int({ minimum: 1, maximum: 100 }),
});

const commands = upTo(1000, text(10240));

/** KubeadmConfigSpec at v1beta1. */
export const kubeadmConfigSpecV1beta1 = obj({
  bootCommands: commands,
  clusterConfiguration,
  diskSetup: obj({
    filesystems: upTo(100, bootstrapFilesystem(upTo(100, text(256)))),
    partitions: upTo(
      100,
      req(['device', 'layout'], {
        device: text(256),
        diskLayout: list(diskLayoutEntry, { minItems: 1, maxItems: 100 }),
        layout: bool(),
        overwrite: bool(),
        tableType: enumOf('mbr', 'gpt'),
      }),
    ),
  }),
  files: upTo(200, bootstrapFile),
  format: enumOf('cloud-config', 'ignition'),
  ignition: obj({ containerLinuxConfig: obj({ additionalConfig: text(32768), strict: bool() }) }),
  initConfiguration,
  joinConfiguration,
  mounts: upTo(100, list(text(512))),
  ntp: obj({ enabled: bool(), servers: upTo(100, text(512)) }),
  postKubeadmCommands: commands,
  preKubeadmCommands: commands,
  useExperimentalRetryJoin: bool(),
  users: upTo(100, bootstrapUser(upTo(100, text(2048)))),
  verbosity: int(),
});
