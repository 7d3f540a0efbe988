/**
 * SelfSubjectAccessReview and SelfSubjectRulesReview: `kubectl auth can-i` (and k9s) ask what the
 * identity may do; the answer comes from the same decision every request gets.
 */
import type { Grants } from '../access/grants.js';
import { decide, READ_VERBS, WRITE_VERBS, type Verb } from './authorize.js';
import type { ResourceTable } from './resources.js';
import { decodeAccessReview, decodeRulesReview, isKubeProtobuf, type AccessReviewSpec } from './protobuf.js';
import { badRequest, ok, type Reply } from './status.js';

const GROUP_VERSION = 'authorization.k8s.io/v1';

function parse<T>(body: Buffer, fromProtobuf: (b: Buffer) => T): T | undefined {
  try {
    return isKubeProtobuf(body) ? fromProtobuf(body) : (((JSON.parse(body.toString('utf8')) as { spec?: T }).spec ?? {}) as T);
  } catch {
    return undefined;
  }
}

export function accessReview(table: ResourceTable, grants: Grants, body: Buffer): Reply {
  const spec = parse<AccessReviewSpec>(body, decodeAccessReview);
  if (!spec) return badRequest('the SelfSubjectAccessReview body is neither Kubernetes protobuf nor JSON');
  let status: { allowed: boolean; denied?: boolean; reason: string };
  const a = spec.resourceAttributes;
  if (a) {
    const resource = table.all.find((r) => r.plural === a.resource && (a.group === '*' || r.group === a.group)) ?? table.all.find((r) => r.plural === a.resource);
    const verbs: Verb[] = a.verb === '*' ? [...READ_VERBS, ...WRITE_VERBS] : [a.verb as Verb];
    if (!resource) status = { allowed: grants.admin, reason: grants.admin ? 'VI admin (group system:masters)' : `pacific does not serve ${a.resource}` };
    else {
      const decisions = verbs.map((v) => decide(grants, v, resource, resource.namespaced ? a.namespace || undefined : undefined));
      const refused = decisions.find((d) => !d.allowed);
      status = refused && !refused.allowed ? { allowed: false, reason: refused.why } : { allowed: true, reason: grants.admin ? 'VI admin (group system:masters)' : 'allowed by a NamespacePolicy permission' };
    }
  } else status = { allowed: grants.admin, reason: grants.admin ? 'VI admin (group system:masters)' : 'only a VI admin may use non-resource URLs' };
  return ok({ kind: 'SelfSubjectAccessReview', apiVersion: GROUP_VERSION, metadata: { creationTimestamp: null }, spec, status }, 201);
}

export function rulesReview(table: ResourceTable, grants: Grants, body: Buffer): Reply {
  const spec = parse<{ namespace?: string }>(body, decodeRulesReview);
  if (!spec) return badRequest('the SelfSubjectRulesReview body is neither Kubernetes protobuf nor JSON');
  const namespace = spec.namespace ?? '';
  const byVerbs = new Map<string, { groups: Set<string>; resources: Set<string> }>();
  for (const r of table.all) {
    const verbs = [...READ_VERBS, ...WRITE_VERBS].filter((v) => decide(grants, v, r, r.namespaced ? namespace || undefined : undefined).allowed);
    if (!verbs.length) continue;
    const key = verbs.join(',');
    const entry = byVerbs.get(key) ?? { groups: new Set(), resources: new Set() };
    entry.groups.add(r.group);
    entry.resources.add(r.plural);
    byVerbs.set(key, entry);
  }
  const resourceRules = [
    { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
    ...[...byVerbs].map(([verbs, e]) => ({ verbs: verbs.split(','), apiGroups: [...e.groups], resources: [...e.resources] })),
  ];
  const nonResourceRules = [{ verbs: ['get'], nonResourceURLs: grants.admin ? ['*'] : ['/api', '/api/*', '/apis', '/apis/*', '/version', '/openapi/*', '/healthz', '/readyz'] }];
  return ok({ kind: 'SelfSubjectRulesReview', apiVersion: GROUP_VERSION, metadata: { creationTimestamp: null }, spec: { namespace }, status: { resourceRules, nonResourceRules, incomplete: false } }, 201);
}
