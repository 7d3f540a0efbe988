/**
 * Reading a VirtualMachine spec the way vm-operator does, whatever version was written: one
 * internal shape (v1alpha2+'s), with v1alpha1's lower-case power states and modes, `vmMetadata`,
 * `networkInterfaces` and top-level `resourcePolicyName` converted as vm-operator's conversion
 * webhook converts them. The store keeps the version the user wrote.
 */
import type { PowerState } from '../../inventory/model/infrastructure.js';
import type { StoredObject } from '../../inventory/model/stored-object.js';
import type { VirtualMachine } from '../../inventory/model/workloads.js';
import type { PlacementRequest } from '../../capacity/placement.js';
import type { ClassSize } from '../../plan/ledger.js';
import { vmConsumption } from '../../capacity/consumption.js';
import type { KindSpecs, VirtualMachineSpecV1alpha1 } from '../../manifests/kinds.generated.js';
import { versionedSpecOf, type Merged } from '../../manifests/typed-spec.js';
import type { ResourceAmounts } from '../../capacity/quota.js';

type HubSpec = Merged<Exclude<KindSpecs['VirtualMachine'], VirtualMachineSpecV1alpha1>>;

/** v1alpha1's network interfaces converted: an interface may name no network (the conversion keeps what was written). */
interface ConvertedNetwork {
  readonly interfaces: readonly { readonly name: string; readonly network: { readonly name?: string; readonly kind?: string } }[];
}

/**
 * A VirtualMachine spec in the internal shape: any field a v1alpha2+ version has, typed as those
 * versions type it (`Merged`), plus what converting v1alpha1 adds: the resource policy it wrote at
 * the top level (v1alpha2+ under `reserved`) and its network interfaces.
 */
export type VmSpec = Omit<HubSpec, 'network'> & { readonly resourcePolicyName?: string; readonly network?: HubSpec['network'] | ConvertedNetwork };

export type Bootstrap = NonNullable<VmSpec['bootstrap']>;

type PowerOpMode = NonNullable<VmSpec['powerOffMode']>;

const POWER_V1ALPHA1: Record<string, PowerState> = { poweredOn: 'PoweredOn', poweredOff: 'PoweredOff', suspended: 'Suspended' };
const MODE_V1ALPHA1: Record<string, PowerOpMode> = { hard: 'Hard', soft: 'Soft', trySoft: 'TrySoft' };

/** vm-operator's v1alpha1 → v1alpha2 conversion of `vmMetadata` into bootstrap providers. */
function bootstrapFromVmMetadata(m: VirtualMachineSpecV1alpha1['vmMetadata']): Bootstrap | undefined {
  const name = m?.secretName ?? m?.configMapName;
  if (!m?.transport || !name) return undefined;
  switch (m.transport) {
    case 'CloudInit':
      return { cloudInit: { rawCloudConfig: { name, key: 'user-data' } } };
    case 'Sysprep':
      return { sysprep: { rawSysprep: { name, key: 'unattend' } } };
    case 'OvfEnv':
      return { linuxPrep: {}, vAppConfig: { rawProperties: name } };
    case 'vAppConfig':
      return { vAppConfig: { rawProperties: name } };
    default:
      // ExtraConfig hands the data over guestinfo, as cloud-init's VMware datasource reads it.
      return { cloudInit: { rawCloudConfig: { name, key: 'guestinfo.userdata' } } };
  }
}

function fromV1alpha1(raw: Partial<VirtualMachineSpecV1alpha1>): VmSpec {
  const bootstrap = bootstrapFromVmMetadata(raw.vmMetadata);
  return {
    ...(raw.className ? { className: raw.className } : {}),
    ...(raw.imageName ? { imageName: raw.imageName } : {}),
    ...(raw.storageClass ? { storageClass: raw.storageClass } : {}),
    ...(raw.powerState ? { powerState: POWER_V1ALPHA1[raw.powerState] } : {}),
    // v1alpha1's modes default to a hard operation.
    powerOffMode: MODE_V1ALPHA1[raw.powerOffMode ?? 'hard'],
    suspendMode: MODE_V1ALPHA1[raw.suspendMode ?? 'hard'],
    restartMode: MODE_V1ALPHA1[raw.restartMode ?? 'hard'],
    ...(raw.nextRestartTime ? { nextRestartTime: raw.nextRestartTime } : {}),
    ...(raw.resourcePolicyName ? { resourcePolicyName: raw.resourcePolicyName } : {}),
    ...(raw.volumes ? { volumes: raw.volumes } : {}),
    ...(bootstrap ? { bootstrap } : {}),
    ...(raw.networkInterfaces
      ? { network: { interfaces: raw.networkInterfaces.map((n, i) => ({ name: `eth${i}`, network: { ...(n.networkName ? { name: n.networkName } : {}), ...(n.networkType ? { kind: n.networkType } : {}) } })) } }
      : {}),
  };
}

/** The spec in the internal shape. */
export function vmSpec(object: { readonly kind: string; readonly apiVersion: string; readonly spec?: unknown }): VmSpec {
  const written = versionedSpecOf(object, 'VirtualMachine');
  if (written.version === 'v1alpha1') return fromV1alpha1(written.spec ?? {});
  const raw: VmSpec = written.spec ?? {};
  const reserved = raw.reserved;
  return { ...raw, ...(reserved?.resourcePolicyName ? { resourcePolicyName: reserved.resourcePolicyName } : {}) };
}

/** What the planner compares when the version changed: the internal shape with its defaults. */
export function hubView(object: Pick<StoredObject, 'kind' | 'apiVersion' | 'spec'>): Record<string, unknown> {
  const spec = vmSpec(object);
  return {
    className: spec.className,
    image: imageRef(spec),
    storageClass: spec.storageClass,
    powerState: targetPowerState(spec),
    powerOffMode: spec.powerOffMode ?? 'TrySoft',
    suspendMode: spec.suspendMode ?? 'TrySoft',
    restartMode: spec.restartMode ?? 'TrySoft',
    nextRestartTime: spec.nextRestartTime,
    resourcePolicyName: spec.resourcePolicyName,
    volumes: (spec.volumes ?? []).map((v) => ({ name: v.name, claimName: v.persistentVolumeClaim?.claimName })),
    bootstrap: bootstrapProviders(spec.bootstrap),
    networks: (spec.network?.interfaces ?? []).map((i) => ({ name: i.name, network: i.network?.name })),
  };
}

/** The desired power state; vm-operator's mutating webhook defaults an empty one to PoweredOn. */
export function targetPowerState(spec: VmSpec): PowerState {
  return spec.powerState ?? 'PoweredOn';
}

/** The image a spec names itself: `spec.image.name` (v1alpha3+) or `spec.imageName`. */
export function writtenImageRef(spec: VmSpec): string | undefined {
  return spec.image?.name ?? spec.imageName;
}

/**
 * The image of a VM that names none but has CD-ROMs (an ISO VM): the first connected CD-ROM's,
 * else the first CD-ROM's, as vm-operator's mutating webhook sets spec.imageName on create
 * (`SetImageNameFromCdrom`).
 */
export function cdromImageRef(spec: VmSpec): string | undefined {
  const cdroms = spec.hardware?.cdrom ?? spec.cdrom ?? [];
  return cdroms.find((c) => c.connected === true)?.image?.name || cdroms[0]?.image?.name || undefined;
}

/** The image a VM is deployed from: the one its spec names, else its CD-ROMs'. */
export function imageRef(spec: VmSpec): string | undefined {
  return writtenImageRef(spec) ?? cdromImageRef(spec);
}

/**
 * Why the EncryptionClass a spec names cannot be used, in vm-operator's words, or undefined when it
 * names none. pacific serves no EncryptionClass (a namespace's VMs are encrypted by its
 * NamespacePolicy), so a named class is never found: vm-operator then creates no VM and reports
 * VirtualMachineEncryptionSynced=False, EncryptionClassNotFound.
 */
export function encryptionClassProblem(spec: VmSpec): string | undefined {
  const name = spec.crypto?.encryptionClassName;
  return name ? `encryptionclasses.encryption.vmware.com "${name}" not found` : undefined;
}

/** The bootstrap providers a spec uses, in vm-operator's names. */
export function bootstrapProviders(b: Bootstrap | undefined): string[] {
  if (!b) return [];
  return (['cloudInit', 'linuxPrep', 'sysprep', 'vAppConfig'] as const).filter((p) => b[p] !== undefined).map((p) => ({ cloudInit: 'CloudInit', linuxPrep: 'LinuxPrep', sysprep: 'Sysprep', vAppConfig: 'vAppConfig' })[p]);
}

/** vm-operator resizes only across a power-off: when the VM ends powered off, or goes from off to on. */
export function resizesNow(actual: PowerState, target: PowerState): boolean {
  return target === 'PoweredOff' || (actual === 'PoweredOff' && target === 'PoweredOn');
}

export function classRequest(key: string, size: ClassSize, poweredOn: boolean): PlacementRequest {
  return {
    key,
    cpus: size.cpus,
    memoryBytes: size.memoryBytes,
    cpuReservationMillis: size.cpuReservationMillis,
    memoryReservationBytes: size.memoryReservationBytes,
    poweredOn,
  };
}

/** What a live VM counts against its namespace's quota. */
export function liveConsumption(vm: VirtualMachine): ResourceAmounts {
  return vmConsumption({ ...vm, storageClass: vm.storagePolicy });
}

/** True when the VM's configuration differs from the class it should have. */
export function differsFromClass(vm: VirtualMachine, size: ClassSize): boolean {
  return (
    vm.className !== size.name ||
    vm.cpus !== size.cpus ||
    vm.memoryBytes !== size.memoryBytes ||
    vm.cpuReservationMillis !== size.cpuReservationMillis ||
    vm.memoryReservationBytes !== size.memoryReservationBytes
  );
}
