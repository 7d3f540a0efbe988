/**
 * MachineDeployment → MachineSets → Machines, as Cluster API runs them: one MachineSet per machine
 * template (named `<deployment>-<template hash>`), sized by the rollout step (maxSurge 1,
 * maxUnavailable 0: a new machine must run its node before an old one goes), and each set's
 * machines. Scale-down removes, in order: machines whose node has not joined, then the newest
 * (Cluster API's `Newest` delete policy), so the longest-running nodes stay.
 */
import { kubeObjects } from '../../inventory/kube-object.js';
import type { InventoryReader } from '../../inventory/registry.js';
import { displayName, type ManifestObject } from '../../manifests/types.js';
import { derivedObject } from '../shared/derived.js';
import { kubeObjectReconciler } from '../shared/kube-object.js';
import { podTemplateHash } from '../supervisor/pod-names.js';
import { rolloutStep, type ReplicaSetPods } from '../supervisor/rollout.js';
import { condition } from '../../plan/contract.js';
import { isRunning, machinesOwnedBy, type LiveMachine } from './machines.js';
import { machineObject } from './machine.js';
import { CAPI, machineName, SET_NAME_LABEL } from './names.js';
import { notCreatedYet, replicasThisPass } from '../shared/slow-start.js';
import type { MachineSetSpecV1beta1 } from '../../manifests/kinds.generated.js';
import { liveSpecOf, specOf } from '../../manifests/typed-spec.js';

const GROUP = 'cluster.x-k8s.io';

type MachineTemplate = MachineSetSpecV1beta1['template'];

/** Cluster API's default when a deployment or set leaves `replicas` out (pacific always writes it). */
const replicasOf = (spec: { readonly replicas?: number }) => spec.replicas ?? 1;

function setsOf(inventory: InventoryReader, deployment: ManifestObject) {
  const owner = displayName('MachineDeployment', deployment.namespace, deployment.name);
  return kubeObjects(inventory, 'MachineSet', deployment.namespace).filter((s) => s.object.owner === owner);
}

function counts(inventory: InventoryReader, namespace: string, set: string): ReplicaSetPods & { machines: LiveMachine[] } {
  const machines = machinesOwnedBy(inventory, namespace, 'MachineSet', set);
  return { name: set, pods: machines.length, ready: machines.filter(isRunning).length, machines };
}

/** Cluster API's MachineDeployment phases (a rollout counts as scaling up: it adds a machine first). */
function phaseOf(replicas: number, machines: number, running: number, rolledOut: boolean): string {
  if (rolledOut && running === replicas) return 'Running';
  return machines > replicas && rolledOut ? 'ScalingDown' : 'ScalingUp';
}

export const machineDeploymentReconciler = kubeObjectReconciler({
  group: GROUP,
  kind: 'MachineDeployment',
  derive(deployment, { inventory }) {
    const spec = specOf(deployment, 'MachineDeployment');
    const current = `${deployment.name}-${podTemplateHash(spec.template)}`;
    const live = setsOf(inventory, deployment);
    const old = live.filter((s) => s.object.name !== current).map((s) => counts(inventory, deployment.namespace, s.object.name));
    const step = rolloutStep(replicasOf(spec), { type: 'RollingUpdate', maxSurge: 1, maxUnavailable: 0 }, counts(inventory, deployment.namespace, current), old);
    const set = (name: string, replicas: number, template: MachineTemplate) =>
      derivedObject(deployment, CAPI, 'MachineSet', name, {
        metadata: { labels: { ...template?.metadata?.labels } },
        spec: { clusterName: spec.clusterName, replicas, selector: { matchLabels: { ...spec.selector.matchLabels, [SET_NAME_LABEL]: name } }, template },
      });
    const sets = [set(current, step.newReplicas, spec.template)];
    // An old set keeps its own template until its last machine is gone.
    for (const o of old) {
      const target = step.oldReplicas.get(o.name) ?? 0;
      const liveSpec = liveSpecOf(live.find((s) => s.object.name === o.name)!.object, 'MachineSet');
      if (liveSpec && (target > 0 || o.pods > 0)) sets.push(set(o.name, target, liveSpec.template));
    }
    return sets;
  },
  status(desired, _live, inventory) {
    const spec = specOf(desired, 'MachineDeployment');
    const replicas = replicasOf(spec);
    const current = `${desired.name}-${podTemplateHash(spec.template)}`;
    const all = setsOf(inventory, desired).map((s) => counts(inventory, desired.namespace, s.object.name));
    const total = all.reduce((n, s) => n + s.pods, 0);
    const ready = all.reduce((n, s) => n + s.ready, 0);
    const updated = all.find((s) => s.name === current)?.ready ?? 0;
    const rolledOut = updated === replicas && total === replicas;
    return {
      conditions: [
        condition('Available', ready >= replicas ? 'True' : 'False', ready >= replicas ? 'MinimumReplicasAvailable' : 'WaitingForAvailableMachines', `${ready} of ${replicas} machines running`),
        condition('MachinesUpToDate', rolledOut ? 'True' : 'False', rolledOut ? 'UpToDate' : 'RollingUpdateInProgress', `${updated} of ${replicas} machines up to date`),
      ],
      fields: { phase: phaseOf(replicas, total, ready, rolledOut), replicas: total, readyReplicas: ready, updatedReplicas: updated },
    };
  },
});

/** Which machines a set keeps: joined nodes first, oldest first; the rest go (Cluster API's Newest policy). */
function keptMachines(machines: readonly LiveMachine[], replicas: number): LiveMachine[] {
  return [...machines].sort((a, b) => Number(isRunning(b)) - Number(isRunning(a)) || a.createdAt - b.createdAt || a.name.localeCompare(b.name)).slice(0, replicas);
}

export const machineSetReconciler = kubeObjectReconciler({
  group: GROUP,
  kind: 'MachineSet',
  derive(set, { inventory }) {
    const spec = specOf(set, 'MachineSet');
    const replicas = replicasOf(spec);
    const live = machinesOwnedBy(inventory, set.namespace, 'MachineSet', set.name);
    const names = keptMachines(live, replicas).map((m) => m.name);
    const taken = new Set(live.map((m) => m.name));
    const target = replicasThisPass(replicas, live.length);
    for (let ordinal = 0; names.length < target; ordinal++) {
      const name = machineName(set.name, '', ordinal);
      if (taken.has(name)) continue;
      names.push(name);
      taken.add(name);
    }
    const template = spec.template;
    return names.map((name) =>
      machineObject(set, name, {
        cluster: spec.clusterName,
        version: template?.spec?.version ?? '',
        template: template?.spec?.infrastructureRef.name ?? '',
        labels: { ...template?.metadata?.labels, [SET_NAME_LABEL]: set.name },
        failureDomain: template?.spec?.failureDomain,
      }),
    );
  },
  status(desired, _live, inventory) {
    const spec = specOf(desired, 'MachineSet');
    const replicas = replicasOf(spec);
    const { pods, ready } = counts(inventory, desired.namespace, desired.name);
    return {
      conditions: [condition('MachinesReady', ready >= replicas ? 'True' : 'False', ready >= replicas ? 'MachinesReady' : 'WaitingForMachines', `${ready} of ${replicas} machines running${notCreatedYet(replicas, pods, 'machines')}`)],
      fields: { replicas: pods, readyReplicas: ready, availableReplicas: ready },
    };
  },
});
