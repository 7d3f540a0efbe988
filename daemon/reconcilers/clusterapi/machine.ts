/**
 * Machine → VSphereMachine (+ its bootstrap data Secret) → VirtualMachine (+ a claim per node
 * volume), as Cluster API, the kubeadm bootstrap provider and CAPV in Supervisor mode do it.
 * A machine is immutable: its VSphereMachine keeps the shape it was cloned with; a new shape is a
 * new machine. Workers get their bootstrap data (and so their VMs) once the control plane has
 * initialized, which is why they wait for the first control-plane node.
 */
import { findKubeObject, kubeObjects } from '../../inventory/kube-object.js';
import { ok } from '../../inventory/model/faults.js';
import type { InventoryReader } from '../../inventory/registry.js';
import { objectKey, type ManifestObject } from '../../manifests/types.js';
import { derivedObject } from '../shared/derived.js';
import { kubeObjectReconciler } from '../shared/kube-object.js';
import { condition } from '../../plan/contract.js';
import { CLUSTER_MODULE_ANNOTATION } from '../vmoperator/virtual-machine-set-resource-policy.js';
import { machinePhase } from './machines.js';
import { liveSpecOf, specOf } from '../../manifests/typed-spec.js';
import {
  CAPI,
  CLONED_FROM_ANNOTATION,
  CLUSTER_NAME_LABEL,
  CONTROL_PLANE_LABEL,
  CONTROL_PLANE_MODULE,
  DEPLOYMENT_NAME_LABEL,
  VM_CLUSTER_LABEL,
  VM_OPERATOR_API,
  VM_ROLE_LABEL,
  VSPHERE_API,
} from './names.js';

const VSPHERE_GROUP = 'vmware.infrastructure.cluster.x-k8s.io';
const CAPI_GROUP = 'cluster.x-k8s.io';

interface Meta {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A Machine of a control plane or a MachineSet, at a version, cloned from an infrastructure template. */
export function machineObject(owner: ManifestObject, name: string, m: { cluster: string; version: string; template: string; labels: Record<string, string>; failureDomain?: string | undefined }): ManifestObject {
  return derivedObject(owner, CAPI, 'Machine', name, {
    metadata: { labels: { [CLUSTER_NAME_LABEL]: m.cluster, ...m.labels }, annotations: { [CLONED_FROM_ANNOTATION]: m.template } },
    spec: {
      clusterName: m.cluster,
      version: m.version,
      bootstrap: { dataSecretName: name },
      infrastructureRef: { apiVersion: VSPHERE_API, kind: 'VSphereMachine', name },
      ...(m.failureDomain ? { failureDomain: m.failureDomain } : {}),
    },
  });
}

/** True once a control-plane node of the cluster has joined (kubeadm init has run). */
export function controlPlaneInitialized(inventory: InventoryReader, namespace: string, cluster: string): boolean {
  return kubeObjects(inventory, 'Machine', namespace).some(
    (m) => m.object.labels?.[CLUSTER_NAME_LABEL] === cluster && m.object.labels?.[CONTROL_PLANE_LABEL] !== undefined && m.status?.['nodeRef'],
  );
}

/** `controlPlaneInitialized` once per plan (keyed by its desired objects) and cluster: asked once per Machine, it scanned every Machine (10,000 nodes: quadratic). */
const initializedByPlan = new WeakMap<object, Map<string, boolean>>();

function initializedInThisPlan(plan: object, inventory: InventoryReader, namespace: string, cluster: string): boolean {
  let known = initializedByPlan.get(plan);
  if (!known) initializedByPlan.set(plan, (known = new Map()));
  const key = `${namespace}\u0000${cluster}`;
  let initialized = known.get(key);
  if (initialized === undefined) known.set(key, (initialized = controlPlaneInitialized(inventory, namespace, cluster)));
  return initialized;
}

const isControlPlane = (meta: Meta) => meta.labels?.[CONTROL_PLANE_LABEL] !== undefined;

/** The cloud-config kubeadm's bootstrap provider writes: init on the first control-plane node, join elsewhere. */
function bootstrapData(role: 'init' | 'control-plane' | 'worker', cluster: string): string {
  const command = role === 'init' ? 'kubeadm init --config /run/kubeadm/kubeadm.yaml' : `kubeadm join --config /run/kubeadm/kubeadm-join-config.yaml${role === 'control-plane' ? ' --control-plane' : ''}`;
  return `## template: jinja\n#cloud-config\n# cluster ${cluster}\nruncmd:\n- ${command}\n`;
}

export const machineReconciler = kubeObjectReconciler({
  group: CAPI_GROUP,
  kind: 'Machine',
  derive(machine, { inventory, desired }) {
    const meta = (machine.body['metadata'] ?? {}) as Meta;
    const spec = specOf(machine, 'Machine');
    const cluster = spec.clusterName ?? '';
    const children: ManifestObject[] = [];
    const liveInfra = findKubeObject(inventory, 'VSphereMachine', machine.namespace, machine.name);
    const template = desired.get(objectKey(VSPHERE_GROUP, 'VSphereMachineTemplate', machine.namespace, meta.annotations?.[CLONED_FROM_ANNOTATION] ?? ''));
    const shape = (liveInfra && liveSpecOf(liveInfra.object, 'VSphereMachine')) ?? (template && specOf(template, 'VSphereMachineTemplate').template.spec);
    // An outdated machine whose shape is gone and that never got its VSphereMachine is replaced, not completed.
    if (shape) {
      children.push(
        derivedObject(machine, VSPHERE_API, 'VSphereMachine', machine.name, {
          metadata: { labels: meta.labels, annotations: meta.annotations },
          spec: { ...shape, ...(spec.failureDomain ? { failureDomain: spec.failureDomain } : {}) },
        }),
      );
    }
    const liveData = findKubeObject(inventory, 'Secret', machine.namespace, machine.name)?.object.extra?.['data'];
    const initialized = initializedInThisPlan(desired, inventory, machine.namespace, cluster);
    if (liveData || isControlPlane(meta) || initialized) {
      const role = isControlPlane(meta) ? (initialized ? 'control-plane' : 'init') : 'worker';
      children.push(
        derivedObject(machine, 'v1', 'Secret', spec.bootstrap?.dataSecretName ?? machine.name, {
          metadata: { labels: { [CLUSTER_NAME_LABEL]: cluster } },
          type: 'cluster.x-k8s.io/secret',
          // Bootstrap data is written once: a joined node keeps the data it booted with.
          data: liveData ?? { value: Buffer.from(bootstrapData(role, cluster)).toString('base64'), format: Buffer.from('cloud-config').toString('base64') },
        }),
      );
    }
    return children;
  },
  afterApply(object, change, registry, ctx) {
    // The creation time orders which machines a scale-down or a rollout removes.
    const stored = object && change.action === 'create' ? findKubeObject(registry, 'Machine', object.namespace, object.name) : undefined;
    if (stored && stored.status?.['createdAt'] === undefined) registry.put({ ...stored, status: { ...stored.status, createdAt: ctx.now } });
    return ok(undefined);
  },
  status(desired, live, inventory) {
    const phase = machinePhase(inventory, live);
    const vm = inventory.find('VirtualMachine', desired.namespace, desired.name);
    const ready = phase === 'Running';
    const bootstrap = !!findKubeObject(inventory, 'Secret', desired.namespace, desired.name);
    return {
      conditions: [
        condition('BootstrapReady', bootstrap ? 'True' : 'False', bootstrap ? 'DataSecretAvailable' : 'WaitingForControlPlaneInitialized'),
        condition('InfrastructureReady', vm?.powerState === 'PoweredOn' ? 'True' : 'False', vm ? vm.powerState : 'WaitingForVirtualMachine'),
        condition('NodeHealthy', ready ? 'True' : 'False', ready ? 'NodeReady' : 'NodeProvisioning'),
      ],
      fields: {
        phase,
        ...(vm ? { providerID: `vsphere://${vm.biosUUID}`, addresses: vm.ip ? [{ type: 'InternalIP', address: vm.ip }] : [] } : {}),
        ...(live.status?.['nodeRef'] ? { nodeRef: live.status['nodeRef'] } : {}),
      },
    };
  },
});

export const vsphereMachineReconciler = kubeObjectReconciler({
  group: VSPHERE_GROUP,
  kind: 'VSphereMachine',
  derive(infra, { inventory, desired }) {
    const meta = (infra.body['metadata'] ?? {}) as Meta;
    const spec = specOf(infra, 'VSphereMachine');
    // CAPV creates the VM once the bootstrap data exists.
    if (!desired.has(objectKey('', 'Secret', infra.namespace, infra.name)) && !findKubeObject(inventory, 'Secret', infra.namespace, infra.name)) return [];
    const cluster = meta.labels?.[CLUSTER_NAME_LABEL] ?? '';
    const controlPlane = isControlPlane(meta);
    const claims = (spec.volumes ?? []).map((v) => ({ volume: v.name, claim: `${infra.name}-${v.name}`, storage: v.capacity.storage, storageClass: v.storageClass ?? spec.storageClass }));
    return [
      ...claims.map((c) =>
        derivedObject(infra, 'v1', 'PersistentVolumeClaim', c.claim, {
          metadata: { labels: { [CLUSTER_NAME_LABEL]: cluster } },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: c.storage } }, storageClassName: c.storageClass },
        }),
      ),
      derivedObject(infra, VM_OPERATOR_API, 'VirtualMachine', infra.name, {
        metadata: {
          labels: { [CLUSTER_NAME_LABEL]: cluster, [VM_CLUSTER_LABEL]: cluster, [VM_ROLE_LABEL]: controlPlane ? 'controlplane' : 'node' },
          annotations: { [CLUSTER_MODULE_ANNOTATION]: controlPlane ? CONTROL_PLANE_MODULE : (meta.labels?.[DEPLOYMENT_NAME_LABEL] ?? '') },
        },
        spec: {
          className: spec.className,
          imageName: spec.imageName,
          storageClass: spec.storageClass,
          powerState: 'PoweredOn',
          reserved: { resourcePolicyName: cluster },
          bootstrap: { cloudInit: { rawCloudConfig: { name: infra.name, key: 'value' } } },
          ...(claims.length ? { volumes: claims.map((c) => ({ name: c.volume, persistentVolumeClaim: { claimName: c.claim } })) } : {}),
        },
      }),
    ];
  },
  status(desired, _live, inventory) {
    const vm = inventory.find('VirtualMachine', desired.namespace, desired.name);
    const ready = vm?.powerState === 'PoweredOn' && !!vm.ip;
    return {
      conditions: [condition('VMProvisioned', ready ? 'True' : 'False', ready ? 'VirtualMachineReady' : vm ? 'VirtualMachineStarting' : 'WaitingForBootstrapData')],
      fields: { ready, ...(vm ? { providerID: `vsphere://${vm.biosUUID}`, vmStatus: ready ? 'ready' : 'pending', ...(vm.ip ? { vmIp: vm.ip } : {}) } : {}) },
    };
  },
});

/** A machine shape; machines copy it when they are created. */
export const vsphereMachineTemplateReconciler = kubeObjectReconciler({ group: VSPHERE_GROUP, kind: 'VSphereMachineTemplate' });
