/** The real gpg for tests: throwaway keyrings (GNUPGHOME), keys made, exported, expired and revoked as users do it. */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp.js';

/** Whether gpg is on this machine (the OpenPGP tests are skipped, saying so, where it is not). */
export const hasGpg = spawnSync('gpg', ['--version'], { stdio: 'ignore' }).status === 0;

/** A keyring of its own; `close()` stops the gpg-agent it started. */
export class GpgHome {
  readonly dir = tempDir('pacific-gnupg-').dir;

  constructor() {
    chmodSync(this.dir, 0o700);
  }

  get env(): NodeJS.ProcessEnv {
    return { ...process.env, GNUPGHOME: this.dir };
  }

  gpg(args: readonly string[], input?: string): string {
    return execFileSync('gpg', ['--batch', '--no-tty', ...args], { env: this.env, encoding: 'utf8', stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], ...(input === undefined ? {} : { input }) });
  }

  /**
   * A new ed25519 signing key for `uid` with no passphrase; returns its fingerprint. `madeAt`
   * (gpg's `--faked-system-time`, e.g. 20200101T000000) with `expires` (e.g. 1d) makes a key that
   * expired long ago.
   */
  generateKey(uid: string, expires = 'never', madeAt?: string): string {
    this.gpg([...(madeAt ? ['--faked-system-time', madeAt] : []), '--passphrase', '', '--quick-gen-key', uid, 'ed25519', 'sign', expires]);
    const fpr = /^fpr:+([0-9A-F]{40}):/m.exec(this.gpg(['--with-colons', '--list-keys', `=${uid}`]))?.[1];
    if (!fpr) throw new Error(`gpg made no key for ${uid}`);
    return fpr;
  }

  /** The armored public key, as a rule file holds it. */
  exportKey(fpr: string): string {
    return this.gpg(['--armor', '--export', fpr]);
  }

  importKeys(armored: string): void {
    this.gpg(['--import'], armored);
  }

  /** Revokes a key with the revocation certificate gpg stored when it made the key. */
  revoke(fpr: string): void {
    // gpg prefixes the armor line with ':' so that the certificate is not imported by accident.
    const certificate = readFileSync(join(this.dir, 'openpgp-revocs.d', `${fpr}.rev`), 'utf8').replace(/^:-----BEGIN/m, '-----BEGIN');
    this.importKeys(certificate);
  }

  /** A gpg.program for git that signs as if the clock read `at`. */
  signerAt(at: string): string {
    const program = join(this.dir, `gpg-at-${at}`);
    writeFileSync(program, `#!/bin/sh\nexec gpg --faked-system-time ${at} "$@"\n`, { mode: 0o755 });
    return program;
  }

  close(): void {
    spawnSync('gpgconf', ['--kill', 'gpg-agent'], { env: this.env, stdio: 'ignore' });
  }
}
