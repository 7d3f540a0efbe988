/** ResourceQuota object counts (`count/<resource>.<group>` and the core kinds' legacy names) hold for every kind, derived objects included. */
import { describe, expect, it } from 'vitest';
import { objectCount } from '../../../daemon/capacity/object-count.js';
import { manifests, namespaceYaml, useInventoryStore } from '../../support/fixtures.js';
import { converge } from '../../support/reconcile.js';
import type { Plan } from '../../../daemon/plan/types.js';

const ctx = useInventoryStore();

const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: team-a}\ndata: {a: b}\n`;
const service = (name: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: team-a}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n`;

async function lastPlan(files: Record<string, string>): Promise<Plan> {
  let last: Plan | undefined;
  await converge(manifests(files), ctx.registry, ctx.store, (plan) => (last = plan));
  return last!;
}

describe('object counts', () => {
  it('names each kind as the API server does: count/<plural>.<group>, and the legacy name of core kinds', () => {
    expect(objectCount('', 'ConfigMap')).toEqual({ 'count/configmaps': 1, configmaps: 1 });
    expect(objectCount('apps', 'ReplicaSet')).toEqual({ 'count/replicasets.apps': 1 });
    expect(objectCount('vmoperator.vmware.com', 'VirtualMachineSetResourcePolicy')).toEqual({ 'count/virtualmachinesetresourcepolicies.vmoperator.vmware.com': 1 });
    // Pods, VMs and claims charge their counts with their compute and storage.
    expect(objectCount('', 'Pod')).toEqual({});
  });

  it('refuses the ConfigMap and the Service beyond count/configmaps and services, naming the quota', async () => {
    const plan = await lastPlan({
      'ns.yaml': namespaceYaml('team-a', { 'count/configmaps': 2, services: 1 }),
      'cm.yaml': ['a', 'b', 'c'].map(configMap).join('---\n'),
      'svc.yaml': ['web', 'api'].map(service).join('---\n'),
    });
    expect(ctx.registry.inNamespace('KubeObject', 'team-a').filter((o) => o.object.kind === 'ConfigMap')).toHaveLength(2);
    expect(ctx.registry.inNamespace('Service', 'team-a')).toHaveLength(1);
    const refused = plan.changes.filter((c) => !c.admission.allowed).map((c) => `${c.kind} ${c.admission.reason}: ${c.admission.message}`);
    expect(refused).toEqual([
      expect.stringMatching(/^ConfigMap QuotaExceeded: .*count\/configmaps=1.*count\/configmaps=2/),
      expect.stringMatching(/^Service QuotaExceeded: .*services=1/),
    ]);
  });
});
