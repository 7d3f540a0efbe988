import { describe, expect, it } from 'vitest';
import { kstatusConditions, readyCondition } from '../../daemon/controller/conditions.js';

const types = (cs: readonly { type: string; reason: string }[]) => cs.map((c) => `${c.type}:${c.reason}`);

describe("kstatus's Reconciling and Stalled beside Ready", () => {
  it('says Stalled for a head only a person can move on, with Ready\'s reason and message', () => {
    for (const [verdict, reason] of [['invalid', 'ValidationFailed'], ['unverified', 'VerificationError'], ['held', 'PruneHeld']] as const) {
      const ready = readyCondition('False', reason, `why ${reason}`);
      expect(kstatusConditions(verdict, ready, 0)).toEqual([{ type: 'Stalled', status: 'True', reason, message: `why ${reason}` }]);
    }
    expect(types(kstatusConditions('applied', readyCondition('False', 'AdmissionRefused', 'refused'), 1))).toEqual(['Stalled:AdmissionRefused']);
  });

  it('says Reconciling while it moves on by itself, and nothing once every object is Ready', () => {
    expect(types(kstatusConditions('unavailable', readyCondition('False', 'SourceUnavailable', 'x'), 0))).toEqual(['Reconciling:ProgressingWithRetry']);
    expect(types(kstatusConditions('applied', readyCondition('False', 'WaitingForCapacity', 'x'), 3))).toEqual(['Reconciling:ProgressingWithRetry']);
    expect(kstatusConditions('applied', readyCondition('True', 'ReconciliationSucceeded', 'ok'), 2)).toEqual([{ type: 'Reconciling', status: 'True', reason: 'Progressing', message: '2 object(s) not Ready yet' }]);
    expect(kstatusConditions('applied', readyCondition('True', 'ReconciliationSucceeded', 'ok'), 0)).toEqual([]);
  });
});
