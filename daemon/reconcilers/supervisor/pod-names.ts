/**
 * Names the ReplicaSet controller gives: `<deployment>-<pod-template-hash>` for a ReplicaSet and
 * `<replicaset>-<5 characters>` for its pods, in Kubernetes' safe alphabet (no vowels, no 0/1/3).
 * Kubernetes draws the pod suffix at random; pacific derives it from the ReplicaSet and an ordinal,
 * so names are reproducible and a scale-up reuses the lowest free ordinal.
 */
import { createHash } from 'node:crypto';

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** k8s.io/apimachinery `rand.SafeEncodeString`: each character mapped into the safe alphabet. */
export function safeEncode(text: string): string {
  return [...text].map((c) => ALPHABET[c.charCodeAt(0) % ALPHABET.length]).join('');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** FNV-1a (32 bit), the hash the Deployment controller uses for pod-template-hash. */
function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** `pod-template-hash` of a pod template: FNV-1a of the template, printed and safe-encoded. */
export function podTemplateHash(template: unknown): string {
  return safeEncode(String(fnv32a(canonical(template))));
}

/** The pod name a ReplicaSet gives its `ordinal`-th pod. */
export function podName(replicaSetKey: string, replicaSetName: string, ordinal: number): string {
  const digest = createHash('sha1').update(`${replicaSetKey}#${ordinal}`).digest();
  return `${replicaSetName}-${[...digest.subarray(0, 5)].map((b) => ALPHABET[b % ALPHABET.length]).join('')}`;
}
