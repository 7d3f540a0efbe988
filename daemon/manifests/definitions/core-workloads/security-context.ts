/** Pod- and container-level security settings: users and groups, capabilities, seccomp, AppArmor, SELinux. */
import { bool, enumOf, int, list, obj, str } from '../dsl/builders.js';

const id = () => int({ minimum: 0, maximum: 2147483647 });

const seLinuxOptions = obj({ level: str(), role: str(), type: str(), user: str() });

const seccompProfile = obj(
  { localhostProfile: str(), type: enumOf('Unconfined', 'RuntimeDefault', 'Localhost') },
  { required: ['type'] },
);

const appArmorProfile = obj(
  { localhostProfile: str(), type: enumOf('Unconfined', 'RuntimeDefault', 'Localhost') },
  { required: ['type'] },
);

const windowsOptions = obj({ gmsaCredentialSpec: str(), gmsaCredentialSpecName: str(), hostProcess: bool(), runAsUserName: str() });

const sysctl = obj({ name: str(), value: str() }, { required: ['name', 'value'] });

const ulimit = obj({ hard: int(), name: str(), soft: int() }, { required: ['name', 'hard', 'soft'] });

/** `PodSecurityContext`: defaults for every container of the pod, plus fsGroup, sysctls and supplemental groups. */
export const podSecurityContext = obj({
  appArmorProfile,
  fsGroup: id(),
  fsGroupChangePolicy: enumOf('OnRootMismatch', 'Always'),
  runAsGroup: id(),
  runAsNonRoot: bool(),
  runAsUser: id(),
  seLinuxChangePolicy: enumOf('MountOption', 'Recursive'),
  seLinuxOptions,
  seccompProfile,
  supplementalGroups: list(id()),
  supplementalGroupsPolicy: enumOf('Merge', 'Strict'),
  sysctls: list(sysctl),
  windowsOptions,
});

/** `SecurityContext` of one container; its fields override the pod's. */
export const securityContext = obj({
  allowPrivilegeEscalation: bool(),
  appArmorProfile,
  capabilities: obj({ add: list(str()), drop: list(str()) }),
  privileged: bool(),
  procMount: enumOf('Default', 'Unmasked'),
  readOnlyRootFilesystem: bool(),
  runAsGroup: id(),
  runAsNonRoot: bool(),
  runAsUser: id(),
  seLinuxOptions,
  seccompProfile,
  ulimits: list(ulimit, { mapKeys: ['name'] }),
  windowsOptions,
});
