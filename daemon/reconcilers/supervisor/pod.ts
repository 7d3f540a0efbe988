/**
 * Pod → a vSphere Pod: a pod VM placed by the same DRS-like placement, sized from its containers'
 * limits (LimitRange defaults when absent) with requests as reservations, counted against the
 * namespace quota, at most 1000 per host. Pods are immutable but for what Kubernetes lets change.
 */
import type { Pod } from '../../inventory/model/workloads.js';
import type { StoredObject } from '../../inventory/model/stored-object.js';
import type { InventoryReader } from '../../inventory/registry.js';
import { createPod, deletePod, podRequest, recordPodObject } from '../../inventory/pod.js';
import { kubeObjects } from '../../inventory/kube-object.js';
import { fail, ok } from '../../inventory/model/faults.js';
import type { ManifestObject } from '../../manifests/types.js';
import { diffValues } from '../../plan/diff-fields.js';
import type { Admission, FieldChange, KindReconciler, ObservedObject, PlanContext } from '../../plan/contract.js';
import { setCrypto } from '../../inventory/crypto.js';
import { migrate } from '../../inventory/vmotion.js';
import { encryptionFields, encryptionNote, placementFields } from '../shared/namespace-effects.js';
import { requiredCryptoOf } from '../../inventory/namespace-policy.js';
import { podConsumption } from '../../capacity/consumption.js';
import { hostsOf } from '../shared/namespace-rules.js';
import { admitClaims, claimNames, recordClaims, syncAttachments } from '../shared/volumes.js';
import { ALLOWED, comparableObject, condition, observed, refused, storedObject } from '../../plan/contract.js';
import { combineLimits, NO_LIMITS, limitView, type LimitView } from '../../capacity/limits.js';
import { podSize, unsupportedFeatures } from './pod-sizing.js';
import type { PodSpecV1 } from '../../manifests/kinds.generated.js';
import { liveSpecOf, specOf } from '../../manifests/typed-spec.js';

/** The namespace's LimitRanges as they are in the inventory (what an apply step sizes a pod with). */
export function liveLimits(inventory: InventoryReader, namespace: string): LimitView {
  const ranges = kubeObjects(inventory, 'LimitRange', namespace).sort((a, b) => a.name.localeCompare(b.name));
  return ranges.length ? combineLimits(ranges.map((r) => limitView(liveSpecOf(r.object, 'LimitRange')))) : NO_LIMITS;
}

/** The fields Kubernetes lets a pod update change; everything else is immutable. */
function immutablePart(spec: Partial<PodSpecV1>): unknown {
  const strip = (containers: unknown) => (Array.isArray(containers) ? containers.map(({ image: _image, ...rest }) => rest) : containers);
  const { activeDeadlineSeconds: _a, tolerations: _t, terminationGracePeriodSeconds: _g, containers, initContainers, ...rest } = spec;
  return { ...rest, containers: strip(containers), initContainers: strip(initContainers) };
}

const IMMUTABLE_MESSAGE =
  'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

function admitCreate(desired: ManifestObject, ctx: PlanContext): Admission {
  const { ledger } = ctx;
  if (!ledger.hasNamespace(desired.namespace)) return refused('NamespaceNotFound', `namespace ${desired.namespace} not found`);
  const spec = specOf(desired, 'Pod');
  const features = unsupportedFeatures(spec);
  if (features.refusal) return refused('Forbidden', features.refusal);
  const sized = podSize(spec, ledger.limits(desired.namespace));
  if ('violation' in sized) return refused('LimitRangeViolation', `pods "${desired.name}" is forbidden: ${sized.violation}`);
  const claims = claimNames(spec);
  const claimVerdict = admitClaims(desired.namespace, desired.key, claims, ledger);
  if (claimVerdict) return claimVerdict;
  const consumption = podConsumption(sized.size);
  const overQuota = ledger.checkQuota(desired.namespace, consumption);
  if (overQuota) return refused('QuotaExceeded', `pods "${desired.name}" is forbidden: ${overQuota}`);
  const req = podRequest(desired.key, sized.size, hostsOf(desired.namespace, ctx).allowedHosts);
  const placed = ledger.placeOnHost(req);
  if (!placed.ok) return refused(placed.error.fault === 'NoAvailableHosts' ? 'NoAvailableHosts' : 'InsufficientResources', placed.error.message);
  ledger.addMember(desired.namespace, desired.key, consumption);
  ledger.commitPlacement({ hostId: placed.value.hostId, datastoreId: '' }, req, 0);
  recordClaims(desired.namespace, desired.key, claims, ledger);
  const size = sized.size;
  return {
    allowed: true,
    placement: { host: placed.value.host },
    notes: [
      `pod VM ${size.cpus} vCPU, ${Math.round(size.memoryBytes / 2 ** 20)} MiB; reserves ${size.cpuReservationMillis}m CPU, ${Math.round(size.memoryReservationBytes / 2 ** 20)} MiB`,
      ...encryptionNote(desired.namespace, ctx),
      ...ledger.quotaNotes(desired.namespace, Object.keys(consumption)),
    ],
    ...(features.warnings.length ? { warnings: features.warnings } : {}),
  };
}

function admitUpdate(desired: ManifestObject, live: ObservedObject, fields: readonly FieldChange[], ctx: PlanContext): Admission {
  const before = immutablePart(liveSpecOf(live.object, 'Pod') ?? {});
  const after = immutablePart(specOf(desired, 'Pod'));
  if (diffValues(before, after).length) return refused('Forbidden', `Pod "${desired.name}" is invalid: ${IMMUTABLE_MESSAGE}`);
  if (!fields.some((f) => f.path === 'status.host')) return ALLOWED;
  // The namespace's placement no longer allows the pod's host: it moves by vMotion.
  const pod = live.entity as Pod;
  const moving = podRequest(live.key, pod, hostsOf(desired.namespace, ctx).allowedHosts);
  const target = ctx.ledger.placeOnHost(moving);
  if (!target.ok) return refused('InsufficientResources', `cannot move to the namespace's hosts: ${target.error.message}`);
  ctx.ledger.adjustHost(pod.host, moving, -1, true);
  ctx.ledger.commitPlacement({ hostId: target.value.hostId, datastoreId: '' }, moving, 0);
  return { allowed: true, placement: { host: target.value.host }, notes: [`vMotion to ${target.value.host} (namespace placement)`] };
}

export const podReconciler: KindReconciler = {
  group: '',
  kind: 'Pod',

  observe: (inventory) => inventory.list('Pod').map((p) => observed('', p)),

  seed(live, ledger) {
    ledger.addMember(live.namespace, live.key, podConsumption(live.entity as Pod));
    recordClaims(live.namespace, live.key, claimNames(liveSpecOf(live.object, 'Pod')), ledger);
  },

  compare(desired, live, ctx) {
    const fields = diffValues(live && comparableObject(live.object, ctx), comparableObject(storedObject(desired), ctx));
    if (!live) return fields;
    const pod = live.entity as Pod;
    const hostName = ctx.inventory.get('Host', pod.host)?.name ?? pod.host;
    return [...fields, ...encryptionFields(pod.crypto, desired.namespace, ctx), ...placementFields(hostName, pod.migration, desired.namespace, ctx)];
  },

  admit: (desired, live, fields, ctx) => (live ? admitUpdate(desired, live, fields, ctx) : admitCreate(desired, ctx)),

  admitDelete(live, { ledger }) {
    const pod = live.entity as Pod;
    ledger.removeMember(live.namespace, live.key, podConsumption(pod));
    ledger.adjustHost(pod.host, podRequest(live.key, pod), -1, true);
    recordClaims(live.namespace, live.key, [], ledger, claimNames(liveSpecOf(live.object, 'Pod')));
    return ALLOWED;
  },

  apply(change, registry, ctx) {
    const pod = registry.find('Pod', change.namespace, change.name);
    if (change.action === 'delete') return pod ? deletePod(registry, pod) : ok(undefined);
    const object: StoredObject = storedObject(change.desired!);
    const crypto = requiredCryptoOf(registry, object.namespace);
    if (pod) {
      let updated = recordPodObject(registry, pod, object);
      if (crypto && change.fields.some((f) => f.path.startsWith('status.crypto'))) updated = setCrypto(registry, updated, crypto);
      const host = change.fields.some((f) => f.path === 'status.host') && registry.list('Host').find((h) => h.name === change.admission.placement?.host);
      return host ? migrate(registry, updated, host.id, ctx.now, 'namespace placement') : ok(updated);
    }
    const sized = podSize(specOf(change.desired!, 'Pod'), liveLimits(registry, object.namespace));
    if ('violation' in sized) return fail('InvalidArgument', sized.violation);
    const host = registry.list('Host').find((h) => h.name === change.admission.placement?.host);
    if (!host) return fail('NoAvailableHosts', 'the plan carries no placement for this pod');
    const created = createPod(registry, object, sized.size, host.id, ctx.now);
    if (!created.ok) return created;
    if (crypto) setCrypto(registry, created.value, crypto);
    return syncAttachments(registry, object.namespace, created.value.id, claimNames(specOf(change.desired!, 'Pod')));
  },

  status(_desired, live, inventory, problem) {
    if (!live) return { conditions: [condition('PodScheduled', 'False', problem?.reason ?? 'Pending', problem?.message ?? 'waiting to be scheduled')] };
    const pod = live.entity as Pod;
    const host = inventory.get('Host', pod.host)?.name ?? pod.host;
    return {
      conditions: [
        condition('PodScheduled', 'True', 'Scheduled', `pod VM ${pod.id} on ${host}`),
        pod.recovery
          ? condition('ContainersReady', 'False', pod.recovery.state === 'restarting' ? 'HaRestarting' : 'WaitingForHost', `${pod.recovery.reason === 'host-failure' ? 'host failure' : 'maintenance mode'} (priority ${pod.recovery.priority})`)
          : pod.phase === 'Running'
            ? condition('ContainersReady', 'True', 'Running')
            : condition('ContainersReady', 'False', 'ContainerCreating', 'the pod VM is starting'),
      ],
      fields: {
        phase: pod.phase,
        nodeName: host,
        podIP: pod.ip ?? null,
        ...(pod.startedAt ? { startTime: new Date(pod.startedAt).toISOString() } : {}),
        podVM: { id: pod.id, cpus: pod.cpus, memory: `${Math.round(pod.memoryBytes / 2 ** 20)}Mi`, ...(pod.crypto ? { crypto: pod.crypto } : {}) },
      },
    };
  },
};
