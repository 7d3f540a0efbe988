/**
 * SSH signatures of Git commits (`gpg.format=ssh`), verified in-process with node:crypto: the SSHSIG
 * blob of PROTOCOL.sshsig over the commit without its `gpgsig` header, namespace `git`. Keys:
 * ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa (signed as rsa-sha2-256/512). About 1 ms a
 * check, against 15–240 ms for `ssh-keygen -Y verify` (which the tests use as the oracle).
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';

/** Reads SSH wire strings: uint32 length + bytes. */
class Wire {
  private at = 0;
  constructor(private readonly buf: Buffer) {}
  string(): Buffer {
    if (this.at + 4 > this.buf.length) throw new Error('truncated');
    const n = this.buf.readUInt32BE(this.at);
    this.at += 4;
    if (this.at + n > this.buf.length) throw new Error('truncated');
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  bytes(n: number): Buffer {
    const out = this.buf.subarray(this.at, this.at + n);
    if (out.length !== n) throw new Error('truncated');
    this.at += n;
    return out;
  }
  uint32(): number {
    const v = this.buf.readUInt32BE(this.at);
    this.at += 4;
    return v;
  }
}

const sshString = (b: Buffer | string): Buffer => {
  const data = typeof b === 'string' ? Buffer.from(b) : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, data]);
};

const b64url = (b: Buffer) => b.toString('base64url');
/** An mpint without its sign byte, left-padded to `size`. */
const unsigned = (b: Buffer, size?: number): Buffer => {
  let v = b;
  while (v.length > 1 && v[0] === 0) v = v.subarray(1);
  return size && v.length < size ? Buffer.concat([Buffer.alloc(size - v.length), v]) : v;
};

const CURVES: Record<string, { crv: string; size: number; hash: string }> = {
  nistp256: { crv: 'P-256', size: 32, hash: 'sha256' },
  nistp384: { crv: 'P-384', size: 48, hash: 'sha384' },
  nistp521: { crv: 'P-521', size: 66, hash: 'sha512' },
};

/** The node:crypto key of an SSH public key blob, and its type. */
export function publicKeyOf(blob: Buffer): { type: string; key: KeyObject } {
  const w = new Wire(blob);
  const type = w.string().toString();
  if (type === 'ssh-ed25519') return { type, key: createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(w.string()) }, format: 'jwk' }) };
  if (type === 'ssh-rsa') {
    const e = unsigned(w.string());
    const n = unsigned(w.string());
    return { type, key: createPublicKey({ key: { kty: 'RSA', n: b64url(n), e: b64url(e) }, format: 'jwk' }) };
  }
  const ecdsa = /^ecdsa-sha2-(nistp\d+)$/.exec(type);
  if (ecdsa && CURVES[ecdsa[1]!]) {
    const curve = CURVES[ecdsa[1]!]!;
    w.string();
    const q = w.string();
    if (q[0] !== 4 || q.length !== 1 + 2 * curve.size) throw new Error('unsupported EC point encoding');
    return { type, key: createPublicKey({ key: { kty: 'EC', crv: curve.crv, x: b64url(q.subarray(1, 1 + curve.size)), y: b64url(q.subarray(1 + curve.size)) }, format: 'jwk' }) };
  }
  throw new Error(`unsupported SSH key type ${type}`);
}

/** `ssh-ed25519 AAAA… comment` → the key blob. */
export function parseAuthorizedKey(line: string): Buffer {
  const [type, data] = line.trim().split(/\s+/);
  if (!type || !data) throw new Error('expected "<type> <base64 key> [comment]"');
  const blob = Buffer.from(data, 'base64');
  if (new Wire(blob).string().toString() !== type) throw new Error(`the key is not of type ${type}`);
  publicKeyOf(blob);
  return blob;
}

/** Verifies an armored SSH signature over `message` for namespace `git`; returns the signing key blob, or why not. */
export function verifySshSignature(armored: string, message: Buffer): { ok: true; keyBlob: Buffer } | { ok: false; why: string } {
  const body = /-----BEGIN SSH SIGNATURE-----([\s\S]*?)-----END SSH SIGNATURE-----/.exec(armored)?.[1];
  if (!body) return { ok: false, why: 'not an SSH signature' };
  try {
    const w = new Wire(Buffer.from(body.replace(/\s+/g, ''), 'base64'));
    if (w.bytes(6).toString() !== 'SSHSIG') return { ok: false, why: 'not an SSHSIG blob' };
    if (w.uint32() !== 1) return { ok: false, why: 'unsupported SSHSIG version' };
    const keyBlob = w.string();
    const namespace = w.string().toString();
    const reserved = w.string();
    const hashAlgorithm = w.string().toString();
    const signature = new Wire(w.string());
    if (namespace !== 'git') return { ok: false, why: `signature namespace is "${namespace}", not "git"` };
    if (hashAlgorithm !== 'sha256' && hashAlgorithm !== 'sha512') return { ok: false, why: `unsupported hash ${hashAlgorithm}` };
    const signed = Buffer.concat([Buffer.from('SSHSIG'), sshString(namespace), sshString(reserved), sshString(hashAlgorithm), sshString(createHash(hashAlgorithm).update(message).digest())]);
    const sigType = signature.string().toString();
    const sig = signature.string();
    const { type, key } = publicKeyOf(keyBlob);
    let good: boolean;
    if (type === 'ssh-ed25519') good = sigType === 'ssh-ed25519' && verify(null, signed, key, sig);
    else if (type === 'ssh-rsa') {
      const hash = sigType === 'rsa-sha2-512' ? 'sha512' : sigType === 'rsa-sha2-256' ? 'sha256' : undefined;
      if (!hash) return { ok: false, why: `RSA signature type ${sigType} is not accepted (SHA-1)` };
      good = verify(hash, signed, key, sig);
    } else {
      const curve = CURVES[type.replace('ecdsa-sha2-', '')]!;
      const rs = new Wire(sig);
      const r = unsigned(rs.string(), curve.size);
      const s = unsigned(rs.string(), curve.size);
      good = sigType === type && verify(curve.hash, signed, { key, dsaEncoding: 'ieee-p1363' }, Buffer.concat([r, s]));
    }
    return good ? { ok: true, keyBlob } : { ok: false, why: 'the signature does not match the commit' };
  } catch (error) {
    return { ok: false, why: `malformed SSH signature (${(error as Error).message})` };
  }
}

/** A raw commit object split into its signature (`gpgsig` header, continuation lines unfolded) and the payload it signs. */
export function splitSignedCommit(raw: string): { signature?: string; payload: Buffer } {
  const end = raw.indexOf('\n\n');
  const headers = (end < 0 ? raw : raw.slice(0, end)).split('\n');
  const rest = end < 0 ? '' : raw.slice(end);
  const kept: string[] = [];
  let signature: string[] | undefined;
  let inSig = false;
  for (const line of headers) {
    if (line.startsWith('gpgsig ') || line.startsWith('gpgsig-sha256 ')) {
      signature = [line.slice(line.indexOf(' ') + 1)];
      inSig = true;
    } else if (inSig && line.startsWith(' ')) signature!.push(line.slice(1));
    else {
      inSig = false;
      kept.push(line);
    }
  }
  return { ...(signature ? { signature: signature.join('\n') } : {}), payload: Buffer.from(kept.join('\n') + rest) };
}
