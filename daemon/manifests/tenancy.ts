/**
 * Tenancy in the repo: files under `<root>/<namespace>/` belong to that namespace's developers.
 * They may declare only namespaced objects of that namespace (a missing metadata.namespace is
 * that namespace), and never the namespace itself or its policy (ResourceQuota, LimitRange,
 * NamespacePolicy): those belong to files outside the tenant root, the VI admin's area. A file
 * directly under the tenant root is neither: tenants can push there, so it is no admin area, and
 * it names no namespace, so it is refused whole.
 */
import { displayName, type Diagnostic, type ManifestObject } from './types.js';

export interface TenancyRule {
  /** The folder holding one folder per tenant namespace (default `namespaces`). */
  readonly root: string;
}

export const DEFAULT_TENANCY: TenancyRule = { root: 'namespaces' };

/** Kinds only the admin area may declare: the namespace's policy, not its workloads. */
const ADMIN_KINDS = new Set(['/ResourceQuota', '/LimitRange', 'pacific.dev/NamespacePolicy']);

/** The tenant namespace a file belongs to, or undefined for files outside the tenant root. */
export function tenantOf(path: string, rule: TenancyRule | undefined): string | undefined {
  if (!rule) return undefined;
  const segments = path.split('/');
  const root = rule.root.split('/').filter(Boolean);
  if (segments.length <= root.length + 1 || root.some((r, i) => segments[i] !== r)) return undefined;
  return segments[root.length];
}

/** Why a file directly under the tenant root is not read, or undefined for any other path. */
export function tenantRootProblem(path: string, rule: TenancyRule | undefined): string | undefined {
  if (!rule) return undefined;
  const root = rule.root.split('/').filter(Boolean);
  const segments = path.split('/');
  if (segments.length !== root.length + 1 || root.some((r, i) => segments[i] !== r)) return undefined;
  const dir = `${root.join('/')}/`;
  return `a file directly under the tenant root ${dir}, which belongs to no namespace: put it in ${dir}<namespace>/ (developers) or outside ${dir} (VI admin)`;
}

/** A path with `.`/`..` segments or empty segments could name something outside its folder. */
export function isUnsafePath(path: string): boolean {
  return path.startsWith('/') || path.split('/').some((s) => s === '' || s === '.' || s === '..');
}

/** Diagnostics for objects a tenant file may not declare. */
export function tenancyViolations(object: ManifestObject, tenant: string | undefined, rule: TenancyRule): Diagnostic[] {
  if (tenant === undefined) return [];
  const where = `${rule.root}/${tenant}/`;
  const problem = (path: string, message: string): Diagnostic => ({
    severity: 'error',
    code: 'TenancyViolation',
    file: object.source.file,
    line: object.source.line,
    column: 1,
    object: displayName(object.kind, object.namespace, object.name),
    path,
    message,
  });
  if (!object.namespaced) return [problem('kind', `${object.kind} is cluster-scoped: only files outside ${rule.root}/ may declare it`)];
  if (ADMIN_KINDS.has(`${object.group}/${object.kind}`)) return [problem('kind', `${object.kind} is namespace policy: only files outside ${rule.root}/ may declare it`)];
  if (object.namespace !== tenant) return [problem('metadata.namespace', `declares namespace ${object.namespace} but lives in ${where}: a tenant folder may only declare objects of its own namespace`)];
  return [];
}
