import { describe, expect, it } from 'vitest';
import { manifests, namespaceYaml, planOf, useInventoryStore } from '../../support/fixtures.js';
import { advanceAndRunTasks, planAndApply } from '../../support/reconcile.js';
import { virtualMachineReconciler } from '../../../daemon/reconcilers/vmoperator/virtual-machine.js';
import { serviceReconciler } from '../../../daemon/reconcilers/supervisor/service.js';
import { observed } from '../../../daemon/plan/contract.js';
import { deploymentYaml } from './workloads.js';

const ctx = useInventoryStore();
const service = (type: string, extra = '') => `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: team-a
spec:
  type: ${type}
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: 8080}
${extra}`;
const desired = (type: string, extra = '') => manifests({ 'ns.yaml': namespaceYaml('team-a'), 'web.yaml': deploymentYaml('team-a', 'web', 2), 'svc.yaml': service(type, extra) });
const statusOf = () => {
  const live = ctx.registry.find('Service', 'team-a', 'web')!;
  const object = desired('LoadBalancer').find((o) => o.kind === 'Service')!;
  return serviceReconciler.status(object, observed('', live), ctx.registry);
};

describe('Service', () => {
  it('gets a cluster IP at once and a load balancer IP a little later; endpoints follow running pods', async () => {
    await planAndApply(desired('LoadBalancer'), ctx.registry, ctx.store);
    const svc = ctx.registry.find('Service', 'team-a', 'web')!;
    expect(svc.clusterIP).toBe('10.96.0.11');
    expect(svc.loadBalancerIP).toBeUndefined();
    expect(statusOf().conditions[0]).toMatchObject({ type: 'ServiceReady', status: 'False', reason: 'LoadBalancerPending' });
    expect(statusOf().fields!['endpoints']).toEqual([]);
    advanceAndRunTasks(ctx.registry, ctx.store, 1000);
    expect(ctx.registry.find('Service', 'team-a', 'web')!.loadBalancerIP).toBe('192.168.100.2');
    const status = statusOf();
    expect(status.conditions[0]).toMatchObject({ status: 'True' });
    expect(status.fields!['endpoints']).toHaveLength(2);
    expect(planOf(desired('LoadBalancer'), ctx.registry, ctx.store.ownership()).changes).toEqual([]);
    expect(ctx.store.recentEvents(10).some((e) => e.reason === 'LoadBalancerReady' && e.message === 'external IP 192.168.100.2 assigned')).toBe(true);
  });

  it('honours spec.loadBalancerIP inside the pool and refuses it outside', async () => {
    expect(planOf(desired('LoadBalancer', '  loadBalancerIP: 10.0.0.5\n'), ctx.registry).changes.find((c) => c.kind === 'Service')!.admission).toMatchObject({ allowed: false, reason: 'Invalid' });
    await planAndApply(desired('LoadBalancer', '  loadBalancerIP: 192.168.100.50\n'), ctx.registry, ctx.store);
    advanceAndRunTasks(ctx.registry, ctx.store, 1000);
    expect(ctx.registry.find('Service', 'team-a', 'web')!.loadBalancerIP).toBe('192.168.100.50');
  });

  it('serves a NodePort service as ClusterIP, with a warning', async () => {
    const change = planOf(desired('NodePort'), ctx.registry).changes.find((c) => c.kind === 'Service')!;
    expect(change.admission).toMatchObject({ allowed: true, warnings: [expect.stringContaining('NodePort is not supported by the Supervisor')] });
    await planAndApply(desired('NodePort'), ctx.registry, ctx.store);
    expect(ctx.registry.find('Service', 'team-a', 'web')).toMatchObject({ clusterIP: '10.96.0.11' });
    expect(ctx.store.recentEvents(20).some((e) => e.type === 'Warning' && e.reason === 'UnsupportedFeature')).toBe(true);
    expect(virtualMachineReconciler.kind).toBe('VirtualMachine');
  });
});
