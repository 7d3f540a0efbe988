/**
 * `--verify <file>`: who may change what. Named signers (SSH public keys, as git's allowed-signers
 * lists them, and OpenPGP public keys, as `gpg --armor --export` writes them; a signer may hold both
 * kinds) and rules by path glob, the first matching rule deciding a path; a path no rule matches
 * needs no signature.
 *
 * ```yaml
 * signers:
 *   - name: vi-admin
 *     ssh: ssh-ed25519 AAAAC3Nza… admin@corp     # or sshKeyFile: ./vi-admin.pub
 *   - name: team-a
 *     sshKeyFile: ./team-a.pub
 *     openpgpKeyFile: ./team-a.asc               # or openpgp: "-----BEGIN PGP PUBLIC KEY BLOCK-----…"
 * rules:
 *   - path: platform/**
 *     signers: [vi-admin]
 *   - path: namespaces/team-a/**
 *     signers: [vi-admin, team-a]
 * ```
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import yaml from 'js-yaml';
import type { PublicKey } from 'openpgp';
import picomatch from 'picomatch';
import { readOpenPgpKeys } from './openpgp-signature.js';
import { parseAuthorizedKey } from './ssh-signature.js';

export interface Signer {
  readonly name: string;
  /** SSH public key blobs. */
  readonly keys: readonly Buffer[];
  /** OpenPGP public keys. */
  readonly openpgp: readonly PublicKey[];
}

export interface PathRule {
  readonly path: string;
  readonly signers: readonly string[];
  readonly matches: (path: string) => boolean;
}

export interface VerifyRules {
  readonly file: string;
  readonly signers: readonly Signer[];
  readonly rules: readonly PathRule[];
}

/** Reads and checks a rule file; an Error names the file and field. */
export async function loadVerifyRules(file: string): Promise<VerifyRules> {
  const path = resolve(file);
  let doc: unknown;
  try {
    doc = yaml.load(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`--verify ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
  const top = (doc ?? {}) as { signers?: unknown; rules?: unknown };
  if (!Array.isArray(top.signers) || !Array.isArray(top.rules)) throw new Error(`--verify ${path}: expected "signers:" and "rules:" lists`);
  const signers: Signer[] = [];
  for (const [i, raw] of (top.signers as unknown[]).entries()) signers.push(await loadSigner(path, `--verify ${path}: signers[${i}]`, raw));
  const names = new Set(signers.map((s) => s.name));
  const rules: PathRule[] = top.rules.map((raw: unknown, i: number) => {
    const at = `--verify ${path}: rules[${i}]`;
    const r = (raw ?? {}) as { path?: unknown; signers?: unknown };
    if (typeof r.path !== 'string' || !r.path) throw new Error(`${at}.path: required (a glob such as platform/**)`);
    if (!Array.isArray(r.signers) || !r.signers.length) throw new Error(`${at}.signers: a non-empty list of signer names`);
    for (const name of r.signers) if (!names.has(name as string)) throw new Error(`${at}.signers: "${String(name)}" is not a signer`);
    return { path: r.path, signers: r.signers as string[], matches: picomatch(r.path, { dot: true }) };
  });
  return { file: path, signers, rules };
}

/** One signer: its name, and its keys read from the rule file or the key files it names (relative to the rule file). */
async function loadSigner(ruleFile: string, at: string, raw: unknown): Promise<Signer> {
  const s = (raw ?? {}) as { name?: unknown; ssh?: unknown; sshKeyFile?: unknown; openpgp?: unknown; openpgpKeyFile?: unknown };
  if (typeof s.name !== 'string' || !s.name) throw new Error(`${at}.name: required`);
  const read = (file: string) => readFileSync(isAbsolute(file) ? file : resolve(dirname(ruleFile), file), 'utf8');
  const lines: string[] = [];
  if (typeof s.ssh === 'string') lines.push(s.ssh);
  if (typeof s.sshKeyFile === 'string') lines.push(...read(s.sshKeyFile).split('\n').filter((l) => l.trim() && !l.startsWith('#')));
  const blocks: { field: string; armored: string }[] = [];
  if (typeof s.openpgp === 'string') blocks.push({ field: 'openpgp', armored: s.openpgp });
  if (typeof s.openpgpKeyFile === 'string') blocks.push({ field: 'openpgpKeyFile', armored: read(s.openpgpKeyFile) });
  if (!lines.length && !blocks.length) throw new Error(`${at}: needs ssh, sshKeyFile, openpgp or openpgpKeyFile`);
  const keys = lines.map((line, k) => {
    try {
      return parseAuthorizedKey(line);
    } catch (error) {
      throw new Error(`${at} key ${k + 1}: ${(error as Error).message}`);
    }
  });
  const openpgp: PublicKey[] = [];
  for (const { field, armored } of blocks) {
    try {
      openpgp.push(...(await readOpenPgpKeys(armored)));
    } catch (error) {
      throw new Error(`${at}.${field}: ${(error as Error).message}`);
    }
  }
  return { name: s.name, keys, openpgp };
}

/** The rule deciding `path`: the first that matches. */
export function ruleFor(rules: VerifyRules, path: string): PathRule | undefined {
  return rules.rules.find((r) => r.matches(path));
}

/** The names of the signers holding `keyBlob`. */
export function signersOf(rules: VerifyRules, keyBlob: Buffer): string[] {
  return rules.signers.filter((s) => s.keys.some((k) => k.equals(keyBlob))).map((s) => s.name);
}

/** The names of the signers holding the OpenPGP key of `fingerprint`. */
export function openPgpSignersOf(rules: VerifyRules, fingerprint: string): string[] {
  return rules.signers.filter((s) => s.openpgp.some((k) => k.getFingerprint().toUpperCase() === fingerprint)).map((s) => s.name);
}
