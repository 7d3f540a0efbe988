/**
 * OpenPGP signatures of Git commits (gpg's detached signatures in the `gpgsig` header), verified
 * in-process with the openpgp package over the same payload as SSH signatures: the commit without
 * its `gpgsig` header. The package is loaded on first use (100–250 ms), so a daemon whose rules name
 * no OpenPGP key and whose commits carry none never pays for it. The tests use `git verify-commit`
 * (gpg) as the oracle.
 */
import type { PublicKey, Signature } from 'openpgp';

const openpgp = () => import('openpgp');

const hex = (id: string) => id.toUpperCase();

/** The public keys of an armored block (one key or several, as `gpg --armor --export` writes them). */
export async function readOpenPgpKeys(armored: string): Promise<PublicKey[]> {
  const { readKeys } = await openpgp();
  const keys = await readKeys({ armoredKeys: armored });
  // A secret key in a rule file is a leak waiting to happen, not a signer.
  const secret = keys.find((k) => k.isPrivate());
  if (secret) throw new Error(`key ${hex(secret.getFingerprint())} is a secret key; give its public key (gpg --armor --export)`);
  return keys as PublicKey[];
}

/** The issuer a signature names: its fingerprint when it carries one (gpg 2.2 does), else its key id. */
function issuerOf(signature: Signature): string {
  const packet = signature.packets[0];
  if (packet?.issuerFingerprint) return `fingerprint ${hex(Buffer.from(packet.issuerFingerprint).toString('hex'))}`;
  return `key id ${signature.getSigningKeyIDs().map((id) => hex(id.toHex())).join(', ')}`;
}

export type OpenPgpVerdict = { readonly ok: true; readonly fingerprint: string } | { readonly ok: false; readonly why: string };

/**
 * Verifies an armored OpenPGP signature over `message` against `keys`; returns the fingerprint of
 * the (primary) key that signed, or why not.
 */
export async function verifyOpenPgpSignature(armored: string, message: Buffer, keys: readonly PublicKey[], now = new Date()): Promise<OpenPgpVerdict> {
  const { createMessage, readSignature, verify } = await openpgp();
  let signature: Signature;
  try {
    signature = await readSignature({ armoredSignature: armored });
  } catch (error) {
    return { ok: false, why: `malformed OpenPGP signature (${(error as Error).message})` };
  }
  const issuers = signature.getSigningKeyIDs();
  const key = keys.find((k) => issuers.some((id) => k.getKeys(id).length > 0));
  if (!key) return { ok: false, why: `signed by an unknown OpenPGP key (${issuerOf(signature)})` };
  const fingerprint = hex(key.getFingerprint());
  const [result] = (await verify({ message: await createMessage({ binary: message }), signature, verificationKeys: [key], date: now })).signatures;
  if (!result) return { ok: false, why: 'the OpenPGP signature holds no signature packet' };
  try {
    await result.verified;
    // openpgp judges the key as it was when the signature was made; gpg (so git verify-commit)
    // refuses a signature whose key has expired or been revoked since, and so does pacific.
    await key.getSigningKey(result.keyID, now);
  } catch (error) {
    const why = (error as Error).message;
    if (/digest did not match/i.test(why)) return { ok: false, why: 'the signature does not match the commit' };
    const cause = why.replace(/^Could not find valid signing key packet in key [0-9a-f]+: /i, '');
    return { ok: false, why: `OpenPGP key ${fingerprint}: ${cause.charAt(0).toLowerCase()}${cause.slice(1)}` };
  }
  return { ok: true, fingerprint };
}
