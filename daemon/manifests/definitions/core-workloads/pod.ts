/** `v1` Pod: one vSphere Pod on the Supervisor. */
import type { KindDefinition } from '../dsl/kind.js';
import { podSpecForPod } from './pod-spec.js';

/** `v1` Pod (namespaced, DNS-subdomain name); a spec with at least one container is required. */
export const podV1: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  namespaced: true,
  nameFormat: 'dns-subdomain',
  fields: { spec: podSpecForPod },
  required: ['spec'],
};
