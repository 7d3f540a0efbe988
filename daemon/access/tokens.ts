/**
 * Bearer tokens pacific signs: compact JWS (HS256) carrying a user, groups and an expiry, as the
 * Supervisor's SSO token does (10 hours by default). The signing key is 32 random bytes in the state
 * dir (mode 0600), made on first use; anyone who can read it can mint tokens, as with the admin token.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Who a token names. */
export interface TokenClaims {
  readonly user: string;
  readonly groups: readonly string[];
  /** Expiry, seconds since the epoch. */
  readonly exp: number;
}

/** The Supervisor's SSO token lifetime (`kubectl vsphere login`). */
export const DEFAULT_TOKEN_TTL_SECONDS = 10 * 3600;

const b64 = (data: Buffer | string) => Buffer.from(data).toString('base64url');
const HEADER = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

/** The signing key of a state dir, created (0600) when missing. */
export function loadSigningKey(stateDir: string): Buffer {
  const path = join(stateDir, 'api-signing.key');
  if (existsSync(path)) return Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
  const key = randomBytes(32);
  // Written aside and renamed: a crash never leaves an empty key behind.
  writeFileSync(`${path}.new`, key.toString('hex') + '\n', { mode: 0o600 });
  renameSync(`${path}.new`, path);
  return key;
}

/** A signed token for `claims`. */
export function signToken(key: Buffer, claims: TokenClaims, nowSeconds = Math.floor(Date.now() / 1000)): string {
  const payload = b64(JSON.stringify({ iss: 'pacific', sub: claims.user, groups: claims.groups, iat: nowSeconds, exp: claims.exp }));
  const signature = createHmac('sha256', key).update(`${HEADER}.${payload}`).digest('base64url');
  return `${HEADER}.${payload}.${signature}`;
}

/** The claims of a token this key signed, or why it is refused (bad signature, expired, not ours). */
export function verifyToken(key: Buffer, token: string, nowSeconds = Math.floor(Date.now() / 1000)): TokenClaims | { refused: string } {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return { refused: 'not a token pacific signed' };
  const expected = createHmac('sha256', key).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2]!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { refused: 'the token signature does not verify' };
  let body: { sub?: unknown; groups?: unknown; exp?: unknown };
  try {
    body = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as typeof body;
  } catch {
    return { refused: 'the token payload is not JSON' };
  }
  if (typeof body.sub !== 'string' || typeof body.exp !== 'number' || !Array.isArray(body.groups)) return { refused: 'the token lacks sub, groups or exp' };
  if (body.exp <= nowSeconds) return { refused: `the token expired at ${new Date(body.exp * 1000).toISOString()}` };
  return { user: body.sub, groups: body.groups.filter((g): g is string => typeof g === 'string'), exp: body.exp };
}
