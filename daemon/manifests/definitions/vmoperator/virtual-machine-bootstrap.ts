/**
 * `spec.bootstrap` of a VirtualMachine: how the guest is customized on first boot (cloud-init,
 * LinuxPrep, Sysprep, vApp properties). Each version is the previous one plus a few fields.
 */
import { anyValue, bool, enumOf, extend, int, list, obj, omit, str, withDefault } from '../dsl/builders.js';
import { secretKeySelector, secretKeySelectorDefaulting, secretNameSelector, valueOrSecretKey } from './common.js';

// ---- cloud-init ----

const cloudConfigUser = obj(
  {
    create_groups: bool(),
    expiredate: str(),
    gecos: str(),
    groups: list(str()),
    hashed_passwd: secretKeySelector,
    homedir: str(),
    inactive: int(),
    lock_passwd: bool(),
    name: str(),
    no_create_home: bool(),
    no_log_init: bool(),
    no_user_group: bool(),
    passwd: secretKeySelector,
    primary_group: str(),
    selinux_user: str(),
    shell: str(),
    snapuser: str(),
    ssh_authorized_keys: list(str()),
    ssh_import_id: list(str()),
    ssh_redirect_user: bool(),
    sudo: str(),
    system: bool(),
    uid: int(),
  },
  { required: ['name'] },
);

const writeFile = obj(
  {
    append: bool(),
    content: anyValue(),
    defer: bool(),
    encoding: withDefault(enumOf('b64', 'base64', 'gz', 'gzip', 'gz+b64', 'gz+base64', 'gzip+b64', 'gzip+base64', 'text/plain'), 'text/plain'),
    owner: str({ default: 'root:root' }),
    path: str(),
    permissions: str({ default: '0644' }),
  },
  { required: ['path'] },
);

const cloudConfig = obj({
  defaultUserEnabled: bool(),
  runcmd: anyValue(),
  ssh_pwauth: bool(),
  timezone: str(),
  users: list(cloudConfigUser, { mapKeys: ['name'] }),
  write_files: list(writeFile, { mapKeys: ['path'] }),
});

const cloudInitV1alpha2 = obj({
  cloudConfig,
  rawCloudConfig: secretKeySelector,
  sshAuthorizedKeys: list(str()),
  useGlobalNameserversAsDefault: bool(),
  useGlobalSearchDomainsAsDefault: bool(),
});
const cloudInitV1alpha3 = extend(cloudInitV1alpha2, { instanceID: str() });
const cloudInitV1alpha5 = extend(cloudInitV1alpha3, { waitOnNetwork4: bool(), waitOnNetwork6: bool() });

// ---- LinuxPrep ----

const linuxPrepV1alpha2 = obj({ hardwareClockIsUTC: bool(), timeZone: str() });
const linuxPrepV1alpha5 = extend(linuxPrepV1alpha2, {
  customizeAtNextPowerOn: bool(),
  expirePasswordAfterNextLogin: bool(),
  password: secretNameSelector('password'),
  scriptText: valueOrSecretKey,
});

// ---- Sysprep ----

const guiUnattendedV1alpha2 = obj({ autoLogon: bool(), autoLogonCount: int(), password: secretKeySelectorDefaulting('password'), timeZone: int() });
// v1alpha3: time zone index 85 (GMT) unless given.
const guiUnattendedV1alpha3 = extend(guiUnattendedV1alpha2, { timeZone: int({ minimum: 0, default: 85 }) });

const identificationV1alpha2 = obj({
  domainAdmin: str(),
  domainAdminPassword: secretKeySelectorDefaulting('domain_admin_password'),
  domainOU: str(),
  joinDomain: str(),
  joinWorkgroup: str(),
});
// v1alpha3 moved the domain to join into `spec.network.domainName`.
const identificationV1alpha3 = omit(identificationV1alpha2, 'joinDomain');

const userDataV1alpha2 = obj({ fullName: str(), orgName: str(), productID: secretKeySelectorDefaulting('product_id') }, { required: ['fullName', 'orgName'] });
const userDataV1alpha5 = extend(userDataV1alpha2, { fullName: str({ minLength: 1 }), orgName: str({ minLength: 1 }) });

const inlineSysprepV1alpha2 = obj(
  {
    guiRunOnce: obj({ commands: list(str()) }),
    guiUnattended: guiUnattendedV1alpha2,
    identification: identificationV1alpha2,
    licenseFilePrintData: obj({ autoMode: enumOf('perSeat', 'perServer'), autoUsers: int() }, { required: ['autoMode'] }),
    userData: userDataV1alpha2,
  },
  { required: ['userData'] },
);
const inlineSysprepV1alpha3 = extend(inlineSysprepV1alpha2, { guiUnattended: guiUnattendedV1alpha3, identification: identificationV1alpha3 });
const inlineSysprepV1alpha5 = extend(inlineSysprepV1alpha3, {
  expirePasswordAfterNextLogin: bool(),
  scriptText: valueOrSecretKey,
  userData: userDataV1alpha5,
});

const sysprepV1alpha2 = obj({ rawSysprep: secretKeySelector, sysprep: inlineSysprepV1alpha2 });
const sysprepV1alpha3 = extend(sysprepV1alpha2, { sysprep: inlineSysprepV1alpha3 });
const sysprepV1alpha5 = extend(sysprepV1alpha3, { customizeAtNextPowerOn: bool(), sysprep: inlineSysprepV1alpha5 });

// ---- vApp ----

const vAppConfig = obj({
  properties: list(obj({ key: str(), value: valueOrSecretKey }, { required: ['key'] }), { mapKeys: ['key'] }),
  rawProperties: str(),
});

// ---- spec.bootstrap per version ----

/** `spec.bootstrap` at v1alpha2. */
export const bootstrapV1alpha2 = obj({ cloudInit: cloudInitV1alpha2, linuxPrep: linuxPrepV1alpha2, sysprep: sysprepV1alpha2, vAppConfig });
/** v1alpha3 (and v1alpha4) = v1alpha2 + `cloudInit.instanceID`, Sysprep time zone ≥ 0, no `identification.joinDomain`. */
export const bootstrapV1alpha3 = extend(bootstrapV1alpha2, { cloudInit: cloudInitV1alpha3, sysprep: sysprepV1alpha3 });
/** v1alpha5 = v1alpha3 + wait-on-network, LinuxPrep password/script, customize-at-next-power-on, Sysprep script. */
export const bootstrapV1alpha5 = extend(bootstrapV1alpha3, { cloudInit: cloudInitV1alpha5, linuxPrep: linuxPrepV1alpha5, sysprep: sysprepV1alpha5 });
/** v1alpha6 = v1alpha5 + `disabled`. */
export const bootstrapV1alpha6 = extend(bootstrapV1alpha5, { disabled: bool() });
