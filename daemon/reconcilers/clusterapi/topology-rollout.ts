/**
 * The order Cluster API's topology controller rolls a cluster change out in: the control plane
 * first, then the worker pools one at a time, in the order the topology lists them (the default
 * upgrade concurrency of 1). A part waits at its live template while another rolls, so a cluster
 * never has more than one extra machine. Scaling is never held. Pure over the live inventory.
 */
import { findKubeObject, kubeObjects } from '../../inventory/kube-object.js';
import type { KubeObject } from '../../inventory/model/workloads.js';
import type { InventoryReader } from '../../inventory/registry.js';
import { podTemplateHash } from '../supervisor/pod-names.js';
import { shapeTemplate } from './machine-shape.js';
import type { GuestCluster } from './guest-cluster.js';
import { isRunning, machinesOwnedBy } from './machines.js';
import { CLONED_FROM_ANNOTATION, CLUSTER_NAME_LABEL, CONTROL_PLANE_LABEL, controlPlaneName, machineDeploymentName } from './names.js';
import type { VSphereMachineTemplateSpecV1beta1 } from '../../manifests/kinds.generated.js';
import { liveSpecOf } from '../../manifests/typed-spec.js';

/** A part kept at what runs: its version, template name and (for the template object) its shape. */
export interface HeldPart {
  readonly version: string;
  readonly template: string;
  readonly shape?: MachineShape | undefined;
}

/** The infrastructure spec a VSphereMachineTemplate holds. */
export type MachineShape = VSphereMachineTemplateSpecV1beta1['template']['spec'];

export interface RolloutGate {
  readonly controlPlane?: HeldPart;
  /** Worker pools held, by pool name. */
  readonly pools: ReadonlyMap<string, HeldPart>;
}

function liveShape(inventory: InventoryReader, namespace: string, template: string): MachineShape | undefined {
  const live = findKubeObject(inventory, 'VSphereMachineTemplate', namespace, template);
  return (live && liveSpecOf(live.object, 'VSphereMachineTemplate'))?.template?.spec;
}

/** Every machine of a MachineDeployment runs its node from the deployment's current template. */
function deploymentSettled(inventory: InventoryReader, md: KubeObject): boolean {
  const spec = liveSpecOf(md.object, 'MachineDeployment');
  const current = `${md.object.name}-${podTemplateHash(spec?.template)}`;
  const sets = kubeObjects(inventory, 'MachineSet', md.namespace).filter((s) => s.object.owner === `MachineDeployment/${md.namespace}/${md.object.name}`);
  const machines = sets.flatMap((s) => machinesOwnedBy(inventory, md.namespace, 'MachineSet', s.object.name).map((m) => ({ ...m, set: s.object.name })));
  return machines.every((m) => m.set === current && isRunning(m)) && machines.length === (spec?.replicas ?? 0);
}

export function rolloutGate(inventory: InventoryReader, cluster: GuestCluster): RolloutGate {
  const ns = cluster.namespace;
  const kcpName = controlPlaneName(cluster.name);
  const kcp = findKubeObject(inventory, 'KubeadmControlPlane', ns, kcpName);
  const deployments = new Map(cluster.workers.map((w) => [w.name, findKubeObject(inventory, 'MachineDeployment', ns, machineDeploymentName(cluster.name, w.name))]));
  const rolling = new Set([...deployments].filter(([, md]) => md && !deploymentSettled(inventory, md)).map(([pool]) => pool));

  const cpTemplate = shapeTemplate(cluster, cluster.controlPlane, kcpName);
  const kcpSpec = kcp && liveSpecOf(kcp.object, 'KubeadmControlPlane');
  const cpLive = kcpSpec ? { version: kcpSpec.version ?? '', template: kcpSpec.machineTemplate?.infrastructureRef?.name ?? '' } : undefined;
  const cpChanging = cpLive && (cpLive.version !== cluster.version || cpLive.template !== cpTemplate);
  // The control plane waits for rolling pools; pools wait for the control plane to run the desired version.
  const controlPlane = cpChanging && rolling.size ? { ...cpLive, shape: liveShape(inventory, ns, cpLive.template) } : undefined;
  const cpMachines = kubeObjects(inventory, 'Machine', ns).filter((m) => m.object.labels?.[CLUSTER_NAME_LABEL] === cluster.name && m.object.labels?.[CONTROL_PLANE_LABEL] !== undefined);
  const cpSettled =
    !controlPlane &&
    cpMachines.length === cluster.controlPlane.replicas &&
    cpMachines.every((m) => m.status?.['nodeRef'] && liveSpecOf(m.object, 'Machine')?.version === cluster.version && m.object.annotations?.[CLONED_FROM_ANNOTATION] === cpTemplate);

  const pools = new Map<string, HeldPart>();
  let released = false;
  for (const pool of cluster.workers) {
    const md = deployments.get(pool.name);
    if (!md) continue;
    const live = liveSpecOf(md.object, 'MachineDeployment')?.template?.spec;
    const held = { version: live?.version ?? '', template: live?.infrastructureRef?.name ?? '' };
    const changing = held.version !== cluster.version || held.template !== shapeTemplate(cluster, pool, md.object.name);
    if (!changing) continue;
    if (cpSettled && !released && ![...rolling].some((p) => p !== pool.name)) {
      released = true;
      continue;
    }
    pools.set(pool.name, { ...held, shape: liveShape(inventory, ns, held.template) });
  }
  return { ...(controlPlane ? { controlPlane } : {}), pools };
}
