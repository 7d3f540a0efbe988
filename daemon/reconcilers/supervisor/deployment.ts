/**
 * apps/v1 Deployment → ReplicaSets → vSphere Pods, as the deployment and ReplicaSet controllers
 * run them. The Deployment derives one ReplicaSet per pod template (named by its hash) sized by
 * the current rollout step; each ReplicaSet derives its pods. Every pass takes one step; a pod
 * starting (a task) triggers the next pass.
 */
import { kubeObjects } from '../../inventory/kube-object.js';
import type { InventoryReader } from '../../inventory/registry.js';
import { displayName, type ManifestObject } from '../../manifests/types.js';
import type { DeploymentSpecV1, ReplicaSetSpecV1 } from '../../manifests/kinds.generated.js';
import { liveSpecOf, specOf } from '../../manifests/typed-spec.js';
import { derivedObject } from '../shared/derived.js';
import { kubeObjectReconciler } from '../shared/kube-object.js';
import { condition } from '../../plan/contract.js';
import { podName, podTemplateHash } from './pod-names.js';
import { rolloutStep, type ReplicaSetPods, type Strategy } from './rollout.js';
import { notCreatedYet, replicasThisPass } from '../shared/slow-start.js';

type Template = ReplicaSetSpecV1['template'];

/** Kubernetes' defaults: one replica, RollingUpdate with 25% surge and 25% unavailable. */
function strategyOf(spec: DeploymentSpecV1): Strategy {
  return {
    type: spec.strategy?.type ?? 'RollingUpdate',
    maxSurge: spec.strategy?.rollingUpdate?.maxSurge ?? '25%',
    maxUnavailable: spec.strategy?.rollingUpdate?.maxUnavailable ?? '25%',
  };
}

/** Live pods a ReplicaSet owns, and how many of them run. */
function podsOwnedBy(inventory: InventoryReader, namespace: string, replicaSet: string) {
  const owner = displayName('ReplicaSet', namespace, replicaSet);
  const pods = inventory.inNamespace('Pod', namespace).filter((p) => p.object.owner === owner);
  return { pods, running: pods.filter((p) => p.phase === 'Running').length };
}

function liveReplicaSets(inventory: InventoryReader, deployment: ManifestObject): string[] {
  const owner = displayName('Deployment', deployment.namespace, deployment.name);
  return kubeObjects(inventory, 'ReplicaSet', deployment.namespace)
    .filter((rs) => rs.object.owner === owner)
    .map((rs) => rs.object.name);
}

export const deploymentReconciler = kubeObjectReconciler({
  group: 'apps',
  kind: 'Deployment',
  derive(deployment, { inventory }) {
    const spec = specOf(deployment, 'Deployment');
    const template = spec.template;
    const hash = podTemplateHash(template);
    const current = `${deployment.name}-${hash}`;
    const count = (name: string): ReplicaSetPods => {
      const { pods, running } = podsOwnedBy(inventory, deployment.namespace, name);
      return { name, pods: pods.length, ready: running };
    };
    const old = liveReplicaSets(inventory, deployment)
      .filter((name) => name !== current)
      .map(count);
    const step = rolloutStep(spec.replicas ?? 1, strategyOf(spec), count(current), old);
    const replicaSet = (name: string, replicas: number, tpl: Template, podHash: string) => {
      const labels = { ...tpl.metadata?.labels, 'pod-template-hash': podHash };
      const rsSpec: ReplicaSetSpecV1 = {
        replicas,
        selector: { matchLabels: { ...spec.selector?.matchLabels, 'pod-template-hash': podHash } },
        template: { ...tpl, metadata: { ...tpl.metadata, labels } },
      };
      return derivedObject(deployment, 'apps/v1', 'ReplicaSet', name, { metadata: { labels }, spec: rsSpec });
    };
    const sets = [replicaSet(current, step.newReplicas, template, hash)];
    // An old ReplicaSet stays (with its own template) until its last pod is gone.
    for (const o of old) {
      const live = kubeObjects(inventory, 'ReplicaSet', deployment.namespace).find((rs) => rs.object.name === o.name);
      const liveSpec = live && liveSpecOf(live.object, 'ReplicaSet');
      const target = step.oldReplicas.get(o.name) ?? 0;
      if (liveSpec && (target > 0 || o.pods > 0)) sets.push(replicaSet(o.name, target, liveSpec.template, o.name.slice(deployment.name.length + 1)));
    }
    return sets;
  },
  status(desired, _live, inventory) {
    const spec = specOf(desired, 'Deployment');
    const replicas = spec.replicas ?? 1;
    const current = `${desired.name}-${podTemplateHash(spec.template)}`;
    const all = liveReplicaSets(inventory, desired).map((rs) => ({ rs, ...podsOwnedBy(inventory, desired.namespace, rs) }));
    const total = all.reduce((n, r) => n + r.pods.length, 0);
    const ready = all.reduce((n, r) => n + r.running, 0);
    const updated = all.find((r) => r.rs === current)?.pods.length ?? 0;
    const unavailable = Math.max(0, replicas - ready);
    const maxUnavailable = strategyOf(spec).maxUnavailable;
    const allowed = typeof maxUnavailable === 'number' ? maxUnavailable : Math.floor((Number(maxUnavailable.replace('%', '')) / 100) * replicas);
    const complete = updated === replicas && total === replicas && ready === replicas;
    return {
      conditions: [
        unavailable <= allowed ? condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.') : condition('Available', 'False', 'MinimumReplicasUnavailable', `${ready} of ${replicas} replicas ready`),
        condition('Progressing', 'True', complete ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated', `ReplicaSet "${current}" ${complete ? 'has successfully progressed' : 'is progressing'}.`),
      ],
      fields: { replicas: total, updatedReplicas: updated, readyReplicas: ready, availableReplicas: ready, unavailableReplicas: unavailable },
    };
  },
});

export const replicaSetReconciler = kubeObjectReconciler({
  group: 'apps',
  kind: 'ReplicaSet',
  derive(replicaSet, { inventory }) {
    const spec = specOf(replicaSet, 'ReplicaSet');
    const { pods } = podsOwnedBy(inventory, replicaSet.namespace, replicaSet.name);
    // Keep running pods first, then pending ones, by name: the ones a scale-down removes are the last.
    const keep = [...pods].sort((a, b) => (a.phase === b.phase ? a.name.localeCompare(b.name) : a.phase === 'Running' ? -1 : 1)).slice(0, spec.replicas);
    const names = keep.map((p) => p.name);
    const taken = new Set(names);
    const target = replicasThisPass(spec.replicas, pods.length);
    for (let ordinal = 0; names.length < target; ordinal++) {
      const name = podName(replicaSet.key, replicaSet.name, ordinal);
      if (!taken.has(name)) {
        names.push(name);
        taken.add(name);
      }
    }
    return names.map((name) => derivedObject(replicaSet, 'v1', 'Pod', name, { metadata: { labels: spec.template.metadata?.labels ?? {} }, spec: spec.template.spec ?? {} }));
  },
  status(desired, _live, inventory) {
    const spec = specOf(desired, 'ReplicaSet');
    const { pods, running } = podsOwnedBy(inventory, desired.namespace, desired.name);
    return {
      conditions: [condition('Available', running >= spec.replicas ? 'True' : 'False', running >= spec.replicas ? 'AllReplicasReady' : 'ReplicasStarting', `${running} of ${spec.replicas} pods running${notCreatedYet(spec.replicas, pods.length, 'pods')}`)],
      fields: { replicas: pods.length, readyReplicas: running, availableReplicas: running },
    };
  },
});
