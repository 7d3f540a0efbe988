/** KubeadmControlPlane → control-plane Machines, one step per pass (see control-plane-rollout.ts). */
import { kubeObjectReconciler } from '../shared/kube-object.js';
import { condition } from '../../plan/contract.js';
import { controlPlaneStep } from './control-plane-rollout.js';
import { isRunning, machinesOwnedBy, type LiveMachine } from './machines.js';
import { machineObject } from './machine.js';
import { CONTROL_PLANE_LABEL, CONTROL_PLANE_NAME_LABEL, machineName } from './names.js';
import type { KubeadmControlPlaneSpecV1beta1 } from '../../manifests/kinds.generated.js';
import { specOf } from '../../manifests/typed-spec.js';

/** Cluster API's default when a control plane leaves `replicas` out (pacific always writes it). */
const replicasOf = (spec: KubeadmControlPlaneSpecV1beta1) => spec.replicas ?? 1;

const upToDateWith = (spec: KubeadmControlPlaneSpecV1beta1) => (m: LiveMachine) => m.version === spec.version && m.template === spec.machineTemplate.infrastructureRef.name;

export const kubeadmControlPlaneReconciler = kubeObjectReconciler({
  group: 'controlplane.cluster.x-k8s.io',
  kind: 'KubeadmControlPlane',
  derive(kcp, { inventory }) {
    const spec = specOf(kcp, 'KubeadmControlPlane');
    const cluster = (kcp.body['metadata'] as { labels?: Record<string, string> }).labels?.['cluster.x-k8s.io/cluster-name'] ?? '';
    const live = machinesOwnedBy(inventory, kcp.namespace, 'KubeadmControlPlane', kcp.name);
    const step = controlPlaneStep(replicasOf(spec), live, upToDateWith(spec));
    const labels = { [CONTROL_PLANE_LABEL]: '', [CONTROL_PLANE_NAME_LABEL]: kcp.name };
    const machine = (name: string, version: string, template: string) => machineObject(kcp, name, { cluster, version, template, labels });
    const machines = live.filter((m) => m.name !== step.remove).map((m) => machine(m.name, m.version, m.template));
    if (step.create) {
      const template = spec.machineTemplate.infrastructureRef.name ?? '';
      const taken = new Set(live.map((m) => m.name));
      let ordinal = 0;
      // Names of a new template's machines never repeat an old machine's, so a replacement is visibly new.
      while (taken.has(machineName(kcp.name, `${template}/${spec.version}`, ordinal))) ordinal++;
      machines.push(machine(machineName(kcp.name, `${template}/${spec.version}`, ordinal), spec.version, template));
    }
    return machines;
  },
  status(desired, _live, inventory) {
    const spec = specOf(desired, 'KubeadmControlPlane');
    const replicas = replicasOf(spec);
    const machines = machinesOwnedBy(inventory, desired.namespace, 'KubeadmControlPlane', desired.name);
    const ready = machines.filter(isRunning).length;
    const updated = machines.filter(upToDateWith(spec)).length;
    const initialized = ready > 0;
    return {
      conditions: [
        condition('Available', ready >= replicas ? 'True' : 'False', ready >= replicas ? 'Available' : 'WaitingForMachines', `${ready} of ${replicas} control-plane machines running`),
        condition('MachinesUpToDate', updated === replicas && machines.length === replicas ? 'True' : 'False', updated === replicas ? 'UpToDate' : 'RollingUpdateInProgress', `${updated} of ${replicas} machines at ${spec.version}`),
      ],
      fields: { initialized, ready: ready >= replicas, replicas: machines.length, readyReplicas: ready, updatedReplicas: updated, version: spec.version },
    };
  },
});
