/**
 * VirtualMachine (vm-operator) → a VM deployed from a content library image onto a host chosen by
 * DRS-like placement. Drift is what the VM really is (power state, size) against what its spec
 * says; a class change on a running VM waits for a power-off, as vm-operator's resize does.
 */
import type { VirtualMachine } from '../../inventory/model/workloads.js';
import { diffValues } from '../../plan/diff-fields.js';
import type { FieldChange, Condition, KindReconciler, PlanContext, Problem } from '../../plan/contract.js';
import type { StoredObject } from '../../inventory/model/stored-object.js';
import { comparableMeta, comparableObject, condition, observed, storedObject } from '../../plan/contract.js';
import { admitCreate, admitDelete, admitUpdate } from './virtual-machine-admission.js';
import { applyVirtualMachine } from './virtual-machine-apply.js';
import { bootstrapProviders, encryptionClassProblem, hubView, liveConsumption, resizesNow, targetPowerState, vmSpec } from './virtual-machine-spec.js';
import { claimNames, recordClaims } from '../shared/volumes.js';
import { snapshotsOf } from '../../inventory/snapshot-schedule.js';
import { groupOwnsPower } from './virtual-machine-group.js';
import { memberPower } from '../../inventory/group-power.js';
import { encryptionFields, placementFields } from '../shared/namespace-effects.js';
import { formatBytes } from '../../base/quantity.js';
import { liveSpecOf } from '../../manifests/typed-spec.js';

const GROUP = 'vmoperator.vmware.com';

/** Labels, annotations and spec with vm-operator's default power state filled in. */
function comparableVm(object: StoredObject, ctx: PlanContext): { metadata: unknown; spec: Record<string, unknown> } {
  const { metadata, spec } = comparableObject(object, ctx);
  // `spec` is the normalized form the planner compares (any object); a VM's always has one.
  return { metadata, spec: { ...(typeof spec === 'object' ? spec : {}), powerState: targetPowerState(vmSpec(object)) } };
}

function compare(desired: Parameters<KindReconciler['compare']>[0], live: Parameters<KindReconciler['compare']>[1], ctx: PlanContext): FieldChange[] {
  const object = storedObject(desired);
  // Same version: every field as written. Another version: the internal model both convert to.
  const sameVersion = !live || live.object.apiVersion === object.apiVersion;
  const view = (o: StoredObject) => (sameVersion ? comparableVm(o, ctx) : { metadata: comparableMeta(o), spec: hubView(o) });
  const want = view(object);
  if (!live) return diffValues(undefined, want);
  const vm = live.entity as VirtualMachine;
  const liveView = view(live.object);
  // While vSphere HA restarts the VM (or waits for a host), its power state is HA's to restore; a
  // group that declares a power state owns its members'.
  const notOurs = vm.recovery || groupOwnsPower(object.namespace, object.name, ctx);
  const have = { ...liveView, spec: { ...liveView.spec, powerState: notOurs ? want.spec['powerState'] : vm.powerState } };
  const fields = diffValues(have, want);
  if (!sameVersion) fields.unshift({ path: 'apiVersion', from: live.object.apiVersion, to: object.apiVersion });
  // The VM's real size is compared only where vm-operator would apply the class: across a power-off.
  if (!vm.recovery && resizesNow(vm.powerState, targetPowerState(vmSpec(object)))) {
    const size = ctx.ledger.resolveClass(object.namespace, vmSpec(object).className ?? '');
    if (size && size.cpus !== vm.cpus) fields.push({ path: 'status.hardware.cpus', from: vm.cpus, to: size.cpus });
    if (size && size.memoryBytes !== vm.memoryBytes) fields.push({ path: 'status.hardware.memory', from: formatBytes(vm.memoryBytes), to: formatBytes(size.memoryBytes) });
  }
  const revertTo = vmSpec(object).currentSnapshotName;
  if (revertTo && revertTo !== vm.currentSnapshot) fields.push({ path: 'status.currentSnapshot', from: vm.currentSnapshot ?? null, to: revertTo });
  const hostName = ctx.inventory.get('Host', vm.host)?.name ?? vm.host;
  return [...fields, ...encryptionFields(vm.crypto, object.namespace, ctx), ...placementFields(hostName, vm.migration, object.namespace, ctx)];
}

/** The vm-operator condition a refusal belongs to (placement, class, image, storage). */
const PROBLEM_CONDITION: Record<string, string> = {
  ClassNotFound: 'VirtualMachineClassReady',
  ImageNotFound: 'VirtualMachineImageReady',
  StorageClassNotFound: 'VirtualMachineStorageReady',
  NoAvailableHosts: 'VirtualMachineConditionPlacementReady',
  InsufficientResources: 'VirtualMachineConditionPlacementReady',
  SecretNotFound: 'VirtualMachineBootstrapReady',
  ResourcePolicyNotFound: 'VirtualMachineConditionVMSetResourcePolicyReady',
  EncryptionClassNotFound: 'VirtualMachineEncryptionSynced',
};

function notCreatedConditions(problem: Problem | undefined): Condition[] {
  const reason = problem?.reason ?? 'Pending';
  const message = problem?.message ?? 'waiting to be created';
  const specific = problem && PROBLEM_CONDITION[problem.reason];
  return [...(specific ? [condition(specific, 'False', reason, message)] : []), condition('VirtualMachineCreated', 'False', reason, message)];
}

export const virtualMachineReconciler: KindReconciler = {
  group: GROUP,
  kind: 'VirtualMachine',

  observe: (inventory) => inventory.list('VirtualMachine').map((vm) => observed(GROUP, vm)),
  observesEach: { type: 'VirtualMachine', observe: (vm) => (vm.type === 'VirtualMachine' ? observed(GROUP, vm) : undefined) },

  seed(live, ledger) {
    ledger.addMember(live.namespace, live.key, liveConsumption(live.entity as VirtualMachine));
    recordClaims(live.namespace, live.key, claimNames(liveSpecOf(live.object, 'VirtualMachine')), ledger);
  },

  compare,

  admit: (desired, live, fields, ctx) => (live ? admitUpdate(desired, live, fields, ctx) : admitCreate(desired, ctx)),

  admitDelete,

  apply: applyVirtualMachine,

  status(desired, live, inventory, problem) {
    if (!live) return { conditions: notCreatedConditions(problem) };
    const vm = live.entity as VirtualMachine;
    const host = inventory.get('Host', vm.host);
    const wanted = vmSpec(storedObject(desired));
    const hostField = /v1alpha[123]$/.test(desired.apiVersion) ? 'host' : 'nodeName';
    const snapshots = snapshotsOf(inventory, vm).map((s) => ({ name: s.object?.name ?? s.name }));
    const providers = bootstrapProviders(wanted.bootstrap);
    const encryptionClass = encryptionClassProblem(wanted);
    // A group that declares a power state owns its members' (the planner leaves their own alone).
    const wantedPower = memberPower(inventory, desired.namespace, desired.name)?.state ?? targetPowerState(wanted);
    const conditions: Condition[] = [
      ...(providers.length ? [condition('VirtualMachineBootstrapReady', 'True', 'True', providers.join(', '))] : []),
      ...(encryptionClass ? [condition('VirtualMachineEncryptionSynced', 'False', 'EncryptionClassNotFound', encryptionClass)] : []),
      ...(vm.resourcePolicy ? [condition('VirtualMachineConditionVMSetResourcePolicyReady', 'True', 'True', vm.clusterModule ? `cluster module ${vm.clusterModule}` : vm.resourcePolicy)] : []),
      condition('VirtualMachineClassReady', 'True', 'True'),
      condition('VirtualMachineImageReady', 'True', 'True'),
      condition('VirtualMachineStorageReady', 'True', 'True'),
      condition('VirtualMachineConditionPlacementReady', 'True', 'True', `placed on ${host?.name ?? vm.host}`),
      condition('VirtualMachineCreated', 'True', 'True'),
      wanted.className && wanted.className !== vm.className
        ? condition('VirtualMachineClassConfigurationSynced', 'False', 'ClassNameChanged', `running as ${vm.className}; resize to ${wanted.className} happens at the next power-off`)
        : condition('VirtualMachineClassConfigurationSynced', 'True', 'True'),
      vm.recovery
        ? condition('VirtualMachinePowerStateSynced', 'False', vm.recovery.state === 'restarting' ? 'HaRestarting' : 'WaitingForHost', `${vm.recovery.reason === 'host-failure' ? 'host failure' : 'maintenance mode'}: ${vm.recovery.state === 'restarting' ? `vSphere HA restarts it on ${host?.name ?? vm.host}` : 'no host can take it yet'} (priority ${vm.recovery.priority})`)
        : vm.powerState === wantedPower
          ? condition('VirtualMachinePowerStateSynced', 'True', 'True')
          : condition('VirtualMachinePowerStateSynced', 'False', problem?.reason ?? 'Pending', problem?.message ?? `${vm.powerState}, want ${wantedPower}`),
    ];
    if (desired.apiVersion.endsWith('/v1alpha1')) {
      // v1alpha1's status: lower-case power states, `vmIp`, a phase.
      const lower = { PoweredOn: 'poweredOn', PoweredOff: 'poweredOff', Suspended: 'suspended' }[vm.powerState];
      return { conditions, fields: { uniqueID: vm.id, phase: 'Created', powerState: lower, host: host?.name ?? vm.host, vmIp: vm.ip ?? '', biosUUID: vm.biosUUID, instanceUUID: vm.instanceUUID } };
    }
    return {
      conditions,
      fields: {
        uniqueID: vm.id,
        powerState: vm.powerState,
        [hostField]: host?.name ?? vm.host,
        class: { name: vm.className },
        image: { kind: 'VirtualMachineImage', name: vm.imageName },
        network: vm.ip ? { primaryIP4: vm.ip } : {},
        biosUUID: vm.biosUUID,
        instanceUUID: vm.instanceUUID,
        hardware: { cpus: vm.cpus, memory: formatBytes(vm.memoryBytes) },
        ...(vm.crypto ? { crypto: vm.crypto } : {}),
        ...(vm.currentSnapshot ? { currentSnapshot: { name: vm.currentSnapshot } } : {}),
        ...(snapshots.length ? { rootSnapshots: snapshots } : {}),
        ...(vm.migration ? { migration: { from: inventory.get('Host', vm.migration.from)?.name ?? vm.migration.from, to: host?.name ?? vm.host } } : {}),
      },
    };
  },
};
