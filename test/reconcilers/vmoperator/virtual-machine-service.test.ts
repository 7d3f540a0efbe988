import { describe, expect, it } from 'vitest';
import { manifests, namespaceYaml, planOf, useInventoryStore, vmYaml } from '../../support/fixtures.js';
import { advanceAndRunTasks, planAndApply } from '../../support/reconcile.js';
import { virtualMachineServiceReconciler } from '../../../daemon/reconcilers/vmoperator/virtual-machine-service.js';
import { observed } from '../../../daemon/plan/contract.js';

const ctx = useInventoryStore();
const vmService = (type: string) => `apiVersion: vmoperator.vmware.com/v1alpha3
kind: VirtualMachineService
metadata: {name: web, namespace: team-a}
spec:
  type: ${type}
  selector: {app: web}
  ports:
  - {name: http, port: 80, protocol: TCP, targetPort: 8080}
`;
const vms = (labels: Record<string, string>[]) => labels.map((l, i) => vmYaml('team-a', `vm-${i}`, { labels: l })).join('---\n');
const endpoints = (docs: ReturnType<typeof manifests>) => {
  const live = ctx.registry.find('Service', 'team-a', 'web')!;
  const status = virtualMachineServiceReconciler.status(docs.find((d) => d.kind === 'VirtualMachineService')!, observed('vmoperator.vmware.com', live), ctx.registry);
  return (status.fields!['endpoints'] as { targetRef: { name: string } }[]).map((e) => e.targetRef.name);
};

describe('VirtualMachineService', () => {
  it('selects VMs by label; endpoints follow label changes and power state', async () => {
    const docs = (labels: Record<string, string>[]) => manifests({ 'ns.yaml': namespaceYaml('team-a'), 'vms.yaml': vms(labels), 'svc.yaml': vmService('LoadBalancer') });
    const first = docs([{ app: 'web' }, { app: 'web' }, { app: 'db' }]);
    await planAndApply(first, ctx.registry, ctx.store);
    expect(endpoints(first)).toEqual(['vm-0', 'vm-1']);
    const relabelled = docs([{ app: 'web' }, { app: 'batch' }, { app: 'web' }]);
    await planAndApply(relabelled, ctx.registry, ctx.store);
    expect(endpoints(relabelled)).toEqual(['vm-0', 'vm-2']);
    expect(ctx.registry.find('Service', 'team-a', 'web')!.loadBalancerIP).toBeUndefined();
    advanceAndRunTasks(ctx.registry, ctx.store, 1000);
    expect(ctx.registry.find('Service', 'team-a', 'web')!.loadBalancerIP).toBe('192.168.100.2');
    const stopped = manifests({ 'ns.yaml': namespaceYaml('team-a'), 'vms.yaml': vmYaml('team-a', 'vm-0', { labels: { app: 'web' }, powerState: 'PoweredOff' }) + '---\n' + vms([{ app: 'web' }, { app: 'batch' }, { app: 'web' }]).split('---\n').slice(1).join('---\n'), 'svc.yaml': vmService('LoadBalancer') });
    await planAndApply(stopped, ctx.registry, ctx.store);
    expect(endpoints(stopped)).toEqual(['vm-2']);
  });

  it('refuses NodePort and ExternalName, and a name a Service already has', async () => {
    for (const type of ['NodePort', 'ExternalName']) {
      const change = planOf(manifests({ 'ns.yaml': namespaceYaml('team-a'), 'svc.yaml': vmService(type) }), ctx.registry).changes.find((c) => c.kind === 'VirtualMachineService')!;
      expect(change.admission).toMatchObject({ allowed: false, message: `spec.type: Unsupported value: "${type}": supported values: "ClusterIP", "LoadBalancer"` });
    }
    const plain = 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: team-a}\nspec:\n  selector: {app: web}\n  ports: [{name: http, port: 80}]\n';
    const both = planOf(manifests({ 'ns.yaml': namespaceYaml('team-a'), 'svc.yaml': vmService('ClusterIP'), 'plain.yaml': plain }), ctx.registry).changes;
    expect(both.filter((c) => !c.admission.allowed).map((c) => c.kind).sort()).toEqual(['Service', 'VirtualMachineService']);
  });
});
