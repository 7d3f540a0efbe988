/**
 * The world as it will be after the changes planned so far: namespaces, classes, quota usage and
 * host capacity. Admission checks each change against it and, when allowed, records the change,
 * so the tenth VM of a plan sees the nine before it. Built once per plan from the inventory; pure.
 */
import type { InventoryReader } from '../inventory/registry.js';
import type { VmClass, Host } from '../inventory/model/infrastructure.js';
import { cpuReservationMhz, haAdmission, placeVm, hostRejection, type PlacementRequest } from '../capacity/placement.js';
import { addLoad, type HostUsage, type WorkloadLoad } from '../capacity/usage.js';
import { simulatorSettings } from '../inventory/settings.js';
import { snapshotConsumption } from '../capacity/consumption.js';
import { memberCount } from '../capacity/object-count.js';
import type { TaskResult } from '../inventory/model/faults.js';
import { fail, ok } from '../inventory/model/faults.js';
import { addAmounts, checkQuotas, quotaLeft, withDefaultStorage, type QuotaState, type ResourceAmounts } from '../capacity/quota.js';
import { formatBytes } from '../base/quantity.js';
import { combineLimits, NO_LIMITS, type LimitView } from '../capacity/limits.js';
import type { NamespacePolicyView } from '../inventory/namespace-policy.js';

/** A VM's size and reservations, whatever declared it (a vCenter class or a namespace class). */
export type ClassSize = Pick<VmClass, 'name' | 'cpus' | 'memoryBytes' | 'cpuReservationMillis' | 'memoryReservationBytes'>;

interface NamespaceState {
  members: Set<string>;
  quotas: Map<string, QuotaState>;
  used: ResourceAmounts;
  limitRanges: Map<string, LimitView>;
  policy?: { name: string; view: NamespacePolicyView };
}

/** A claim as the plan sees it: its size and class, and which workloads use it. */
export interface ClaimState {
  readonly capacityBytes: number;
  readonly storageClass: string;
  readonly accessModes: readonly string[];
  readonly consumers: Set<string>;
}

export interface PlacedVm {
  readonly hostId: string;
  readonly host: string;
  readonly datastoreId: string;
  readonly datastore: string;
}

/** A placement request as the load it puts on a specific host. */
function loadOn(host: Host, req: PlacementRequest): WorkloadLoad {
  return { ...req, workload: req.workload ?? 'vm', running: req.poweredOn, cpuReservationMhz: cpuReservationMhz(req.cpuReservationMillis, host.cpuMhzPerCore) };
}

export class PlanLedger {
  private readonly namespaces = new Map<string, NamespaceState>();
  private readonly classes = new Map<string, ClassSize>();
  private readonly hosts = new Map<string, HostUsage>();
  private readonly datastoreFree = new Map<string, number>();
  private readonly claims = new Map<string, ClaimState>();
  /** Hosts running members of each cluster module (VM anti-affinity group). */
  private readonly modules = new Map<string, Set<string>>();

  /** Seed of placement tie-breaks, and host failures vSphere HA admission control tolerates. */
  private readonly seed: string;
  private readonly haFailures: number;
  /** The VI admin's `requests.storage` limit for a namespace whose own quotas set none. */
  private readonly defaultStorageBytes: number | undefined;

  constructor(readonly inventory: InventoryReader) {
    const settings = simulatorSettings(inventory);
    this.seed = settings.seed;
    this.haFailures = settings.hostFailuresToTolerate;
    this.defaultStorageBytes = settings.defaultNamespaceStorageBytes;
    for (const ns of inventory.list('Namespace')) this.addNamespace(ns.name);
    for (const q of inventory.list('ResourceQuota')) this.setQuota(q.namespace, q.name, q.hard);
    // Snapshots are no object of the plan but take storage quota.
    for (const s of inventory.list('Snapshot')) this.charge(s.namespace, snapshotConsumption(s));
    for (const c of inventory.list('VmClass')) this.classes.set(`${c.namespace ?? ''}/${c.name}`, c);
    for (const h of inventory.list('Host')) this.hosts.set(h.id, { host: h, ...inventory.hostLoad(h.id) });
    for (const d of inventory.list('Datastore')) this.datastoreFree.set(d.id, d.capacityBytes - inventory.datastoreUsedBytes(d.id));
    for (const vm of inventory.list('VirtualMachine')) if (vm.clusterModule) this.addModuleHost(vm.clusterModule, vm.host);
  }

  // --- namespaces -----------------------------------------------------------------------------

  hasNamespace(name: string): boolean {
    return this.namespaces.has(name);
  }

  addNamespace(name: string): void {
    if (!this.namespaces.has(name)) this.namespaces.set(name, { members: new Set(), quotas: new Map(), used: {}, limitRanges: new Map() });
  }

  removeNamespace(name: string): void {
    this.namespaces.delete(name);
  }

  /** Workloads and classes that will still be in a namespace (what blocks its deletion). */
  members(namespace: string): string[] {
    return [...(this.namespaces.get(namespace)?.members ?? [])].sort();
  }

  /** Records that an object lives in a namespace, charging its consumption and its kind's object counts to the namespace's quota usage. */
  addMember(namespace: string, member: string, consumption: ResourceAmounts = {}): void {
    const ns = this.namespaces.get(namespace);
    if (!ns) return;
    ns.members.add(member);
    ns.used = addAmounts(addAmounts(ns.used, consumption), memberCount(member));
  }

  removeMember(namespace: string, member: string, consumption: ResourceAmounts = {}): void {
    const ns = this.namespaces.get(namespace);
    if (!ns) return;
    ns.members.delete(member);
    ns.used = addAmounts(addAmounts(ns.used, consumption, -1), memberCount(member), -1);
  }

  // --- quota ----------------------------------------------------------------------------------

  setQuota(namespace: string, name: string, hard: ResourceAmounts): void {
    this.namespaces.get(namespace)?.quotas.set(name, { name, hard });
  }

  removeQuota(namespace: string, name: string): void {
    this.namespaces.get(namespace)?.quotas.delete(name);
  }

  /** Undefined when the request fits every quota of the namespace, else the API server's message. */
  checkQuota(namespace: string, request: ResourceAmounts): string | undefined {
    const ns = this.namespaces.get(namespace);
    if (!ns) return undefined;
    return checkQuotas(withDefaultStorage([...ns.quotas.values()], this.defaultStorageBytes), ns.used, request);
  }

  /** Changes a member's consumption (a resize): positive deltas must fit the quota. */
  charge(namespace: string, delta: ResourceAmounts): void {
    const ns = this.namespaces.get(namespace);
    if (ns) ns.used = addAmounts(ns.used, delta);
  }

  /** What is left of the quotas that limit these resources. */
  quotaNotes(namespace: string, resources: readonly string[]): string[] {
    const ns = this.namespaces.get(namespace);
    return ns ? quotaLeft(withDefaultStorage([...ns.quotas.values()], this.defaultStorageBytes), ns.used, resources) : [];
  }

  // --- limits and policy ----------------------------------------------------------------------

  setLimitRange(namespace: string, name: string, view: LimitView): void {
    this.namespaces.get(namespace)?.limitRanges.set(name, view);
  }

  removeLimitRange(namespace: string, name: string): void {
    this.namespaces.get(namespace)?.limitRanges.delete(name);
  }

  /** The namespace's LimitRanges combined (tightest bounds, first defaults by name). */
  limits(namespace: string): LimitView {
    const ranges = this.namespaces.get(namespace)?.limitRanges;
    if (!ranges?.size) return NO_LIMITS;
    return combineLimits([...ranges.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v));
  }

  setPolicy(namespace: string, name: string, view: NamespacePolicyView): void {
    const ns = this.namespaces.get(namespace);
    if (ns) ns.policy = { name, view };
  }

  removePolicy(namespace: string): void {
    const ns = this.namespaces.get(namespace);
    if (ns) delete ns.policy;
  }

  /** The namespace's policy, or undefined when it has none (nothing is restricted). */
  policy(namespace: string): NamespacePolicyView | undefined {
    return this.namespaces.get(namespace)?.policy?.view;
  }

  policyName(namespace: string): string | undefined {
    return this.namespaces.get(namespace)?.policy?.name;
  }

  // --- cluster modules ------------------------------------------------------------------------

  /** Hosts already running members of a cluster module. */
  moduleHosts(module: string): ReadonlySet<string> {
    return this.modules.get(module) ?? new Set();
  }

  addModuleHost(module: string, hostId: string): void {
    let hosts = this.modules.get(module);
    if (!hosts) this.modules.set(module, (hosts = new Set()));
    hosts.add(hostId);
  }

  // --- claims ---------------------------------------------------------------------------------

  claim(namespace: string, name: string): ClaimState | undefined {
    return this.claims.get(`${namespace}/${name}`);
  }

  /** Records a claim (keeping the consumers it already has). */
  putClaim(namespace: string, name: string, claim: Omit<ClaimState, 'consumers'>): void {
    const key = `${namespace}/${name}`;
    this.claims.set(key, { ...claim, consumers: this.claims.get(key)?.consumers ?? new Set() });
  }

  removeClaim(namespace: string, name: string): void {
    this.claims.delete(`${namespace}/${name}`);
  }

  addConsumer(namespace: string, claim: string, consumer: string): void {
    this.claims.get(`${namespace}/${claim}`)?.consumers.add(consumer);
  }

  removeConsumer(namespace: string, claim: string, consumer: string): void {
    this.claims.get(`${namespace}/${claim}`)?.consumers.delete(consumer);
  }

  /** A datastore of the storage policy with room for a disk, its space taken in the ledger. */
  placeDisk(storagePolicy: string, bytes: number): TaskResult<{ datastoreId: string; datastore: string }> {
    const placed = this.pickDatastore(storagePolicy, bytes);
    if (placed.ok) this.datastoreFree.set(placed.value.datastoreId, (this.datastoreFree.get(placed.value.datastoreId) ?? 0) - bytes);
    return placed;
  }

  /** Gives a datastore back space (a disk deleted or shrunk in the plan). */
  freeDisk(datastoreId: string, bytes: number): void {
    this.datastoreFree.set(datastoreId, (this.datastoreFree.get(datastoreId) ?? 0) + bytes);
  }

  private pickDatastore(storagePolicy: string, bytes: number): TaskResult<{ datastoreId: string; datastore: string }> {
    const policy = this.inventory.list('StoragePolicy').find((p) => p.name === storagePolicy);
    if (!policy) return fail('NotFound', `storage policy ${storagePolicy} not found`);
    const [best] = policy.datastores.map((id) => ({ id, free: this.datastoreFree.get(id) ?? 0 })).sort((a, b) => b.free - a.free || a.id.localeCompare(b.id));
    if (!best || best.free < bytes) return fail('InsufficientResources', `no datastore of storage policy ${storagePolicy} has ${formatBytes(bytes)} free (largest free: ${formatBytes(best?.free ?? 0)})`);
    return ok({ datastoreId: best.id, datastore: this.inventory.get('Datastore', best.id)!.name });
  }

  // --- classes --------------------------------------------------------------------------------

  /** The class a VM in `namespace` gets for `name`: the namespace's own, else the vCenter class. */
  resolveClass(namespace: string, name: string): ClassSize | undefined {
    return this.classes.get(`${namespace}/${name}`) ?? this.classes.get(`/${name}`);
  }

  /** True when the class is declared in the namespace itself (always usable by its VMs). */
  isNamespaceClass(namespace: string, name: string): boolean {
    return this.classes.has(`${namespace}/${name}`);
  }

  putClass(namespace: string, vmClass: ClassSize): void {
    this.classes.set(`${namespace}/${vmClass.name}`, vmClass);
  }

  removeClass(namespace: string, name: string): void {
    this.classes.delete(`${namespace}/${name}`);
  }

  // --- capacity -------------------------------------------------------------------------------

  /** Chooses a host for a workload without disks of its own (a vSphere Pod). */
  placeOnHost(req: PlacementRequest): TaskResult<{ hostId: string; host: string }> {
    const host = placeVm(this.hosts.values(), req, this.seed, this.haFailures);
    return host.ok ? ok({ hostId: host.value.host.id, host: host.value.host.name }) : host;
  }

  /** Chooses a host (DRS-like) and a datastore of the storage policy with room for the disk. */
  place(req: PlacementRequest, storagePolicy: string, diskBytes: number): TaskResult<PlacedVm> {
    const datastore = this.pickDatastore(storagePolicy, diskBytes);
    if (!datastore.ok) return datastore;
    const host = placeVm(this.hosts.values(), req, this.seed, this.haFailures);
    if (!host.ok) return host;
    return ok({ hostId: host.value.host.id, host: host.value.host.name, ...datastore.value });
  }

  /** Records a placed VM's load on its host and its disk on its datastore. */
  commitPlacement(placed: Pick<PlacedVm, 'hostId' | 'datastoreId'>, req: PlacementRequest, diskBytes: number): void {
    const u = this.hosts.get(placed.hostId);
    if (u) addLoad(u, loadOn(u.host, req));
    this.datastoreFree.set(placed.datastoreId, (this.datastoreFree.get(placed.datastoreId) ?? 0) - diskBytes);
  }

  /** Undefined when a workload already on `hostId` can power on with this reservation, else why not. */
  checkPowerOn(hostId: string, req: PlacementRequest): string | undefined {
    const u = this.hosts.get(hostId);
    if (!u) return `host ${hostId} not found`;
    const slotTaken = req.workload === 'pod' ? { pods: u.pods - 1 } : { vms: u.vms - 1 };
    return hostRejection({ ...u, ...slotTaken }, req) ?? haAdmission([...this.hosts.values()], req, this.haFailures);
  }

  /** Adds (1) or removes (-1) a VM's running load on a host (power-on, power-off, delete). */
  adjustHost(hostId: string, req: PlacementRequest, sign: 1 | -1, slot: boolean): void {
    const u = this.hosts.get(hostId);
    if (!u) return;
    addLoad(u, loadOn(u.host, req), sign);
    if (!slot) {
      if (req.workload === 'pod') u.pods -= sign;
      else u.vms -= sign;
    }
  }
}
