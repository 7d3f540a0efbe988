import { describe, expect, it } from 'vitest';
import type { KindReconciler } from '../../daemon/plan/contract.js';
import { ReconcilerSet } from '../../daemon/plan/reconciler-set.js';
import { reconcilers } from '../../daemon/reconcilers/index.js';

const kind = (group: string, name: string) => ({ group, kind: name }) as KindReconciler;

describe('the kind-order table', () => {
  it('puts Namespaces first, their bounds next, workloads after what they refer to, Services last', () => {
    const wave = (key: string) => reconcilers.waveOf(key.split('/')[0]!, key.split('/')[1]!);
    expect(wave('/Namespace')).toBe(0);
    expect(wave('/ResourceQuota')).toBeLessThan(wave('vmoperator.vmware.com/VirtualMachineClass'));
    expect(wave('vmoperator.vmware.com/VirtualMachineClass')).toBeLessThan(wave('vmoperator.vmware.com/VirtualMachine'));
    expect(wave('apps/Deployment')).toBeLessThan(wave('apps/ReplicaSet'));
    expect(wave('apps/ReplicaSet')).toBeLessThan(wave('/Pod'));
    expect(wave('/Pod')).toBeLessThan(wave('/Service'));
  });

  it('sorts a kind without a reconciler after every wave', () => {
    const last = Math.max(...reconcilers.all.map((r) => reconcilers.waveOf(r.group, r.kind)));
    expect(reconcilers.waveOf('example.com', 'Unknown')).toBe(last + 1);
    expect(reconcilers.of('example.com', 'Unknown')).toBeUndefined();
  });

  it('refuses a reconciler without a wave, a kind in two waves, two reconcilers of a kind and a listed kind without one', () => {
    expect(() => new ReconcilerSet([kind('', 'Pod')], [['/Namespace']])).toThrow('/Pod has a reconciler but no wave');
    expect(() => new ReconcilerSet([kind('', 'Pod')], [['/Pod'], ['/Pod']])).toThrow('/Pod is in two waves');
    expect(() => new ReconcilerSet([kind('', 'Pod'), kind('', 'Pod')], [['/Pod']])).toThrow('/Pod has two reconcilers');
    expect(() => new ReconcilerSet([kind('', 'Pod')], [['/Pod', 'apps/Deployment']])).toThrow('apps/Deployment listed without a reconciler');
  });
});
