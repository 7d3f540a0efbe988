/**
 * The API's TLS material: a CA and a serving certificate made at first start in the state dir
 * (`api/`) and reused, or the operator's own (`--api-cert`/`--api-key`). Over plain HTTP kubectl
 * sends no credentials, so the API is HTTPS only. Certificates are built with @peculiar/x509 (Node
 * can parse X.509 but not issue it); keys are ECDSA P-256 from node's WebCrypto, files 0600.
 */
import { webcrypto, X509Certificate as NodeX509 } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata polyfill first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as never);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const CA_YEARS = 10;
const SERVING_YEARS = 1;

export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
  /** The CA a client must trust (absent for an operator's certificate: its chain is theirs). */
  readonly ca?: string;
}

function writeSecret(path: string, text: string, mode = 0o600): void {
  writeFileSync(`${path}.new`, text, { mode });
  renameSync(`${path}.new`, path);
  chmodSync(path, mode);
}

async function pemKey(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
}

async function importKey(pem: string): Promise<CryptoKey> {
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  return webcrypto.subtle.importKey('pkcs8', der, ALGORITHM, true, ['sign']);
}

const years = (n: number) => new Date(Date.now() + n * 365 * 86_400_000);
const serial = () => Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1');

async function makeCa(): Promise<{ cert: string; key: string }> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=pacific-ca',
    notBefore: new Date(Date.now() - 60_000),
    notAfter: years(CA_YEARS),
    keys: keys as never,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as never),
    ],
  });
  return { cert: cert.toString('pem') + '\n', key: await pemKey(keys.privateKey) };
}

async function makeServing(ca: { cert: string; key: string }, names: readonly string[]): Promise<{ cert: string; key: string }> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const caCert = new x509.X509Certificate(ca.cert);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=pacific-apiserver',
    issuer: caCert.subject,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: years(SERVING_YEARS),
    signingKey: (await importKey(ca.key)) as never,
    publicKey: keys.publicKey as never,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names.map((n) => (isIP(n) ? { type: 'ip' as const, value: n } : { type: 'dns' as const, value: n }))),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { cert: cert.toString('pem') + '\n', key: await pemKey(keys.privateKey) };
}

/** Whether a PEM certificate is valid for a while yet and names every one of `names`. */
function covers(pem: string, names: readonly string[]): boolean {
  try {
    const cert = new NodeX509(pem);
    if (new Date(cert.validTo).getTime() < Date.now() + 86_400_000) return false;
    return names.every((n) => (isIP(n) ? cert.checkIP(n) : cert.checkHost(n)) !== undefined);
  } catch {
    return false;
  }
}

/** The names a serving certificate needs: the listen host, 127.0.0.1 and localhost. */
export function servingNames(listenHost: string): string[] {
  const host = listenHost === '0.0.0.0' || listenHost === '::' ? undefined : listenHost;
  return [...new Set(['127.0.0.1', 'localhost', ...(host ? [host] : [])])];
}

/**
 * The CA and serving certificate of a state dir: made once, reused, and the serving certificate
 * made again (by the same CA) when it would not cover the listen address or expires within a day.
 */
export async function stateDirTls(stateDir: string, listenHost: string): Promise<TlsMaterial> {
  const dir = join(stateDir, 'api');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = (f: string) => join(dir, f);
  let ca: { cert: string; key: string };
  if (existsSync(path('ca.crt')) && existsSync(path('ca.key'))) ca = { cert: readFileSync(path('ca.crt'), 'utf8'), key: readFileSync(path('ca.key'), 'utf8') };
  else {
    ca = await makeCa();
    writeSecret(path('ca.key'), ca.key);
    writeSecret(path('ca.crt'), ca.cert, 0o644);
  }
  const names = servingNames(listenHost);
  if (existsSync(path('apiserver.crt')) && existsSync(path('apiserver.key'))) {
    const cert = readFileSync(path('apiserver.crt'), 'utf8');
    if (covers(cert, names)) return { cert, key: readFileSync(path('apiserver.key'), 'utf8'), ca: ca.cert };
  }
  const serving = await makeServing(ca, names);
  writeSecret(path('apiserver.key'), serving.key);
  writeSecret(path('apiserver.crt'), serving.cert, 0o644);
  return { ...serving, ca: ca.cert };
}

/** The operator's certificate and key (`--api-cert`, `--api-key`). */
export function operatorTls(certFile: string, keyFile: string): TlsMaterial {
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}

/** The CA a state dir's API certificate chains to (what kubeconfigs embed), when pacific made it. */
export function stateDirCa(stateDir: string): string | undefined {
  const path = join(stateDir, 'api', 'ca.crt');
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}
