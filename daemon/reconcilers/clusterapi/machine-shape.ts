/** A machine shape: the infrastructure spec a VSphereMachineTemplate holds, and the template's name. */
import { vmiName } from '../../inventory/content-library.js';
import { nodeImageItem, releaseByVersion } from '../../catalog/kubernetes-releases.js';
import type { GuestCluster, MachinePool } from './guest-cluster.js';
import { templateName } from './names.js';

/** The infrastructure spec of one machine shape (what a VSphereMachineTemplate holds). */
export function machineShape(cluster: GuestCluster, pool: MachinePool): Record<string, unknown> {
  const release = releaseByVersion(cluster.version)!;
  return {
    className: pool.vmClass,
    imageName: vmiName(nodeImageItem(release).uuid),
    storageClass: pool.storageClass,
    ...(pool.volumes.length ? { volumes: pool.volumes.map((v) => ({ name: v.name, capacity: { storage: v.capacity }, ...(v.storageClass ? { storageClass: v.storageClass } : {}) })) } : {}),
  };
}

/** The template name of a pool's current shape. */
export function shapeTemplate(cluster: GuestCluster, pool: MachinePool, owner: string): string {
  return templateName(owner, machineShape(cluster, pool));
}
