import { describe, expect, it } from 'vitest';
import { controlPlaneStep } from '../../../daemon/reconcilers/clusterapi/control-plane-rollout.js';
import type { LiveMachine } from '../../../daemon/reconcilers/clusterapi/machines.js';

const m = (name: string, version: string, createdAt: number, phase: LiveMachine['phase'] = 'Running'): LiveMachine => ({ name, version, template: 't', phase, createdAt });
const atVersion = (v: string) => (x: LiveMachine) => x.version === v;

describe('controlPlaneStep', () => {
  it('adds machines one at a time, each after the previous has joined', () => {
    expect(controlPlaneStep(3, [], atVersion('a'))).toEqual({ create: true });
    expect(controlPlaneStep(3, [m('m1', 'a', 1, 'Provisioned')], atVersion('a'))).toEqual({ create: false, waitingFor: 'machine m1 to join' });
    expect(controlPlaneStep(3, [m('m1', 'a', 1)], atVersion('a'))).toEqual({ create: true });
    expect(controlPlaneStep(3, [m('m1', 'a', 1), m('m2', 'a', 2), m('m3', 'a', 3)], atVersion('a'))).toEqual({ create: false });
  });

  it('rolls out with one extra machine: add, then remove the oldest outdated once the new one runs', () => {
    const old = [m('m1', 'a', 1), m('m2', 'a', 2), m('m3', 'a', 3)];
    expect(controlPlaneStep(3, old, atVersion('b'))).toEqual({ create: true });
    expect(controlPlaneStep(3, [...old, m('n1', 'b', 4, 'Pending')], atVersion('b'))).toEqual({ create: false, waitingFor: 'machine n1 to join' });
    expect(controlPlaneStep(3, [...old, m('n1', 'b', 4)], atVersion('b'))).toEqual({ create: false, remove: 'm1' });
    expect(controlPlaneStep(3, [old[1]!, old[2]!, m('n1', 'b', 4)], atVersion('b'))).toEqual({ create: true });
  });
});
