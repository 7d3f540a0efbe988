/**
 * Webhook signature schemes of the Git forges, as pure functions of the headers and the raw body:
 * which forge sent it, whether the secret signed it, which event it is and which refs it moved.
 * The payload never carries desired state: a verified push only says "fetch this source now".
 *
 * | forge | event header | authentication |
 * |---|---|---|
 * | GitHub | `X-GitHub-Event` | `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>` |
 * | Gitea, Forgejo | `X-Gitea-Event`, `X-Forgejo-Event` | `X-Gitea-Signature` / `X-Forgejo-Signature`: bare hex HMAC-SHA256 |
 * | GitLab | `X-Gitlab-Event` | `X-Gitlab-Token`: the secret itself |
 * | Bitbucket Cloud / Server | `X-Event-Key` | `X-Hub-Signature: sha256=<hex>` |
 * | generic (Flux's) | none | `X-Signature: sha1|sha256|sha512=<hex>` |
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type Forge = 'github' | 'gitea' | 'forgejo' | 'gitlab' | 'bitbucket' | 'generic';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** What a verified delivery says: a push (the refs it moved, when the payload names them), a ping, or another event. */
export type Delivery =
  | { readonly forge: Forge; readonly kind: 'push'; readonly refs?: readonly string[] }
  | { readonly forge: Forge; readonly kind: 'ping' }
  | { readonly forge: Forge; readonly kind: 'other'; readonly event: string };

/** Why a delivery is refused: 401 (not signed by the secret) or 400 (signed, but not something pacific reads). */
export interface Refusal {
  readonly status: 401 | 400;
  readonly message: string;
}

const header = (headers: Headers, name: string): string | undefined => {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

/** Compares in constant time (digests, so lengths never differ). */
function same(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function hmacHex(algorithm: string, secret: string, body: Buffer): string {
  return createHmac(algorithm, secret).update(body).digest('hex');
}

/** `<algo>=<hex>` checked against the body; sha1 is accepted only where the forge sends nothing better. */
function prefixed(value: string | undefined, secret: string, body: Buffer, allowed: readonly string[]): boolean {
  const m = /^(sha1|sha256|sha512)=([0-9a-f]+)$/i.exec(value?.trim() ?? '');
  if (!m || !allowed.includes(m[1]!.toLowerCase())) return false;
  return same(m[2]!.toLowerCase(), hmacHex(m[1]!.toLowerCase(), secret, body));
}

function parse(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const strings = (list: readonly unknown[]): string[] => list.filter((v): v is string => typeof v === 'string' && v.length > 0);

/** The refs a Bitbucket push moved: Cloud's `push.changes[].new|old {type, name}`, Server's `changes[].refId`. */
function bitbucketRefs(payload: Record<string, unknown>): string[] {
  const cloud = (payload['push'] as { changes?: unknown[] } | undefined)?.changes ?? [];
  const server = (payload['changes'] as unknown[] | undefined) ?? [];
  const fromCloud = cloud.flatMap((c) => {
    const change = c as { new?: { type?: string; name?: string } | null; old?: { type?: string; name?: string } | null };
    const ref = change.new ?? change.old;
    return ref?.name ? [`refs/${ref.type === 'tag' ? 'tags' : 'heads'}/${ref.name}`] : [];
  });
  return [...fromCloud, ...strings(server.map((c) => (c as { refId?: unknown }).refId))];
}

/** Verifies and reads one delivery; `secret` is the receiver's. */
export function readDelivery(headers: Headers, body: Buffer, secret: string): Delivery | Refusal {
  const unsigned = (what: string): Refusal => ({ status: 401, message: `${what} does not match this receiver's secret` });
  const gitea = header(headers, 'x-forgejo-event') !== undefined ? 'forgejo' : header(headers, 'x-gitea-event') !== undefined ? 'gitea' : undefined;
  let forge: Forge;
  let event: string | undefined;
  if (gitea) {
    const signature = header(headers, gitea === 'forgejo' ? 'x-forgejo-signature' : 'x-gitea-signature') ?? header(headers, 'x-gitea-signature');
    if (!signature || !same(signature.trim().toLowerCase(), hmacHex('sha256', secret, body))) return unsigned(`X-${gitea === 'forgejo' ? 'Forgejo' : 'Gitea'}-Signature`);
    forge = gitea;
    event = header(headers, gitea === 'forgejo' ? 'x-forgejo-event' : 'x-gitea-event');
  } else if (header(headers, 'x-github-event') !== undefined) {
    if (!prefixed(header(headers, 'x-hub-signature-256'), secret, body, ['sha256'])) return unsigned('X-Hub-Signature-256');
    forge = 'github';
    event = header(headers, 'x-github-event');
  } else if (header(headers, 'x-gitlab-event') !== undefined) {
    const token = header(headers, 'x-gitlab-token');
    if (!token || !same(token, secret)) return unsigned('X-Gitlab-Token');
    forge = 'gitlab';
    event = header(headers, 'x-gitlab-event');
  } else if (header(headers, 'x-event-key') !== undefined) {
    if (!prefixed(header(headers, 'x-hub-signature'), secret, body, ['sha256'])) return unsigned('X-Hub-Signature');
    forge = 'bitbucket';
    event = header(headers, 'x-event-key');
  } else if (header(headers, 'x-signature') !== undefined) {
    if (!prefixed(header(headers, 'x-signature'), secret, body, ['sha1', 'sha256', 'sha512'])) return unsigned('X-Signature');
    // Flux's generic-hmac receiver: any signed delivery means "fetch now".
    return { forge: 'generic', kind: 'push' };
  } else {
    return { status: 401, message: 'no signature: send X-Hub-Signature-256 (GitHub), X-Gitea-Signature, X-Forgejo-Signature, X-Gitlab-Token, X-Hub-Signature (Bitbucket) or X-Signature' };
  }
  if (event === 'ping' || event === 'diagnostics:ping') return { forge, kind: 'ping' };
  const isPush = event === 'push' || event === 'Push Hook' || event === 'Tag Push Hook' || event === 'repo:push' || event === 'repo:refs_changed';
  if (!isPush) return { forge, kind: 'other', event: event ?? '' };
  const payload = parse(body);
  if (!payload) return { status: 400, message: 'the push payload is not a JSON object' };
  const refs = forge === 'bitbucket' ? bitbucketRefs(payload) : strings([payload['ref']]);
  return { forge, kind: 'push', refs };
}
