/**
 * Generated GitOps repos for benchmarks and crash tests: namespaces with quotas in the admin area
 * and VMs in tenant folders, laid out like the sample repo.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RepoShape {
  readonly namespaces: number;
  readonly vmsPerNamespace: number;
  /** One file per VM (realistic for large repos) or one multi-document file per namespace. */
  readonly filePerVm: boolean;
}

const CLASSES = ['best-effort-xsmall', 'best-effort-small', 'best-effort-xsmall', 'best-effort-medium'];

export function namespaceName(i: number): string {
  return `ns-${String(i).padStart(4, '0')}`;
}

export function vmName(i: number): string {
  return `vm-${String(i).padStart(5, '0')}`;
}

/** One VirtualMachine manifest (about 900 bytes with its comment block, like a hand-written one). */
export function vmManifest(namespace: string, name: string, i: number, className = CLASSES[i % CLASSES.length]!): string {
  return `# ${name}: generated workload ${i} of ${namespace}.
# Owned by the ${namespace} team; see the runbook before changing its class or power state.
apiVersion: vmoperator.vmware.com/v1alpha3
kind: VirtualMachine
metadata:
  name: ${name}
  namespace: ${namespace}
  labels:
    app: app-${i % 17}
    tier: ${i % 3 === 0 ? 'db' : 'web'}
    generated-by: pacific-bench
  annotations:
    pacific.dev/owner: team-${namespace}
spec:
  className: ${className}
  imageName: ubuntu-22.04-cloudimg
  storageClass: vsan-default-storage-policy
  powerState: PoweredOn
  bootstrap:
    cloudInit:
      cloudConfig:
        users:
          - name: ops
            shell: /bin/bash
            sudo: ALL=(ALL) NOPASSWD:ALL
        runcmd:
          - echo ${name} > /etc/hostname
`;
}

export function namespaceManifest(namespace: string): string {
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ${namespace}
---
apiVersion: v1
kind: ResourceQuota
metadata:
  name: compute
  namespace: ${namespace}
spec:
  hard:
    limits.cpu: "400"
    limits.memory: 1600Gi
`;
}

/** Writes a repo of `namespaces × vmsPerNamespace` VMs into `dir`; returns the VM count. */
export function generateRepo(dir: string, shape: RepoShape): number {
  let n = 0;
  mkdirSync(join(dir, 'platform', 'namespaces'), { recursive: true });
  for (let ns = 0; ns < shape.namespaces; ns++) {
    const namespace = namespaceName(ns);
    writeFileSync(join(dir, 'platform', 'namespaces', `${namespace}.yaml`), namespaceManifest(namespace));
    const folder = join(dir, 'namespaces', namespace);
    mkdirSync(folder, { recursive: true });
    const docs: string[] = [];
    for (let v = 0; v < shape.vmsPerNamespace; v++, n++) {
      const manifest = vmManifest(namespace, vmName(n), n);
      if (shape.filePerVm) writeFileSync(join(folder, `${vmName(n)}.yaml`), manifest);
      else docs.push(manifest);
    }
    if (!shape.filePerVm) writeFileSync(join(folder, 'virtual-machines.yaml'), docs.join('---\n'));
  }
  return n;
}
