/**
 * Admission of VirtualMachine changes, as vm-operator's webhooks and vSphere's admission control
 * decide them: references must resolve, the namespace quota must cover the VM, a host must take it,
 * and updates obey the immutable fields and power transitions vm-operator enforces.
 */
import { KUBERNETES_RELEASES_LIBRARY } from '../../catalog/kubernetes-releases.js';
import { resolveImage, usableLibraries } from '../../inventory/content-library.js';
import type { VirtualMachine } from '../../inventory/model/workloads.js';
import { placementOf } from '../../inventory/virtual-machine.js';
import type { ManifestObject } from '../../manifests/types.js';
import { formatBytes } from '../../base/quantity.js';
import type { Admission, FieldChange, Placement, ObservedObject, PlanContext } from '../../plan/contract.js';
import { addAmounts } from '../../capacity/quota.js';
import { vmConsumption } from '../../capacity/consumption.js';
import type { ClassSize } from '../../plan/ledger.js';
import { ALLOWED, refused, storedObject } from '../../plan/contract.js';
import { classLimitAdmission, hostsOf, storageClassAdmission } from '../shared/namespace-rules.js';
import { admitClaims, claimNames, recordClaims } from '../shared/volumes.js';
import { encryptionNote } from '../shared/namespace-effects.js';
import { bootstrapConflict, bootstrapSecretProblem } from './bootstrap.js';
import { findVmSnapshot } from '../../inventory/snapshot.js';
import { clusterModuleOf, findResourcePolicy, resourcePolicyAdmission } from './virtual-machine-set-resource-policy.js';
import { classRequest, encryptionClassProblem, imageRef, liveConsumption, resizesNow, targetPowerState, vmSpec, writtenImageRef, type VmSpec } from './virtual-machine-spec.js';
import { liveSpecOf } from '../../manifests/typed-spec.js';

function classNotFound(name: string | undefined): Admission {
  return refused('ClassNotFound', name ? `virtualmachineclasses.vmoperator.vmware.com "${name}" not found` : 'spec.className: Required value');
}

function checkStorageClass(namespace: string, spec: VmSpec, ctx: PlanContext): Admission | undefined {
  if (!spec.storageClass) return refused('StorageClassNotFound', 'StorageClass is required but not specified');
  return storageClassAdmission(namespace, spec.storageClass, ctx);
}

/** The namespace policy's rule for a class, image and storage class; undefined when allowed. */
function checkPolicy(namespace: string, size: ClassSize, library: string, ctx: PlanContext): Admission | undefined {
  const policy = ctx.ledger.policy(namespace);
  const declaredInNamespace = ctx.ledger.isNamespaceClass(namespace, size.name);
  if (policy?.vmClasses && !declaredInNamespace && !policy.vmClasses.includes(size.name)) {
    return refused('NotAllowedByPolicy', `VM class ${size.name} is not bound to namespace ${namespace} (NamespacePolicy spec.vmClasses: ${policy.vmClasses.join(', ') || 'none'})`);
  }
  return classLimitAdmission(namespace, `VM class ${size.name}`, size, ctx) ?? libraryAdmission(namespace, library, ctx);
}

/** The namespace policy's rule for images of a content library; undefined when allowed. */
export function libraryAdmission(namespace: string, library: string, ctx: Pick<PlanContext, 'ledger'>): Admission | undefined {
  const allowed = ctx.ledger.policy(namespace)?.contentLibraries;
  // The Supervisor's Kubernetes release library serves guest cluster nodes in every namespace.
  if (!allowed || allowed.includes(library) || library === KUBERNETES_RELEASES_LIBRARY) return undefined;
  return refused('NotAllowedByPolicy', `images of content library ${library} are not allowed in namespace ${namespace} (NamespacePolicy spec.contentLibraries: ${allowed.join(', ') || 'none'})`);
}

/** Admission of a new VM: namespace, class, image, storage class, quota, then placement. */
export function admitCreate(desired: ManifestObject, ctx: PlanContext): Admission {
  const { ledger, inventory } = ctx;
  const spec = vmSpec(storedObject(desired));
  if (!ledger.hasNamespace(desired.namespace)) return refused('NamespaceNotFound', `namespace ${desired.namespace} not found`);
  const target = targetPowerState(spec);
  if (target === 'Suspended') return refused('InvalidPowerState', "spec.powerState: Invalid value: \"Suspended\": cannot set a new VM's power state to Suspended");
  const ref = imageRef(spec);
  if (!ref) return refused('ImageNotFound', 'spec.image: Required value');
  const usable = usableLibraries(ledger.policy(desired.namespace));
  const image = resolveImage(inventory, ref, usable);
  if (!image.ok) {
    // An image only a library the namespace may not use has: name the rule, not just the absence.
    const elsewhere = usable && image.error.fault === 'NotFound' ? resolveImage(inventory, ref) : undefined;
    const library = elsewhere?.ok ? (inventory.get('ContentLibrary', elsewhere.value.library)?.name ?? elsewhere.value.library) : undefined;
    return (library && libraryAdmission(desired.namespace, library, ctx)) || refused('ImageNotFound', image.error.message);
  }
  const size = spec.className ? ledger.resolveClass(desired.namespace, spec.className) : undefined;
  if (!size) return classNotFound(spec.className);
  const library = inventory.get('ContentLibrary', image.value.library)?.name ?? image.value.library;
  const policy = checkPolicy(desired.namespace, size, library, ctx);
  if (policy) return policy;
  const storage = checkStorageClass(desired.namespace, spec, ctx);
  if (storage) return storage;
  const encryptionClass = encryptionClassProblem(spec);
  if (encryptionClass) return refused('EncryptionClassNotFound', encryptionClass);

  const bootstrap = admitBootstrap(desired.namespace, spec, ctx);
  if (bootstrap) return bootstrap;
  const policyVerdict = resourcePolicyAdmission(desired.namespace, spec.resourcePolicyName, inventory, ctx.desired);
  if (policyVerdict) return policyVerdict;
  const module = spec.resourcePolicyName
    ? clusterModuleOf(desired.namespace, spec.resourcePolicyName, findResourcePolicy(desired.namespace, spec.resourcePolicyName, inventory, ctx.desired), storedObject(desired).annotations)
    : undefined;
  const claims = claimNames(spec);
  const claimVerdict = admitClaims(desired.namespace, desired.key, claims, ledger);
  if (claimVerdict) return claimVerdict;
  const disk = image.value.diskCapacityBytes;
  const consumption = vmConsumption({ cpus: size.cpus, memoryBytes: size.memoryBytes, diskBytes: disk, storageClass: spec.storageClass! });
  const overQuota = ledger.checkQuota(desired.namespace, consumption);
  if (overQuota) return refused('QuotaExceeded', overQuota);
  const req = { ...classRequest(desired.key, size, target === 'PoweredOn'), ...hostsOf(desired.namespace, ctx), ...(module ? { avoidHosts: ledger.moduleHosts(module) } : {}) };
  const placed = ledger.place(req, spec.storageClass!, disk);
  if (!placed.ok) {
    const reason = placed.error.fault === 'NoAvailableHosts' ? 'NoAvailableHosts' : 'InsufficientResources';
    return refused(reason, placed.error.message);
  }
  ledger.addMember(desired.namespace, desired.key, consumption);
  ledger.commitPlacement(placed.value, req, disk);
  if (module) ledger.addModuleHost(module, placed.value.hostId);
  recordClaims(desired.namespace, desired.key, claims, ledger);
  return {
    allowed: true,
    placement: { host: placed.value.host, datastore: placed.value.datastore },
    notes: [
      `disk ${formatBytes(disk)} from ${image.value.name} (${image.value.imageName})`,
      ...encryptionNote(desired.namespace, ctx),
      ...ledger.quotaNotes(desired.namespace, Object.keys(consumption)),
    ],
  };
}

/** Bootstrap providers must combine as vm-operator allows, and the Secrets they read must exist. */
function admitBootstrap(namespace: string, spec: VmSpec, ctx: PlanContext): Admission | undefined {
  const conflict = bootstrapConflict(spec.bootstrap);
  if (conflict) return refused('Invalid', conflict);
  const secret = bootstrapSecretProblem(namespace, spec.bootstrap, ctx.inventory, ctx.desired);
  return secret ? refused('SecretNotFound', secret.message) : undefined;
}

function immutable(field: string, value: string | undefined): Admission {
  return refused('Immutable', `${field}: Invalid value: "${value ?? ''}": field is immutable`);
}

/**
 * Admission of an update: immutable fields, power transitions, resize quota and host capacity; a
 * VM its namespace's placement no longer allows gets a target host for its vMotion.
 */
export function admitUpdate(desired: ManifestObject, live: ObservedObject, fields: readonly FieldChange[], ctx: PlanContext): Admission {
  const { ledger, inventory } = ctx;
  const vm = live.entity as VirtualMachine;
  const before = vmSpec(live.object);
  const after = vmSpec(storedObject(desired));

  // An image taken from the CD-ROMs is the VM's from its creation on (vm-operator's webhook wrote
  // spec.imageName then); changing a CD-ROM later is no image change.
  const ref = imageRef(after);
  if (ref !== imageRef(before) && writtenImageRef(after) !== undefined) {
    const image = ref ? resolveImage(inventory, ref, usableLibraries(ledger.policy(desired.namespace))) : undefined;
    if (!image?.ok || image.value.imageName !== vm.imageName) return immutable(after.image ? 'spec.image' : 'spec.imageName', ref);
  }
  if (after.storageClass !== before.storageClass) return immutable('spec.storageClass', after.storageClass);

  const conflict = bootstrapConflict(after.bootstrap);
  if (conflict) return refused('Invalid', conflict);
  const claims = claimNames(after);
  const claimVerdict = admitClaims(desired.namespace, live.key, claims, ledger);
  if (claimVerdict) return claimVerdict;
  const actual = vm.powerState;
  const target = targetPowerState(after);
  if (target === 'Suspended' && actual === 'PoweredOff') {
    return refused('InvalidPowerState', 'spec.powerState: Invalid value: "Suspended": cannot suspend a VM that is powered off');
  }
  const restart = after.nextRestartTime && after.nextRestartTime !== before.nextRestartTime;
  if (restart && targetPowerState(before) !== 'PoweredOn') {
    return refused('InvalidPowerState', `spec.nextRestartTime: Invalid value: "${after.nextRestartTime}": can only restart powered on vm`);
  }

  const newClass = after.className ? ledger.resolveClass(desired.namespace, after.className) : undefined;
  const resize = resizesNow(actual, target);
  if (!newClass && (resize || after.className !== before.className)) return classNotFound(after.className);
  if (newClass && after.className !== before.className) {
    const library = inventory.list('LibraryItem').find((i) => i.imageName === vm.imageName)?.library ?? '';
    const policy = checkPolicy(desired.namespace, newClass, inventory.get('ContentLibrary', library)?.name ?? library, ctx);
    if (policy) return policy;
  }
  const size = resize && newClass ? newClass : { ...vm, name: vm.className };

  const current = liveConsumption(vm);
  const next = vmConsumption({ cpus: size.cpus, memoryBytes: size.memoryBytes, diskBytes: vm.diskBytes, storageClass: vm.storagePolicy });
  const delta = addAmounts(next, current, -1);
  const growth = Object.fromEntries(Object.entries(delta).filter(([, v]) => v > 0));
  const overQuota = ledger.checkQuota(desired.namespace, growth);
  if (overQuota) return refused('QuotaExceeded', overQuota);

  const wasOn = actual === 'PoweredOn';
  const willBeOn = target === 'PoweredOn';
  const req = classRequest(live.key, size, willBeOn);
  if (willBeOn && !wasOn) {
    const why = ledger.checkPowerOn(vm.host, req);
    if (why) return refused('InsufficientResources', `cannot power on: ${why}`);
  }
  ledger.charge(desired.namespace, delta);
  recordClaims(desired.namespace, live.key, claims, ledger, claimNames(before));
  ledger.adjustHost(vm.host, placementOf(vm, live.key, wasOn), -1, false);
  ledger.adjustHost(vm.host, req, 1, false);

  const notes: string[] = [];
  const revert = fields.find((f) => f.path === 'status.currentSnapshot');
  if (revert) {
    const snapshot = findVmSnapshot(inventory, desired.namespace, String(revert.to));
    if (!snapshot || snapshot.vm !== vm.id) return refused('NotFound', `virtualmachinesnapshots.vmoperator.vmware.com "${String(revert.to)}" not found for VM ${vm.name}`);
    notes.push(`reverts to snapshot ${String(revert.to)}${snapshot.memory ? ' (with memory)' : ', powered off, then to the declared power state'}`);
  }
  let placement: Placement | undefined;
  if (fields.some((f) => f.path === 'status.host')) {
    const moving = { ...classRequest(live.key, size, willBeOn), ...hostsOf(desired.namespace, ctx) };
    const target = ledger.placeOnHost(moving);
    if (!target.ok) return refused('InsufficientResources', `cannot move to the namespace's hosts: ${target.error.message}`);
    ledger.adjustHost(vm.host, req, -1, true);
    ledger.commitPlacement({ hostId: target.value.hostId, datastoreId: '' }, moving, 0);
    placement = { host: target.value.host };
    notes.push(`vMotion to ${target.value.host} (namespace placement)`);
  }
  const crypto = fields.find((f) => f.path === 'status.crypto.keyProvider');
  if (crypto) notes.push(`${vm.crypto?.encrypted ? 're-keyed' : 'encrypted'} with key provider ${String(crypto.to)}`);
  if (after.className !== before.className && !resize) {
    notes.push(`resize to ${after.className} waits for the VM to be powered off (VirtualMachineClassConfigurationSynced=False, ClassNameChanged)`);
  }
  if (restart && actual === 'PoweredOn') notes.push('the VM will be restarted');
  if (Object.keys(growth).length) notes.push(...ledger.quotaNotes(desired.namespace, Object.keys(growth)));
  return { ...ALLOWED, ...(placement ? { placement } : {}), ...(notes.length ? { notes } : {}) };
}

/** Admission of a delete: always allowed; frees quota, host and datastore capacity in the ledger. */
export function admitDelete(live: ObservedObject, ctx: PlanContext): Admission {
  const vm = live.entity as VirtualMachine;
  ctx.ledger.removeMember(live.namespace, live.key, liveConsumption(vm));
  ctx.ledger.adjustHost(vm.host, placementOf(vm, live.key, vm.powerState === 'PoweredOn'), -1, true);
  ctx.ledger.freeDisk(vm.datastore, vm.diskBytes);
  recordClaims(live.namespace, live.key, [], ctx.ledger, claimNames(liveSpecOf(live.object, 'VirtualMachine')));
  return ALLOWED;
}
