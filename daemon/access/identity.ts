/**
 * Who sent a request: a bearer token pacific signed, or the daemon's own admin token. Every door
 * (the Kubernetes API and the status listener) authenticates through this one function.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { verifyToken } from './tokens.js';

export interface Identity {
  readonly user: string;
  readonly groups: readonly string[];
}

/** Kubernetes' superuser group: pacific's VI admins. `pacific kubeconfig` without `--user` puts the admin in it. */
export const VI_ADMIN_GROUP = 'system:masters';
/** Kubernetes' group for metrics scrapers: may read `/metrics`, nothing else. */
export const MONITORING_GROUP = 'system:monitoring';
/** The VI admin's user name in kubeconfigs pacific makes (vSphere SSO's administrator). */
export const VI_ADMIN_USER = 'administrator@vsphere.local';
/** The identity of the daemon's admin token (the `token` file, $PACIFIC_TOKEN). */
export const ADMIN_TOKEN_IDENTITY: Identity = { user: 'pacific:admin-token', groups: [VI_ADMIN_GROUP] };

export function isViAdmin(identity: Identity): boolean {
  return identity.groups.includes(VI_ADMIN_GROUP);
}

/** What the doors need to authenticate: the token signing key and the admin token. */
export interface Authenticator {
  /** The identity of an `Authorization` header, undefined without one, or why it is refused. */
  authenticate(header: string | string[] | undefined): Identity | undefined | { refused: string };
}

const digest = (text: string) => createHash('sha256').update(text).digest();

export function authenticator(signingKey: Buffer, adminToken: string, nowSeconds: () => number = () => Math.floor(Date.now() / 1000)): Authenticator {
  const admin = digest(adminToken);
  return {
    authenticate(header) {
      if (typeof header !== 'string' || !header.startsWith('Bearer ')) return undefined;
      const token = header.slice(7).trim();
      if (!token) return undefined;
      // Digests compare in constant time whatever length was sent.
      if (timingSafeEqual(digest(token), admin)) return ADMIN_TOKEN_IDENTITY;
      const claims = verifyToken(signingKey, token, nowSeconds());
      return 'refused' in claims ? claims : { user: claims.user, groups: claims.groups };
    },
  };
}
