/** `apps/v1` Deployment: replicas of a pod template, replaced by a rolling update or recreated. */
import { bool, enumOf, extend, int, obj } from '../dsl/builders.js';
import type { KindDefinition } from '../dsl/kind.js';
import { labelSelector } from './common.js';
import { countOrPercent } from './dsl-extra.js';
import { podSpec, podTemplateSpec } from './pod-spec.js';

const strategy = obj({
  rollingUpdate: obj({ maxSurge: countOrPercent(), maxUnavailable: countOrPercent() }),
  type: enumOf('Recreate', 'RollingUpdate'),
});

// A Deployment's pods always restart: the API server accepts no other restartPolicy in its template.
const template = extend(podTemplateSpec, { spec: extend(podSpec, { restartPolicy: enumOf('Always') }) });

/** `DeploymentSpec`: selector and template are required; counts are non-negative. */
export const deploymentSpec = obj(
  {
    minReadySeconds: int({ minimum: 0 }),
    paused: bool(),
    progressDeadlineSeconds: int({ minimum: 1 }),
    replicas: int({ minimum: 0 }),
    revisionHistoryLimit: int({ minimum: 0 }),
    selector: labelSelector,
    strategy,
    template,
  },
  { required: ['selector', 'template'] },
);

/** `apps/v1` Deployment (namespaced, DNS-subdomain name). */
export const deploymentV1: KindDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  namespaced: true,
  nameFormat: 'dns-subdomain',
  fields: { spec: deploymentSpec },
  required: ['spec'],
};

/**
 * `apps/v1` ReplicaSet as pacific's Deployment controller derives it: never read from a file (not
 * served), defined so the reconcilers read its spec through a type. The controller always writes
 * `replicas`, which Kubernetes would default to 1.
 */
export const replicaSetV1: KindDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  namespaced: true,
  nameFormat: 'dns-subdomain',
  fields: {
    spec: obj({ minReadySeconds: int({ minimum: 0 }), replicas: int({ minimum: 0 }), selector: labelSelector, template }, { required: ['replicas', 'selector', 'template'] }),
  },
  required: ['spec'],
};
