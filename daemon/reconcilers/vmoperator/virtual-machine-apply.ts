/**
 * Performs VirtualMachine changes on the simulator in the order vm-operator does: record the new
 * spec, power off before a resize, resize across the power-off, then power on or restart.
 */
import { resolveImage, usableLibraries } from '../../inventory/content-library.js';
import { namespacePolicy, requiredCryptoOf } from '../../inventory/namespace-policy.js';
import { fail, ok, type TaskResult } from '../../inventory/model/faults.js';
import type { VirtualMachine } from '../../inventory/model/workloads.js';
import type { VmClass } from '../../inventory/model/infrastructure.js';
import type { InventoryRegistry } from '../../inventory/registry.js';
import {
  createVirtualMachine,
  destroyVirtualMachine,
  recordVirtualMachineObject,
  resizeVirtualMachine,
  restartVirtualMachine,
  setPowerState,
} from '../../inventory/virtual-machine.js';
import type { Change, ApplyContext } from '../../plan/contract.js';
import { storedObject } from '../../plan/contract.js';
import { setCrypto } from '../../inventory/crypto.js';
import { migrate } from '../../inventory/vmotion.js';
import { revertVirtualMachine } from '../../inventory/snapshot.js';
import { memberPower, powerMember } from '../../inventory/group-power.js';
import { startNodeJoin } from '../../inventory/guest-node.js';
import { clusterModuleOf, findResourcePolicy } from './virtual-machine-set-resource-policy.js';
import { claimNames, syncAttachments } from '../shared/volumes.js';
import { differsFromClass, imageRef, resizesNow, targetPowerState, vmSpec } from './virtual-machine-spec.js';
import { liveSpecOf } from '../../manifests/typed-spec.js';

type Step = (vm: VirtualMachine) => TaskResult<VirtualMachine>;

/** Runs steps in order, each on the VM the previous one returned; stops at the first fault. */
function run(vm: VirtualMachine, steps: readonly Step[]): TaskResult<VirtualMachine> {
  let current = vm;
  for (const step of steps) {
    const result = step(current);
    if (!result.ok) return result;
    current = result.value;
  }
  return ok(current);
}

/** The class a VM of `namespace` gets: the namespace's own VirtualMachineClass, else the vCenter class. */
export function findClass(registry: InventoryRegistry, namespace: string, name: string | undefined): VmClass | undefined {
  if (!name) return undefined;
  return registry.find('VmClass', namespace, name) ?? registry.find('VmClass', '', name);
}

function create(change: Change, registry: InventoryRegistry, now: number): TaskResult<VirtualMachine> {
  const object = storedObject(change.desired!);
  const spec = vmSpec(object);
  const vmClass = findClass(registry, object.namespace, spec.className);
  if (!vmClass) return fail('NotFound', `virtualmachineclasses.vmoperator.vmware.com "${spec.className}" not found`);
  const image = resolveImage(registry, imageRef(spec) ?? '', usableLibraries(namespacePolicy(registry, object.namespace)));
  if (!image.ok) return image;
  const storagePolicy = registry.list('StoragePolicy').find((p) => p.name === spec.storageClass);
  if (!storagePolicy) return fail('NotFound', `storage class ${spec.storageClass} not found`);
  const placement = change.admission.placement;
  const host = registry.list('Host').find((h) => h.name === placement?.host);
  const datastore = registry.list('Datastore').find((d) => d.name === placement?.datastore);
  if (!host || !datastore) return fail('NoAvailableHosts', 'the plan carries no placement for this VM');
  // A group member starts as its group says: at once, or off until its boot stage comes.
  const group = memberPower(registry, object.namespace, object.name);
  const created = createVirtualMachine(registry, {
    object,
    vmClass,
    image: image.value,
    storagePolicy,
    host: host.id,
    datastore: datastore.id,
    powerState: group ? (group.delayMs > 0 ? 'PoweredOff' : group.state) : targetPowerState(spec),
  });
  if (!created.ok) return created;
  if (group?.delayMs) powerMember(registry, created.value, group, now);
  startNodeJoin(registry, created.value, now);
  const crypto = requiredCryptoOf(registry, object.namespace);
  let vm = crypto ? setCrypto(registry, created.value, crypto) : created.value;
  if (spec.resourcePolicyName) {
    const policy = findResourcePolicy(object.namespace, spec.resourcePolicyName, registry, new Map());
    const module = clusterModuleOf(object.namespace, spec.resourcePolicyName, policy, object.annotations);
    vm = { ...vm, resourcePolicy: spec.resourcePolicyName, ...(module ? { clusterModule: module } : {}) };
    registry.put(vm);
  }
  // A restart request already in the manifest is history for a new VM, not a reason to restart it.
  return ok(spec.nextRestartTime ? recordRestart(registry, vm, spec.nextRestartTime) : vm);
}

function recordRestart(registry: InventoryRegistry, vm: VirtualMachine, at: string): VirtualMachine {
  const updated = { ...vm, lastRestartTime: at };
  registry.put(updated);
  return updated;
}

function update(change: Change, registry: InventoryRegistry, current: VirtualMachine, now: number): TaskResult<VirtualMachine> {
  const object = storedObject(change.desired!);
  const spec = vmSpec(object);
  // A revert comes first: it sets the power state the rest starts from.
  const revert = change.fields.some((f) => f.path === 'status.currentSnapshot') && spec.currentSnapshotName;
  const reverted = revert ? revertVirtualMachine(registry, current, spec.currentSnapshotName!) : ok(current);
  if (!reverted.ok) return reverted;
  const vm = reverted.value;
  const target = targetPowerState(spec);
  const actual = vm.powerState;
  const resize: Step = (current) => {
    const vmClass = findClass(registry, object.namespace, spec.className);
    if (!vmClass) return fail('NotFound', `virtualmachineclasses.vmoperator.vmware.com "${spec.className}" not found`);
    return differsFromClass(current, vmClass) ? resizeVirtualMachine(registry, current, vmClass) : ok(current);
  };
  const power = (state: VirtualMachine['powerState']): Step => (current) => setPowerState(registry, current, state);
  const steps: Step[] = [(current) => ok(recordVirtualMachineObject(registry, current, object))];
  // A group that declares a power state owns its members': their own powerState waits.
  const ownPower = !memberPower(registry, object.namespace, object.name);
  if (ownPower && target !== actual && target !== 'PoweredOn') steps.push(power(target));
  if (resizesNow(actual, ownPower ? target : actual)) steps.push(resize);
  if (ownPower && target === 'PoweredOn' && actual !== 'PoweredOn') steps.push(power('PoweredOn'));
  if (target === 'PoweredOn' && actual === 'PoweredOn' && spec.nextRestartTime && spec.nextRestartTime !== vm.lastRestartTime) {
    steps.push((current) => restartVirtualMachine(registry, current, spec.nextRestartTime!));
  }
  steps.push(...namespaceEffects(change, registry, now));
  return run(vm, steps);
}

/** Encryption and placement the namespace's policy asks for (planned as status.crypto / status.host). */
function namespaceEffects<T extends VirtualMachine>(change: Change, registry: InventoryRegistry, now: number): ((w: T) => TaskResult<T>)[] {
  const steps: ((w: T) => TaskResult<T>)[] = [];
  const crypto = requiredCryptoOf(registry, change.namespace);
  if (crypto && change.fields.some((f) => f.path.startsWith('status.crypto'))) steps.push((w) => ok(setCrypto(registry, w, crypto)));
  const target = change.admission.placement?.host;
  const host = target && registry.list('Host').find((h) => h.name === target);
  if (host && change.fields.some((f) => f.path === 'status.host')) steps.push((w) => migrate(registry, w, host.id, now, 'namespace placement') as TaskResult<T>);
  return steps;
}

/** Attaches the claims the VM's spec mounts (and detaches the ones it dropped). */
function withVolumes(registry: InventoryRegistry, result: TaskResult<VirtualMachine>): TaskResult<unknown> {
  if (!result.ok) return result;
  return syncAttachments(registry, result.value.namespace, result.value.id, claimNames(liveSpecOf(result.value.object, 'VirtualMachine')));
}

/** Performs one admitted VirtualMachine change. */
export function applyVirtualMachine(change: Change, registry: InventoryRegistry, ctx: ApplyContext): TaskResult<unknown> {
  const vm = registry.find('VirtualMachine', change.namespace, change.name);
  switch (change.action) {
    case 'create':
      return withVolumes(registry, create(change, registry, ctx.now));
    case 'update':
      return withVolumes(registry, vm ? update(change, registry, vm, ctx.now) : create(change, registry, ctx.now));
    case 'delete': {
      if (!vm) return ok(undefined);
      const off = setPowerState(registry, vm, 'PoweredOff');
      return off.ok ? destroyVirtualMachine(registry, off.value) : off;
    }
  }
}
