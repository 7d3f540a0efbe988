/**
 * Discovery: `/version`, aggregated discovery (apidiscovery.k8s.io v2, and v2beta1) for `/api` and
 * `/apis` with the exact content type kubectl requires, the legacy forms for clients that do not ask
 * for it, and per-group-version resource lists. The first version listed is the preferred one.
 */
import { SUPERVISOR_KUBERNETES } from './inventory-objects.js';
import type { ResourceTable, ResourceType } from './resources.js';
import { ok, type Reply } from './status.js';

const READ = ['get', 'list', 'watch'];
const ALL = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

/** The authorization.k8s.io reviews `kubectl auth can-i` and k9s send. */
const REVIEWS = [
  { name: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview' },
  { name: 'selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview' },
];

export function versionInfo(): unknown {
  return {
    ...SUPERVISOR_KUBERNETES,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.23.4',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

function verbs(r: ResourceType): string[] {
  return r.declarable ? ALL : READ;
}

function aggregatedResource(r: ResourceType, version: string): unknown {
  return {
    resource: r.plural,
    responseKind: { group: r.group, version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: verbs(r),
    ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
    ...(r.categories.length ? { categories: r.categories } : {}),
  };
}

function reviewGroup(aggregated: boolean): unknown {
  const group = 'authorization.k8s.io';
  if (!aggregated) return { name: group, versions: [{ groupVersion: `${group}/v1`, version: 'v1' }], preferredVersion: { groupVersion: `${group}/v1`, version: 'v1' } };
  const resources = REVIEWS.map((r) => ({ resource: r.name, responseKind: { group, version: 'v1', kind: r.kind }, scope: 'Cluster', singularResource: r.kind.toLowerCase(), verbs: ['create'] }));
  return { metadata: { name: group }, versions: [{ version: 'v1', resources, freshness: 'Current' }] };
}

/** Which discovery an Accept header asks for. */
export function discoveryFormat(accept: string | undefined): { aggregated: false } | { aggregated: true; version: 'v2' | 'v2beta1' } {
  for (const part of (accept ?? '').split(',')) {
    if (!part.includes('as=APIGroupDiscoveryList')) continue;
    if (part.includes('v=v2beta1')) return { aggregated: true, version: 'v2beta1' };
    if (part.includes('v=v2')) return { aggregated: true, version: 'v2' };
  }
  return { aggregated: false };
}

/** `/api` (core) or `/apis` (groups). */
export function rootDiscovery(table: ResourceTable, core: boolean, accept: string | undefined, serverAddress: string): Reply {
  const format = discoveryFormat(accept);
  const groups = table.groups().filter((g) => (g.group === '') === core);
  if (format.aggregated) {
    const items = groups.map((g) => ({
      metadata: core ? {} : { name: g.group },
      versions: g.versions.map((version) => ({ version, resources: table.inGroupVersion(g.group, version).map((r) => aggregatedResource(r, version)), freshness: 'Current' })),
    }));
    if (!core) items.push(reviewGroup(true) as (typeof items)[number]);
    const apiVersion = `apidiscovery.k8s.io/${format.version}`;
    return ok({ kind: 'APIGroupDiscoveryList', apiVersion, metadata: {}, items }, 200, `application/json;g=apidiscovery.k8s.io;v=${format.version};as=APIGroupDiscoveryList`);
  }
  if (core) return ok({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] });
  const list = groups.map((g) => ({
    name: g.group,
    versions: g.versions.map((v) => ({ groupVersion: `${g.group}/${v}`, version: v })),
    preferredVersion: { groupVersion: `${g.group}/${g.versions[0]}`, version: g.versions[0] },
  }));
  return ok({ kind: 'APIGroupList', apiVersion: 'v1', groups: [...list, reviewGroup(false)] });
}

/** `/api/v1` or `/apis/<group>/<version>`: an APIResourceList, undefined when not served. */
export function groupVersionDiscovery(table: ResourceTable, group: string, version: string): Reply | undefined {
  const groupVersion = group ? `${group}/${version}` : version;
  if (group === 'authorization.k8s.io' && version === 'v1') {
    return ok({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: REVIEWS.map((r) => ({ name: r.name, singularName: '', namespaced: false, kind: r.kind, verbs: ['create'] })) });
  }
  const resources = table.inGroupVersion(group, version);
  if (!resources.length) return undefined;
  return ok({
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: resources.map((r) => ({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: verbs(r),
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories.length ? { categories: r.categories } : {}),
    })),
  });
}
