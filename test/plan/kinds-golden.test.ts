/**
 * The plan text of every served kind, as golden files: a commit that creates one object of the kind
 * (with what it needs), then, once applied, a commit that changes it. A kind served without a case
 * here fails the first test. Refresh with `UPDATE_GOLDEN=1 npx vitest run test/plan`.
 */
import { describe, expect, it } from 'vitest';
import { servedKindDefinitions } from '../../daemon/manifests/definitions/index.js';
import { renderPlanText } from '../../daemon/plan/render.js';
import { clusterYaml, tkcYaml } from '../support/clusters.js';
import { manifests, namespaceYaml, planOf, useInventoryStore, vmYaml } from '../support/fixtures.js';
import { planAndApply } from '../support/reconcile.js';
import { deploymentYaml, limitRangeYaml, podYaml } from '../reconcilers/supervisor/workloads.js';

const ctx = useInventoryStore();

type Files = Record<string, string>;

interface KindCase {
  /** The commit that creates the object (a namespace `team-a` is added). */
  readonly create: Files;
  /** The files the next commit changes. */
  readonly change: Files;
}

const VMOP = 'vmoperator.vmware.com/v1alpha3';
const UBUNTU_IMAGE = 'vmi-4c5eccc804d750271';
const vm = vmYaml('team-a', 'web', { labels: { app: 'web' } });

const CASES: Readonly<Record<string, KindCase>> = {
  '/Namespace': { create: {}, change: { 'ns.yaml': namespaceYaml('team-a').replace('metadata:\n', 'metadata:\n  labels: {tier: gold}\n') } },
  '/ResourceQuota': { create: { 'ns.yaml': namespaceYaml('team-a', { 'limits.cpu': 10 }) }, change: { 'ns.yaml': namespaceYaml('team-a', { 'limits.cpu': 20 }) } },
  '/LimitRange': {
    create: { 'limits.yaml': limitRangeYaml('team-a', { default: { cpu: '500m', memory: '512Mi' } }) },
    change: { 'limits.yaml': limitRangeYaml('team-a', { default: { cpu: '1', memory: '512Mi' } }) },
  },
  '/Pod': { create: { 'pod.yaml': podYaml('team-a', 'batch', [{ limits: { cpu: '500m', memory: '256Mi' } }]) }, change: { 'pod.yaml': podYaml('team-a', 'batch', [{ limits: { cpu: '1', memory: '256Mi' } }]) } },
  'apps/Deployment': { create: { 'web.yaml': deploymentYaml('team-a', 'web', 2) }, change: { 'web.yaml': deploymentYaml('team-a', 'web', 3) } },
  '/ConfigMap': {
    create: { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: team-a}\ndata: {mode: blue}\n' },
    change: { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: team-a}\ndata: {mode: green}\n' },
  },
  '/Secret': {
    create: { 'secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: team-a}\nstringData: {password: first}\n' },
    change: { 'secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: team-a}\nstringData: {password: second}\n' },
  },
  '/PersistentVolumeClaim': {
    create: { 'pvc.yaml': claim('10Gi') },
    change: { 'pvc.yaml': claim('20Gi') },
  },
  '/Service': {
    create: { 'web.yaml': deploymentYaml('team-a', 'web', 1), 'svc.yaml': service('ClusterIP') },
    change: { 'svc.yaml': service('LoadBalancer') },
  },
  'pacific.dev/NamespacePolicy': {
    create: { 'policy.yaml': 'apiVersion: pacific.dev/v1alpha1\nkind: NamespacePolicy\nmetadata: {name: policy, namespace: team-a}\nspec:\n  contentLibraries: [pacific-images]\n' },
    change: { 'policy.yaml': 'apiVersion: pacific.dev/v1alpha1\nkind: NamespacePolicy\nmetadata: {name: policy, namespace: team-a}\nspec:\n  contentLibraries: []\n' },
  },
  'vmoperator.vmware.com/VirtualMachine': { create: { 'vm.yaml': vm }, change: { 'vm.yaml': vmYaml('team-a', 'web', { labels: { app: 'web' }, powerState: 'PoweredOff' }) } },
  'vmoperator.vmware.com/VirtualMachineClass': {
    create: { 'class.yaml': vmClass('2Gi') },
    change: { 'class.yaml': vmClass('4Gi') },
  },
  'vmoperator.vmware.com/VirtualMachineImage': {
    create: { 'image.yaml': `apiVersion: ${VMOP}\nkind: VirtualMachineImage\nmetadata: {name: ${UBUNTU_IMAGE}, namespace: team-a}\n` },
    change: { 'image.yaml': `apiVersion: ${VMOP}\nkind: VirtualMachineImage\nmetadata: {name: ${UBUNTU_IMAGE}, namespace: team-a, labels: {os: ubuntu}}\n` },
  },
  'vmoperator.vmware.com/ClusterVirtualMachineImage': {
    create: { 'image.yaml': `apiVersion: ${VMOP}\nkind: ClusterVirtualMachineImage\nmetadata: {name: ${UBUNTU_IMAGE}}\n` },
    change: { 'image.yaml': `apiVersion: ${VMOP}\nkind: ClusterVirtualMachineImage\nmetadata: {name: ${UBUNTU_IMAGE}, labels: {os: ubuntu}}\n` },
  },
  'vmoperator.vmware.com/VirtualMachineService': {
    create: { 'vm.yaml': vm, 'svc.yaml': vmService(80) },
    change: { 'svc.yaml': vmService(8080) },
  },
  'vmoperator.vmware.com/VirtualMachineSetResourcePolicy': {
    create: { 'policy.yaml': resourcePolicy('1000m') },
    change: { 'policy.yaml': resourcePolicy('2000m') },
  },
  'vmoperator.vmware.com/VirtualMachineSnapshot': {
    create: { 'vm.yaml': vm, 'snapshot.yaml': snapshot('before the upgrade') },
    change: { 'snapshot.yaml': snapshot('before the 1.30 upgrade') },
  },
  'vmoperator.vmware.com/VirtualMachinePublishRequest': {
    // Publishing writes into a shared library: the VI admin's policy names the ones team-a may write.
    create: { 'vm.yaml': vm, 'policy.yaml': 'apiVersion: pacific.dev/v1alpha1\nkind: NamespacePolicy\nmetadata: {name: policy, namespace: team-a}\nspec:\n  writableContentLibraries: [pacific-images]\n', 'publish.yaml': publishRequest('web-image') },
    change: { 'publish.yaml': publishRequest('web-image-2') },
  },
  'vmoperator.vmware.com/VirtualMachineGroup': {
    create: { 'vm.yaml': vm, 'group.yaml': vmGroup('PoweredOn') },
    change: { 'group.yaml': vmGroup('PoweredOff') },
  },
  'cluster.x-k8s.io/Cluster': { create: { 'cluster.yaml': clusterYaml() }, change: { 'cluster.yaml': clusterYaml({ pools: [{ name: 'workers', replicas: 3 }] }) } },
  'run.tanzu.vmware.com/TanzuKubernetesCluster': {
    create: { 'tkc.yaml': tkcYaml({ controlPlane: 1, pools: [{ name: 'np-1', replicas: 1 }] }) },
    change: { 'tkc.yaml': tkcYaml({ controlPlane: 1, pools: [{ name: 'np-1', replicas: 2 }] }) },
  },
};

function claim(size: string): string {
  return `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data, namespace: team-a}\nspec:\n  accessModes: [ReadWriteOnce]\n  storageClassName: vsan-default-storage-policy\n  resources: {requests: {storage: ${size}}}\n`;
}

function service(type: string): string {
  return `apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: team-a}\nspec:\n  type: ${type}\n  selector: {app: web}\n  ports:\n  - {name: http, port: 80, targetPort: 8080}\n`;
}

function vmClass(memory: string): string {
  return `apiVersion: ${VMOP}\nkind: VirtualMachineClass\nmetadata: {name: team-small, namespace: team-a}\nspec:\n  hardware: {cpus: 2, memory: ${memory}}\n`;
}

function vmService(port: number): string {
  return `apiVersion: ${VMOP}\nkind: VirtualMachineService\nmetadata: {name: web, namespace: team-a}\nspec:\n  type: ClusterIP\n  selector: {app: web}\n  ports:\n  - {name: http, port: ${port}, protocol: TCP, targetPort: 8080}\n`;
}

function resourcePolicy(reservation: string): string {
  return `apiVersion: ${VMOP}\nkind: VirtualMachineSetResourcePolicy\nmetadata: {name: control-plane, namespace: team-a}\nspec:\n  resourcePool: {name: pool, reservations: {cpu: ${reservation}}}\n  clusterModuleGroups: [control-plane-group]\n`;
}

function snapshot(description: string): string {
  return `apiVersion: vmoperator.vmware.com/v1alpha5\nkind: VirtualMachineSnapshot\nmetadata: {name: before-upgrade, namespace: team-a}\nspec:\n  vmName: web\n  description: ${description}\n`;
}

function publishRequest(item: string): string {
  return `apiVersion: ${VMOP}\nkind: VirtualMachinePublishRequest\nmetadata: {name: web, namespace: team-a}\nspec:\n  target:\n    location: {name: pacific-images}\n    item: {name: ${item}}\n`;
}

function vmGroup(powerState: string): string {
  return `apiVersion: vmoperator.vmware.com/v1alpha4\nkind: VirtualMachineGroup\nmetadata: {name: shop, namespace: team-a}\nspec:\n  powerState: ${powerState}\n  bootOrder:\n  - members: [{name: web}]\n`;
}

const goldenName = (kind: string) => kind.replace(/^\//, 'core/').replace(/\//g, '_');

describe('plan text of each served kind', () => {
  it('has a case for every kind a repository may declare', () => {
    const served = [...new Set(servedKindDefinitions.map((d) => `${d.group}/${d.kind}`))].sort();
    expect(Object.keys(CASES).sort()).toEqual(served);
  });

  it.each(Object.keys(CASES))('%s: created, then changed', async (kind) => {
    const { create, change } = CASES[kind]!;
    const first = { 'ns.yaml': namespaceYaml('team-a'), ...create };
    const created = await planAndApply(manifests(first), ctx.registry, ctx.store, 'rev-1');
    expect(created.plan.objects.map((o) => o.kind)).toContain(kind.slice(kind.indexOf('/') + 1));
    const changed = planOf(manifests({ ...first, ...change }), ctx.registry, ctx.store.ownership(), 'rev-2');
    const text = `${renderPlanText(created.plan)}\n${renderPlanText(changed)}`;
    await expect(text).toMatchFileSnapshot(`__golden__/kinds/${goldenName(kind)}.txt`);
  });
});
