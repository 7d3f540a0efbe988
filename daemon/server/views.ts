/** JSON views of the daemon's state: what `/status` and `/inventory` return. */
import type { InventoryReader } from '../inventory/registry.js';
import { hostCpuCapacityMhz } from '../capacity/usage.js';
import { vmotionsOn } from '../inventory/vmotion.js';
import { formatDiagnostic } from '../manifests/types.js';
import { formatBytes } from '../base/quantity.js';
import { formatAmount } from '../capacity/quota.js';
import { namespaceUsage } from '../inventory/namespace-usage.js';
import type { ObjectStatusRecord, StoredEvent, SyncState } from '../store/types.js';
import type { ReplicaStatus } from '../ha/replica.js';

export interface StatusInput {
  /** `refWatch`: whether pushes are seen as they land (`events`) or only by the resync (`polling`, with why). */
  readonly source: { readonly repo: string; readonly branch: string; readonly refWatch?: { readonly mode: 'events' | 'polling'; readonly message?: string } };
  readonly state: SyncState;
  readonly objects: readonly ObjectStatusRecord[];
  readonly events: readonly StoredEvent[];
  /** In distributed mode: this replica's role, the leader, the lease and the store revision it serves. */
  readonly replica?: ReplicaStatus;
  /** Webhook receivers (the admin's view only): their paths and where their secrets are. */
  readonly receivers?: readonly unknown[];
}

/** One object of `/status`. */
function objectView(o: ObjectStatusRecord): unknown {
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    namespace: o.namespace,
    name: o.name,
    ...(o.source ? { source: { file: o.source.file, line: o.source.line } } : {}),
    ...(o.owner ? { ownerReference: o.owner } : {}),
    conditions: o.conditions,
    ...(o.fields ? { status: o.fields } : {}),
  };
}

/** The `/status` document. */
export function statusView(input: StatusInput): unknown {
  const { state } = input;
  return {
    source: { ...input.source, headRevision: state.headRevision ?? null },
    ...(input.replica ? { replica: input.replica } : {}),
    lastAppliedRevision: state.lastAppliedRevision ?? null,
    lastAttemptedRevision: state.lastAttemptedRevision ?? null,
    conditions: state.conditions,
    ...(state.pruneHold ? { pruneHold: state.pruneHold } : {}),
    ...(input.receivers?.length ? { receivers: input.receivers } : {}),
    diagnostics: state.diagnostics.map((d) => ({ ...d, text: formatDiagnostic(d) })),
    objects: input.objects.map(objectView),
    events: input.events,
  };
}

/**
 * `/status` as UTF-8 JSON, byte for byte `JSON.stringify(statusView(input))`. The objects (18 MiB at
 * 10,000 VMs) are serialised and encoded once per set of object statuses, recognised by identity
 * (the controller keeps one array until a pass saves new ones); the rest is read per request.
 */
export class StatusDocument {
  private objects: { readonly records: readonly ObjectStatusRecord[]; readonly bytes: Buffer } | undefined;

  render(input: StatusInput): Buffer {
    if (this.objects?.records !== input.objects) this.objects = { records: input.objects, bytes: Buffer.from(JSON.stringify(input.objects.map(objectView))) };
    const { objects: _objects, events, ...head } = statusView({ ...input, objects: [] }) as { objects: unknown; events: unknown };
    return Buffer.concat([Buffer.from(`${JSON.stringify(head).slice(0, -1)},"objects":`), this.objects.bytes, Buffer.from(`,"events":${JSON.stringify(events)}}`)]);
  }
}

/** The `/inventory` document: hosts with capacity and reservations, namespaces with limits and usage, VMs. */
export function inventoryView(inventory: InventoryReader): unknown {
  const hostName = new Map(inventory.list('Host').map((h) => [h.id, h.name]));
  return {
    hosts: inventory.list('Host').map((h) => {
      const load = inventory.hostLoad(h.id);
      return {
        id: h.id,
        name: h.name,
        state: h.state,
        cpu: { cores: h.cpuCores, mhzPerCore: h.cpuMhzPerCore, capacityMhz: hostCpuCapacityMhz(h), reservedMhz: load.cpuReservedMhz },
        memory: { capacity: formatBytes(h.memoryBytes), reserved: formatBytes(load.memoryReservedBytes), capacityBytes: h.memoryBytes, reservedBytes: load.memoryReservedBytes },
        virtualMachines: { count: load.vms, max: h.maxVms },
        vSpherePods: { count: load.pods, max: h.maxPods },
        vmotionsInFlight: vmotionsOn(inventory, h.id),
        waitingForHost: [...inventory.list('VirtualMachine'), ...inventory.list('Pod')].filter((w) => w.host === h.id && w.recovery?.state === 'waiting').length,
      };
    }),
    datastores: inventory.list('Datastore').map((d) => ({ id: d.id, name: d.name, type: d.kind, capacity: formatBytes(d.capacityBytes), used: formatBytes(inventory.datastoreUsedBytes(d.id)) })),
    storagePolicies: inventory.list('StoragePolicy').map((p) => ({ name: p.name, id: p.id })),
    images: inventory.list('LibraryItem').map((i) => ({ name: i.imageName, displayName: i.name, library: i.library, diskCapacity: formatBytes(i.diskCapacityBytes) })),
    namespaces: inventory.list('Namespace').map((ns) => {
      const quotas = inventory.inNamespace('ResourceQuota', ns.name);
      const usage = namespaceUsage(inventory, ns.name);
      // Several quotas may limit one resource: the tightest one binds.
      const tightest = new Map<string, number>();
      for (const q of quotas) for (const [r, v] of Object.entries(q.hard)) tightest.set(r, Math.min(v, tightest.get(r) ?? Infinity));
      const limits = Object.fromEntries([...tightest].map(([r, v]) => [r, formatAmount(r, v)]));
      return {
        name: ns.name,
        resourcePool: ns.resourcePool,
        folder: ns.folder,
        limits,
        usage: Object.fromEntries(Object.entries(usage).map(([r, v]) => [r, formatAmount(r, v)])),
      };
    }),
    // Pod VMs and first-class disks, as vCenter lists them beside the VMs.
    podVMs: inventory.list('Pod').map((p) => ({
      namespace: p.namespace,
      name: p.object.name,
      id: p.id,
      host: hostName.get(p.host) ?? p.host,
      phase: p.phase,
      ip: p.ip ?? null,
      cpus: p.cpus,
      memory: formatBytes(p.memoryBytes),
    })),
    disks: inventory.list('Disk').map((d) => ({
      namespace: d.namespace,
      name: d.object.name,
      id: d.id,
      capacity: formatBytes(d.capacityBytes),
      storagePolicy: d.storagePolicy,
      datastore: inventory.get('Datastore', d.datastore)?.name ?? d.datastore,
      attachedTo: d.attachedTo,
    })),
    virtualMachines: inventory.list('VirtualMachine').map((vm) => ({
      namespace: vm.namespace,
      name: vm.name,
      id: vm.id,
      host: hostName.get(vm.host) ?? vm.host,
      powerState: vm.powerState,
      className: vm.className,
      ip: vm.ip ?? null,
      cpus: vm.cpus,
      memory: formatBytes(vm.memoryBytes),
    })),
  };
}
