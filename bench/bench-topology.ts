/**
 * A topology file big enough to place every generated VM: the default (4 hosts, 1024 VMs each,
 * 16 TiB vSAN) holds 4k VMs at most. Generated VMs are best-effort (no reservation), so hosts are
 * bounded by their VM count and the datastore by each VM's 10 GiB image disk.
 */
import { writeFileSync } from 'node:fs';

/** VMs per host the bench aims for, under ESXi's 1024 maximum so placement never runs out. */
const VMS_PER_HOST = 640;
/** Datastore room per VM: the ubuntu image disk (10 GiB) with headroom. */
const GIB_PER_VM = 16;

/** Hosts and datastore capacity for `vms` VMs (at least the default's 4 hosts). */
export function benchCapacity(vms: number): { hosts: number; datastoreGi: number } {
  return { hosts: Math.max(4, Math.ceil(vms / VMS_PER_HOST)), datastoreGi: Math.max(16 * 1024, vms * GIB_PER_VM) };
}

/** Writes the topology YAML for `vms` VMs to `path`; returns what it declares. */
export function writeBenchTopology(path: string, vms: number): { hosts: number; datastoreGi: number } {
  const capacity = benchCapacity(vms);
  writeFileSync(
    path,
    `apiVersion: pacific.dev/v1alpha1
kind: Topology
cluster:
  name: supervisor-cluster
  hosts:
    - count: ${capacity.hosts}
      cpuCores: 48
      cpuMhz: 2600
      memory: 512Gi
      maxVms: 1024
datastores:
  # Keeps the default's name: the default storage policy points at it.
  - name: vsanDatastore
    type: vsan
    capacity: ${capacity.datastoreGi}Gi
`,
  );
  return capacity;
}
