/**
 * What the Supervisor's admission webhooks refuse from a document alone, beyond its schema: a
 * guest cluster naming a Tanzu Kubernetes release this Supervisor does not have, or has marked
 * incompatible (the TKG webhook). Checked at validation, so `pacific validate` reports it with its
 * place; what depends on the running cluster (upgrade paths) is admission's.
 */
import { KUBERNETES_RELEASES, releaseByName, releaseProblem, resolveVersionHint } from '../catalog/kubernetes-releases.js';
import type { PathSegment } from './locate.js';

export interface RuleProblem {
  readonly path: readonly PathSegment[];
  readonly message: string;
}

type Json = Record<string, unknown>;
const at = (v: unknown, ...path: PathSegment[]): unknown => path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Json)[k as string] : undefined), v);
const available = () => KUBERNETES_RELEASES.filter((r) => r.compatible).map((r) => r.name).join(', ');

function releaseReference(name: unknown, path: PathSegment[]): RuleProblem[] {
  if (typeof name !== 'string') return [];
  const release = releaseByName(name);
  if (!release) return [{ path, message: `TanzuKubernetesRelease ${name} not found (available: ${available()})` }];
  const problem = releaseProblem(release.version);
  return problem ? [{ path, message: problem }] : [];
}

function tanzuKubernetesCluster(body: Json): RuleProblem[] {
  const problems = releaseReference(at(body, 'spec', 'topology', 'controlPlane', 'tkr', 'reference', 'name'), ['spec', 'topology', 'controlPlane', 'tkr', 'reference', 'name']);
  const pools = at(body, 'spec', 'topology', 'nodePools');
  if (Array.isArray(pools)) pools.forEach((p, i) => problems.push(...releaseReference(at(p, 'tkr', 'reference', 'name'), ['spec', 'topology', 'nodePools', i, 'tkr', 'reference', 'name'])));
  const full = at(body, 'spec', 'distribution', 'fullVersion');
  if (typeof full === 'string') {
    const problem = releaseProblem(full);
    if (problem) problems.push({ path: ['spec', 'distribution', 'fullVersion'], message: problem });
  }
  const hint = at(body, 'spec', 'distribution', 'version');
  if (typeof hint === 'string' && full === undefined && !resolveVersionHint(hint)) {
    problems.push({ path: ['spec', 'distribution', 'version'], message: `no compatible TanzuKubernetesRelease matches version ${hint} (available: ${available()})` });
  }
  return problems;
}

function cluster(body: Json): RuleProblem[] {
  const topology = at(body, 'spec', 'topology');
  const className = at(topology, 'class') ?? at(topology, 'classRef', 'name');
  const version = at(topology, 'version');
  if (className !== 'tanzukubernetescluster' || typeof version !== 'string') return [];
  const problem = releaseProblem(version);
  return problem ? [{ path: ['spec', 'topology', 'version'], message: problem }] : [];
}

const RULES: Readonly<Record<string, (body: Json) => RuleProblem[]>> = {
  'run.tanzu.vmware.com/TanzuKubernetesCluster': tanzuKubernetesCluster,
  'cluster.x-k8s.io/Cluster': cluster,
};

/** The problems of a schema-valid document (none for most kinds). */
export function documentRuleProblems(group: string, kind: string, body: Json): RuleProblem[] {
  return RULES[`${group}/${kind}`]?.(body) ?? [];
}

/** Kinds the Supervisor's Cluster API makes from a Cluster's topology: a repo declares the Cluster instead. */
export const DERIVED_FROM_CLUSTER: ReadonlySet<string> = new Set([
  'controlplane.cluster.x-k8s.io/KubeadmControlPlane',
  'cluster.x-k8s.io/MachineDeployment',
  'cluster.x-k8s.io/MachineSet',
  'cluster.x-k8s.io/Machine',
  'vmware.infrastructure.cluster.x-k8s.io/VSphereCluster',
  'vmware.infrastructure.cluster.x-k8s.io/VSphereMachine',
  'vmware.infrastructure.cluster.x-k8s.io/VSphereMachineTemplate',
]);

/** Why a kind pacific does not serve is not declarable, when it knows better than "unsupported". */
export function unservedKindHint(group: string, kind: string): string | undefined {
  if (DERIVED_FROM_CLUSTER.has(`${group}/${kind}`)) return `; pacific derives ${kind} from a Cluster's topology: declare a cluster.x-k8s.io Cluster of class tanzukubernetescluster or a TanzuKubernetesCluster`;
  return undefined;
}
